// Roots, inclusion proofs and consistency proofs computed from hash tiles (c2sp.org/tlog-tiles),
// for logs that serve no proof endpoint. The proofs are RFC 6962 §2.1.1 PATH and §2.1.2
// SUBPROOF over node hashes read from tiles, as golang.org/x/mod sumdb/tlog ProveRecord and
// ProveTree do; tiles are authenticated the sumdb TileHashReader way, each against its parent.
import { AppError, VerificationError } from '../errors';
import { bytesEqual, encodeBase64 } from '../bytes';
import { EMPTY_ROOT, HASH_SIZE, hashChildren } from './merkle';
import { TILE_HEIGHT, TILE_WIDTH, rightEdgeTiles, tileInTree, tilePath } from './tiles';
import type { TileCoord } from './tiles';

/** The hashes of one tile as served: not trusted until authenticateTiles has checked them. */
export interface TileHashes {
  readonly tile: TileCoord;
  readonly hashes: readonly Uint8Array[];
}

/** Returns the hashes of `tile`: exactly `tile.width` of them. */
export type TileLookup = (tile: TileCoord) => readonly Uint8Array[];

declare const authenticated: unique symbol;

/**
 * Hash tiles of the tree of size `treeSize`, every hash of which is bound to `rootHash`. Only
 * authenticateTiles and extendAuthenticatedTiles make one; the proof functions below accept
 * nothing else.
 */
export interface AuthenticatedTiles {
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** The hashes of the tile at (level, index). Throws INTERNAL if it was not authenticated. */
  hashesAt(level: number, index: number): readonly Uint8Array[];
  readonly [authenticated]: true;
}

/**
 * Checks `tiles` against a verified checkpoint's tree size and root hash, so that no hash from a
 * tile is used unless it is bound to that root. The partial tiles of the right edge are
 * authenticated by recomputing the root from them; a full tile by hashing it and comparing with
 * its hash in the tile one level up, which must itself be among `tiles` (highest level first).
 * So `tiles` must include every right-edge tile and the ancestors of every full tile, as the
 * `*Tiles` functions below list them. Throws VerificationError('TILE_HASH_MISMATCH') when a tile
 * does not authenticate, 'TILE_MALFORMED' for a wrong hash count or length; AppError('INTERNAL')
 * for a missing tile or one whose width is not that of the tree. Does not verify the checkpoint.
 */
export function authenticateTiles(
  checkpoint: { readonly treeSize: number; readonly rootHash: Uint8Array },
  tiles: readonly TileHashes[],
): AuthenticatedTiles {
  const { treeSize, rootHash } = checkpoint;
  checkSize(treeSize, 'tree size');
  const byKey = tilesByKey(tiles, treeSize);
  const hashesAt = (level: number, index: number) => lookupIn(byKey, level, index).hashes;

  const root = rootFromTiles(treeSize, (tile) => hashesAt(tile.level, tile.index));
  if (!bytesEqual(root, rootHash)) {
    throw new VerificationError(
      'TILE_HASH_MISMATCH',
      `right-edge tiles give root ${encodeBase64(root)} for tree size ${treeSize}, want ${encodeBase64(rootHash)}`,
    );
  }
  authenticateFullTiles(byKey, hashesAt, treeSize);
  return authenticatedTiles(treeSize, rootHash, hashesAt);
}

/**
 * `base` and the full tiles `tiles`, each authenticated against its parent (in `tiles`, highest
 * level first, or in `base`) exactly as authenticateTiles does, so bound to the same root
 * without recomputing it from the right edge: for reading a tree batch by batch, where only
 * the level-0 tiles change. Throws like authenticateTiles; AppError('INTERNAL') for a partial
 * tile (only the right edge has those, and `base` already holds it) or a missing parent.
 */
export function extendAuthenticatedTiles(
  base: AuthenticatedTiles,
  tiles: readonly TileHashes[],
): AuthenticatedTiles {
  const byKey = tilesByKey(tiles, base.treeSize);
  for (const { tile } of byKey.values()) {
    if (tile.width !== TILE_WIDTH) throw internal(`tile ${tilePath(tile)} is not a full tile`);
  }
  const hashesAt = (level: number, index: number) =>
    byKey.get(tileKey(level, index))?.hashes ?? base.hashesAt(level, index);
  authenticateFullTiles(byKey, hashesAt, base.treeSize);
  return authenticatedTiles(base.treeSize, base.rootHash, hashesAt);
}

/** `tiles` by level and index, each checked to have the width and hash count of the tree. */
function tilesByKey(tiles: readonly TileHashes[], treeSize: number): Map<string, TileHashes> {
  const byKey = new Map<string, TileHashes>();
  for (const entry of tiles) {
    checkTileShape(entry, treeSize);
    byKey.set(tileKey(entry.tile.level, entry.tile.index), entry);
  }
  return byKey;
}

/**
 * Checks every full tile of `byKey` against its hash in its parent, parents before children,
 * so that every comparison is with an already authenticated hash.
 */
function authenticateFullTiles(
  byKey: ReadonlyMap<string, TileHashes>,
  hashesAt: (level: number, index: number) => readonly Uint8Array[],
  treeSize: number,
): void {
  const full = [...byKey.values()]
    .filter((t) => t.tile.width === TILE_WIDTH)
    .sort((a, b) => b.tile.level - a.tile.level);
  for (const { tile, hashes } of full) {
    const parent = parentTile(tile, treeSize);
    const want = hashesAt(parent.level, parent.index)[tile.index % TILE_WIDTH];
    const got = perfectRoot(hashes);
    if (!bytesEqual(got, want as Uint8Array)) {
      throw new VerificationError(
        'TILE_HASH_MISMATCH',
        `tile ${tilePath(tile)} hashes to ${encodeBase64(got)}, want ${encodeBase64(want as Uint8Array)} from tile ${tilePath(parent)}`,
      );
    }
  }
}

/** The only way an AuthenticatedTiles is made: after its tiles have been authenticated. */
function authenticatedTiles(
  treeSize: number,
  rootHash: Uint8Array,
  hashesAt: (level: number, index: number) => readonly Uint8Array[],
): AuthenticatedTiles {
  const result: Omit<AuthenticatedTiles, typeof authenticated> = { treeSize, rootHash, hashesAt };
  return result as AuthenticatedTiles;
}

/**
 * The root hash of the tree of size `treeSize`, computed from its right-edge tiles (the only
 * tiles it reads): EMPTY_ROOT for size 0. Authenticates nothing: compare the result with a
 * verified root. Throws VerificationError('TILE_MALFORMED') if `lookup` returns the wrong number
 * of hashes.
 */
export function rootFromTiles(treeSize: number, lookup: TileLookup): Uint8Array {
  checkSize(treeSize, 'tree size');
  if (treeSize === 0) return EMPTY_ROOT;
  return new TreeReader(treeSize, lookup).subtreeHash(0n, big(treeSize));
}

/**
 * The inclusion proof (RFC 6962 §2.1.1 PATH) for the entry at `index` in the authenticated tree.
 * Requires 0 <= index < tiles.treeSize and the tiles listed by inclusionTiles.
 */
export function inclusionProofFromTiles(tiles: AuthenticatedTiles, index: number): Uint8Array[] {
  checkIndex(index, tiles.treeSize);
  return readerOf(tiles).path(big(index), 0n, big(tiles.treeSize));
}

/**
 * The consistency proof (RFC 6962 §2.1.2 PROOF) from the tree of size `size1` to the
 * authenticated tree. Requires 0 < size1 <= tiles.treeSize and the tiles listed by
 * consistencyTiles; empty when size1 == tiles.treeSize. Whether the old tree's root matches is
 * for verifyConsistency to decide.
 */
export function consistencyProofFromTiles(tiles: AuthenticatedTiles, size1: number): Uint8Array[] {
  checkOldSize(size1, tiles.treeSize);
  return readerOf(tiles).subproof(big(size1), 0n, big(tiles.treeSize), true);
}

/** The tiles needed to compute (and authenticate) the root of a tree of size `treeSize`. */
export function rootTiles(treeSize: number): TileCoord[] {
  checkSize(treeSize, 'tree size');
  return withAncestors([], treeSize);
}

/**
 * The tiles needed to authenticate and compute the inclusion proof for `index` in a tree of size
 * `treeSize`, sorted by level then index. Requires 0 <= index < treeSize.
 */
export function inclusionTiles(index: number, treeSize: number): TileCoord[] {
  checkIndex(index, treeSize);
  return recordTiles(treeSize, (reader) => reader.path(big(index), 0n, big(treeSize)));
}

/**
 * The tiles needed to authenticate and compute the consistency proof from size `size1` to size
 * `size2`, sorted by level then index. Requires 0 < size1 <= size2.
 */
export function consistencyTiles(size1: number, size2: number): TileCoord[] {
  checkOldSize(size1, size2);
  return recordTiles(size2, (reader) => reader.subproof(big(size1), 0n, big(size2), true));
}

/**
 * The level-0 tiles holding the leaf hashes of entries [start, end) of a tree of size
 * `treeSize`, plus what authenticates them, sorted by level then index. Requires
 * 0 <= start <= end <= treeSize.
 */
export function leafTiles(start: number, end: number, treeSize: number): TileCoord[] {
  checkSize(treeSize, 'tree size');
  checkSize(start, 'start');
  checkSize(end, 'end');
  if (start > end || end > treeSize) {
    throw internal(`entry range [${start}, ${end}) is not within tree size ${treeSize}`);
  }
  const tiles: TileCoord[] = [];
  if (start < end) {
    const last = Math.floor((end - 1) / TILE_WIDTH);
    for (let n = Math.floor(start / TILE_WIDTH); n <= last; n++) {
      tiles.push(tileInTree(0, n, treeSize) as TileCoord); // n·256 < end <= treeSize
    }
  }
  return withAncestors(tiles, treeSize);
}

/**
 * Node hashes of the tree of size `treeSize` read from tiles. A node at level h (2^h leaves)
 * lies in the tiles at tile level floor(h/8); the levels between tile levels are recomputed by
 * hashing. All indices are bigint: trees exceed 2^32 leaves.
 */
class TreeReader {
  readonly #treeSize: number;
  readonly #lookup: TileLookup;

  constructor(treeSize: number, lookup: TileLookup) {
    this.#treeSize = treeSize;
    this.#lookup = lookup;
  }

  /** MTH(D[lo:hi]) for a range that is a subtree of the RFC 6962 tree. */
  subtreeHash(lo: bigint, hi: bigint): Uint8Array {
    const n = hi - lo;
    if ((n & (n - 1n)) === 0n) {
      const level = bitLength(n) - 1;
      return this.#nodeHash(level, lo >> BigInt(level));
    }
    const k = splitPoint(n);
    return hashChildren(this.subtreeHash(lo, lo + k), this.subtreeHash(lo + k, hi));
  }

  /** RFC 6962 §2.1.1 PATH(m, D[lo:hi]), m absolute, with lo <= m < hi. */
  path(m: bigint, lo: bigint, hi: bigint): Uint8Array[] {
    if (hi - lo === 1n) return [];
    const k = splitPoint(hi - lo);
    if (m < lo + k) return [...this.path(m, lo, lo + k), this.subtreeHash(lo + k, hi)];
    return [...this.path(m, lo + k, hi), this.subtreeHash(lo, lo + k)];
  }

  /** RFC 6962 §2.1.2 SUBPROOF(m, D[lo:hi], b), m absolute, with lo < m <= hi. */
  subproof(m: bigint, lo: bigint, hi: bigint, b: boolean): Uint8Array[] {
    if (m === hi) return b ? [] : [this.subtreeHash(lo, hi)];
    const k = splitPoint(hi - lo);
    if (m <= lo + k) return [...this.subproof(m, lo, lo + k, b), this.subtreeHash(lo + k, hi)];
    return [...this.subproof(m, lo + k, hi, false), this.subtreeHash(lo, lo + k)];
  }

  /** The hash of the perfect subtree of 2^level leaves starting at leaf index·2^level. */
  #nodeHash(level: number, index: bigint): Uint8Array {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const height = level % TILE_HEIGHT;
    // The node covers 2^height consecutive hashes stored at level tileLevel·8, all in one tile.
    const first = index << BigInt(height);
    const offset = Number(first % BigInt(TILE_WIDTH));
    const tileIndex = Number(first / BigInt(TILE_WIDTH));
    // Exists: the caller only asks for nodes of complete subtrees of this tree.
    const tile = tileInTree(tileLevel, tileIndex, this.#treeSize) as TileCoord;
    const hashes = this.#lookup(tile);
    if (hashes.length !== tile.width) {
      throw new VerificationError(
        'TILE_MALFORMED',
        `tile ${tilePath(tile)} has ${hashes.length} hashes, want ${tile.width}`,
      );
    }
    return perfectRoot(hashes.slice(offset, offset + 2 ** height));
  }
}

/** The root of a perfect tree over `hashes` (a power-of-two count, at least 1). */
function perfectRoot(hashes: readonly Uint8Array[]): Uint8Array {
  let level = hashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(hashChildren(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    }
    level = next;
  }
  return level[0] as Uint8Array;
}

/** The largest power of two smaller than n, for n >= 2 (RFC 6962's k). */
function splitPoint(n: bigint): bigint {
  return 1n << BigInt(bitLength(n - 1n) - 1);
}

/** Bits needed to write x, for x > 0. */
function bitLength(x: bigint): number {
  return x.toString(2).length;
}

function readerOf(tiles: AuthenticatedTiles): TreeReader {
  return new TreeReader(tiles.treeSize, (tile) => tiles.hashesAt(tile.level, tile.index));
}

/** Runs `compute` over placeholder hashes, noting which tiles it reads, plus what authenticates them. */
function recordTiles(treeSize: number, compute: (reader: TreeReader) => unknown): TileCoord[] {
  const read: TileCoord[] = [];
  compute(
    new TreeReader(treeSize, (tile) => {
      read.push(tile);
      return new Array<Uint8Array>(tile.width).fill(PLACEHOLDER);
    }),
  );
  return withAncestors(read, treeSize);
}

const PLACEHOLDER = new Uint8Array(HASH_SIZE);

/**
 * `tiles` plus the right edge of the tree and, for every full tile, its ancestors up to the first
 * partial one: what authenticateTiles needs. Deduplicated, sorted by level then index.
 */
function withAncestors(tiles: readonly TileCoord[], treeSize: number): TileCoord[] {
  const all = new Map<string, TileCoord>();
  const add = (tile: TileCoord) => all.set(tileKey(tile.level, tile.index), tile);
  rightEdgeTiles(treeSize).forEach(add);
  for (let tile of tiles) {
    add(tile);
    while (tile.width === TILE_WIDTH) {
      tile = parentTile(tile, treeSize);
      add(tile);
    }
  }
  return [...all.values()].sort((a, b) => a.level - b.level || a.index - b.index);
}

/** The tile holding the hash of full tile `tile`, as it exists in a tree of size `treeSize`. */
function parentTile(tile: TileCoord, treeSize: number): TileCoord {
  // Exists: a full tile's hash is a stored hash one tile level up.
  return tileInTree(tile.level + 1, Math.floor(tile.index / TILE_WIDTH), treeSize) as TileCoord;
}

function checkTileShape({ tile, hashes }: TileHashes, treeSize: number): void {
  const inTree = tileInTree(tile.level, tile.index, treeSize);
  if (inTree?.width !== tile.width) {
    throw internal(`tile ${tilePath(tile)} is not a tile of tree size ${treeSize}`);
  }
  if (hashes.length !== tile.width || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new VerificationError(
      'TILE_MALFORMED',
      `tile ${tilePath(tile)} must hold ${tile.width} hashes of ${HASH_SIZE} bytes`,
    );
  }
}

function lookupIn(
  byKey: ReadonlyMap<string, TileHashes>,
  level: number,
  index: number,
): TileHashes {
  const found = byKey.get(tileKey(level, index));
  if (!found) throw internal(`tile ${level}/${index} of the tree was not provided`);
  return found;
}

function tileKey(level: number, index: number): string {
  return `${level}/${index}`;
}

function checkSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw internal(`${what} ${value} is not an integer in [0, 2^53-1]`);
  }
}

function checkIndex(index: number, treeSize: number): void {
  checkSize(treeSize, 'tree size');
  checkSize(index, 'index');
  if (index >= treeSize) throw internal(`index ${index} is beyond tree size ${treeSize}`);
}

function checkOldSize(size1: number, size2: number): void {
  checkSize(size2, 'size2');
  checkSize(size1, 'size1');
  if (size1 === 0 || size1 > size2)
    throw internal(`want 0 < size1 <= size2, got ${size1}, ${size2}`);
}

/** A checked safe integer as a bigint. */
function big(value: number): bigint {
  return BigInt(value);
}

/** A broken precondition: the caller's bug, not the log's. */
const internal = (message: string) => new AppError('INTERNAL', message);
