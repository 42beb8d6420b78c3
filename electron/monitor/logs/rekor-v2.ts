// Reads a Rekor v2 log (sigstore/rekor-tiles) through its C2SP tlog-tiles read API (FORMATS.md
// §2.2): the signed checkpoint, hash tiles and entry bundles. Rekor v2 serves no proofs, so
// consistency and inclusion proofs are computed here from tiles, and no tile hash is used, nor
// any entry returned, before the tile is authenticated against a verified checkpoint's root.
import { bytesEqual, encodeBase64, encodeHex } from '../../core/bytes';
import { InputError, VerificationError } from '../../core/errors';
import {
  openCheckpointAsAny,
  type LogSigner,
  type VerifiedCheckpoint,
} from '../../core/tlog/checkpoint';
import { HASH_SIZE, hashLeaf, verifyConsistency } from '../../core/tlog/merkle';
import { MAX_NOTE_BYTES, type NoteVerifier } from '../../core/tlog/note';
import {
  authenticateTiles,
  consistencyProofFromTiles,
  consistencyTiles,
  extendAuthenticatedTiles,
  inclusionProofFromTiles,
  inclusionTiles,
  leafTiles,
  type AuthenticatedTiles,
  type TileHashes,
} from '../../core/tlog/tile-proofs';
import {
  MAX_ENTRY_BYTES,
  TILE_WIDTH,
  entryBundlePath,
  parseHashTile,
  splitEntryBundle,
  tileInTree,
  tilePath,
  type TileCoord,
} from '../../core/tlog/tiles';
import type { HttpClient } from './http';

/** The part of the HTTP client the reader uses. */
export type TileFetcher = Pick<HttpClient, 'get' | 'getText'>;

export interface RekorV2ReaderOptions {
  /** The tlog-tiles prefix, e.g. `https://log2025-1.rekor.sigstore.dev` (a trailing / is ignored). */
  readonly prefixUrl: string;
  /** The checkpoint origin, e.g. `log2025-1.rekor.sigstore.dev`. */
  readonly origin: string;
  readonly logKey: NoteVerifier;
  /**
   * Other (origin, key) pairs the log may sign as, accepted after `origin` (a log on a port may
   * sign `host:port`; see v2Signers).
   */
  readonly otherSigners?: readonly LogSigner[];
  readonly witnessKeys?: readonly NoteVerifier[];
  readonly http: TileFetcher;
  /** Requests in flight at once, per reader (default 8). */
  readonly concurrency?: number;
  /** Authenticated full hash tiles kept in memory, 8 KiB each (default 256). */
  readonly tileCacheSize?: number;
}

/** An entry whose leaf hash is in an authenticated level-0 tile. */
export interface RekorV2Entry {
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
}

export interface RekorV2Reader {
  /** Fetches `<prefix>/checkpoint` and opens it (signature, then origin). Not its consistency. */
  getCheckpoint(): Promise<VerifiedCheckpoint>;
  /**
   * Computes from tiles the proof that the tree of size `old.treeSize` with root `old.rootHash`
   * is a prefix of `latest`'s tree, verifies it and returns it as evidence; [] when
   * old.treeSize is 0 (nothing to prove) or equals latest's (roots must then be equal). Throws
   * VerificationError CONSISTENCY_PROOF_INVALID (evidence: old size and root, latest's note, the
   * proof) when it does not verify, TILE_HASH_MISMATCH when the tiles do not match `latest`.
   */
  proveConsistency(
    old: { readonly treeSize: number; readonly rootHash: Uint8Array },
    latest: VerifiedCheckpoint,
  ): Promise<Uint8Array[]>;
  /**
   * Entries [start, end) of `checkpoint`'s tree, each proven in it: the leaf hashes of its
   * bundle make a level-0 tile that authenticates against the checkpoint's root (the partial
   * bundle at the right edge: its leaf hash equals the hash in the authenticated partial
   * tile). Requires 0 <= start <= end <= checkpoint.treeSize (InputError otherwise). The tiles
   * above level 0 and the right edge are authenticated once per checkpoint and reused by later
   * calls with it, so reading a tree in small parts costs no more hashing than in large ones.
   * Full level-0 tiles are computed, not fetched, and kept for inclusionProof.
   */
  readEntries(start: number, end: number, checkpoint: VerifiedCheckpoint): Promise<RekorV2Entry[]>;
  /**
   * The inclusion proof of entry `index` in `checkpoint`'s tree, computed from authenticated
   * tiles (so correct by construction; verifyInclusion with the entry's leaf hash confirms it).
   */
  inclusionProof(index: number, checkpoint: VerifiedCheckpoint): Promise<Uint8Array[]>;
}

export const DEFAULT_CONCURRENCY = 8;
/**
 * A scan re-reads only the few tiles above level 0, and the level-0 tiles of its current batch
 * (for the inclusion proofs of its matches): 256 tiles cover batches of up to 65,536 entries
 * in 2 MiB, where a larger cache would only hold level-0 tiles no one reads again.
 */
export const DEFAULT_TILE_CACHE_SIZE = 256;
/** Partial tiles kept apart from the full ones: a right edge has one per level, at most 5. */
const EDGE_CACHE_SIZE = 16;

const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;
const bundleMaxBytes = (width: number) => width * (2 + MAX_ENTRY_BYTES);

/** Creates a reader for one Rekor v2 log. Holds a bounded cache of authenticated tiles. */
export function createRekorV2Reader(options: RekorV2ReaderOptions): RekorV2Reader {
  const { http, origin, logKey, witnessKeys } = options;
  const prefix = options.prefixUrl.replace(/\/+$/, '');
  const urlOf = (path: string) => `${prefix}/${path}`;
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const cache = new TileCache(options.tileCacheSize ?? DEFAULT_TILE_CACHE_SIZE);
  const edges = new TileCache(EDGE_CACHE_SIZE);
  /** The last tiles above level 0 authenticated for readEntries, with their coordinates. */
  let upper:
    { readonly tiles: AuthenticatedTiles; readonly paths: ReadonlySet<string> } | undefined;

  async function getCheckpoint(): Promise<VerifiedCheckpoint> {
    const envelope = await http.getText(urlOf('checkpoint'), { maxBytes: MAX_NOTE_BYTES });
    const signers = [{ origin, logKey }, ...(options.otherSigners ?? [])];
    return openCheckpointAsAny(envelope, signers, witnessKeys);
  }

  async function proveConsistency(
    old: { readonly treeSize: number; readonly rootHash: Uint8Array },
    latest: VerifiedCheckpoint,
  ): Promise<Uint8Array[]> {
    if (old.treeSize === 0) return [];
    let proof: Uint8Array[] = [];
    // Otherwise no tiles are needed: verifyConsistency compares the roots of equal sizes and
    // rejects a negative or larger old size.
    if (old.treeSize > 0 && old.treeSize < latest.treeSize) {
      const tiles = await authenticated(consistencyTiles(old.treeSize, latest.treeSize), latest);
      proof = consistencyProofFromTiles(tiles, old.treeSize);
    }
    try {
      verifyConsistency(old.treeSize, latest.treeSize, proof, old.rootHash, latest.rootHash);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      throw new VerificationError(
        err.code,
        `${origin}: ${err.message}`,
        {
          olderTreeSize: old.treeSize,
          olderRootHash: encodeHex(old.rootHash),
          newerNote: latest.note,
          proof: proof.map(encodeHex),
        },
        { cause: err },
      );
    }
    return proof;
  }

  async function readEntries(
    start: number,
    end: number,
    checkpoint: VerifiedCheckpoint,
  ): Promise<RekorV2Entry[]> {
    const { treeSize } = checkpoint;
    if (!isIndex(start) || !isIndex(end) || start > end || end > treeSize) {
      throw new InputError(
        'INVALID_INPUT',
        `entry range [${start}, ${end}) is not within tree size ${treeSize}`,
      );
    }
    if (start === end) return [];
    const bundles: TileCoord[] = [];
    for (let n = Math.floor(start / TILE_WIDTH); n * TILE_WIDTH < end; n++) {
      bundles.push(tileInTree(0, n, treeSize) as TileCoord); // n·256 < end <= treeSize
    }
    // Bundles and the tiles above them in one batch; nothing is returned until they
    // authenticate.
    const [base, contents] = await Promise.all([
      authenticatedUpperTiles(leafTiles(start, end, treeSize), checkpoint),
      Promise.all(bundles.map((b) => limit(() => fetchBundle(b)))),
    ]);
    // A full bundle's leaf hashes are its level-0 tile: hashed here, they are authenticated
    // against the tile's hash in its (authenticated) parent, which proves every entry of the
    // bundle in the tree without fetching the level-0 tile the log serves. The partial bundle
    // at the right edge is checked entry by entry against its authenticated partial tile.
    const leafHashes: TileHashes[] = [];
    bundles.forEach((bundle, b) => {
      if (bundle.width === TILE_WIDTH) {
        leafHashes.push({ tile: bundle, hashes: (contents[b] as Uint8Array[]).map(hashLeaf) });
      }
    });
    let tiles: AuthenticatedTiles;
    try {
      tiles = extendAuthenticatedTiles(base, leafHashes);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      throw await whichEntry(err, bundles, contents, base, checkpoint);
    }
    for (const { tile, hashes } of leafHashes) cache.set(tilePath(tile), hashes);

    const out: RekorV2Entry[] = [];
    bundles.forEach((bundle, b) => {
      const entries = contents[b] as Uint8Array[];
      const first = bundle.index * TILE_WIDTH;
      const stop = Math.min(end, first + bundle.width);
      const computed = bundle.width === TILE_WIDTH;
      const tileHashes = tiles.hashesAt(0, bundle.index);
      for (let index = Math.max(start, first); index < stop; index++) {
        const bytes = entries[index - first] as Uint8Array;
        const want = tileHashes[index - first] as Uint8Array;
        const leafHash = computed ? want : hashLeaf(bytes);
        if (!computed) checkLeafHash(index, bytes, leafHash, want, checkpoint);
        out.push({ index, bytes, leafHash });
      }
    });
    return out;
  }

  /**
   * The error to report when the leaf hashes of full bundles do not authenticate (`err`): the
   * log served an entry other than the one in its tree. Fetches those bundles' level-0 tiles to
   * name it: returns TILE_HASH_MISMATCH with the first entry that differs from its tile as
   * evidence, or the error of a tile that itself fails to authenticate. Returns `err` when
   * that cannot be told (the tiles cannot be fetched, or no entry differs from them): a
   * failure to diagnose never hides the integrity failure.
   */
  async function whichEntry(
    err: VerificationError,
    bundles: readonly TileCoord[],
    contents: readonly Uint8Array[][],
    base: AuthenticatedTiles,
    checkpoint: VerifiedCheckpoint,
  ): Promise<VerificationError> {
    try {
      const full = bundles.filter((b) => b.width === TILE_WIDTH);
      const tiles = extendAuthenticatedTiles(base, await Promise.all(full.map(fetchTile)));
      bundles.forEach((bundle, b) => {
        const hashes = tiles.hashesAt(0, bundle.index);
        (contents[b] as Uint8Array[]).forEach((bytes, i) => {
          const index = bundle.index * TILE_WIDTH + i;
          checkLeafHash(index, bytes, hashLeaf(bytes), hashes[i] as Uint8Array, checkpoint);
        });
      });
    } catch (found) {
      return found instanceof VerificationError ? found : err;
    }
    return err;
  }

  /** Throws TILE_HASH_MISMATCH, with the entry as evidence, unless `leafHash` is `want`. */
  function checkLeafHash(
    index: number,
    bytes: Uint8Array,
    leafHash: Uint8Array,
    want: Uint8Array,
    checkpoint: VerifiedCheckpoint,
  ): void {
    if (bytesEqual(leafHash, want)) return;
    throw new VerificationError(
      'TILE_HASH_MISMATCH',
      `${origin}: entry ${index} has leaf hash ${encodeHex(leafHash)}, want ${encodeHex(want)} from its level-0 tile`,
      { index, entry: encodeBase64(bytes), tileLeafHash: encodeHex(want), note: checkpoint.note },
    );
  }

  async function inclusionProof(
    index: number,
    checkpoint: VerifiedCheckpoint,
  ): Promise<Uint8Array[]> {
    if (!isIndex(index) || index >= checkpoint.treeSize) {
      throw new InputError(
        'INVALID_INPUT',
        `index ${index} is not within tree size ${checkpoint.treeSize}`,
      );
    }
    const tiles = await authenticated(inclusionTiles(index, checkpoint.treeSize), checkpoint);
    return inclusionProofFromTiles(tiles, index);
  }

  /**
   * The tiles of `coords` (those of readEntries) other than its full level-0 tiles, which
   * readEntries computes from the bundles: the tiles above level 0 and the right edge, which
   * successive batches of a scan share. Authenticated once per checkpoint (recomputing its root
   * from the right edge) and reused by the batches after.
   */
  async function authenticatedUpperTiles(
    coords: readonly TileCoord[],
    checkpoint: VerifiedCheckpoint,
  ): Promise<AuthenticatedTiles> {
    const shared = coords.filter((tile) => tile.level !== 0 || tile.width !== TILE_WIDTH);
    const base = upper;
    if (
      base !== undefined &&
      base.tiles.treeSize === checkpoint.treeSize &&
      bytesEqual(base.tiles.rootHash, checkpoint.rootHash) &&
      shared.every((tile) => base.paths.has(tilePath(tile)))
    ) {
      return base.tiles;
    }
    const tiles = await authenticated(shared, checkpoint);
    upper = { tiles, paths: new Set(shared.map(tilePath)) };
    return tiles;
  }

  /**
   * Fetches `coords`, authenticates them against `checkpoint`, then caches them: full tiles in
   * `cache`, partial ones in `edges` (a tile path names its width, so a partial tile never
   * changes either; every batch of a scan reads the same right edge).
   */
  async function authenticated(
    coords: readonly TileCoord[],
    checkpoint: VerifiedCheckpoint,
  ): Promise<AuthenticatedTiles> {
    const fetched = await Promise.all(coords.map((tile) => fetchTile(tile)));
    const tiles = authenticateTiles(checkpoint, fetched);
    // Only now: a tile that failed would otherwise be served from the cache until evicted.
    for (const { tile, hashes } of fetched) {
      (tile.width === TILE_WIDTH ? cache : edges).set(tilePath(tile), hashes);
    }
    return tiles;
  }

  /**
   * One hash tile as served (unauthenticated). A partial tile the log no longer serves is taken
   * from the start of the full tile, as tessera's client does; authentication checks that
   * prefix like any other tile.
   */
  async function fetchTile(tile: TileCoord): Promise<TileHashes> {
    if (tile.width === TILE_WIDTH) return { tile, hashes: await fetchFullTile(tile) };
    const cached = edges.get(tilePath(tile));
    if (cached) return { tile, hashes: cached };
    const partial = await limit(() =>
      http.get(urlOf(tilePath(tile)), { allow404: true, maxBytes: tile.width * HASH_SIZE }),
    );
    if (partial !== undefined) return { tile, hashes: parseHashTile(partial, tile.width) };
    const full = await fetchFullTile({ ...tile, width: TILE_WIDTH });
    return { tile, hashes: full.slice(0, tile.width) };
  }

  async function fetchFullTile(tile: TileCoord): Promise<readonly Uint8Array[]> {
    const path = tilePath(tile);
    const cached = cache.get(path);
    if (cached) return cached;
    const bytes = await limit(() => http.get(urlOf(path), { maxBytes: FULL_TILE_BYTES }));
    return parseHashTile(bytes, TILE_WIDTH);
  }

  /** The entries of one bundle: exactly `bundle.width` of them (unauthenticated). */
  async function fetchBundle(bundle: TileCoord): Promise<Uint8Array[]> {
    const path = entryBundlePath(bundle.index, bundle.width);
    if (bundle.width < TILE_WIDTH) {
      const partial = await http.get(urlOf(path), {
        allow404: true,
        maxBytes: bundleMaxBytes(bundle.width),
      });
      if (partial !== undefined) return entriesOf(partial, bundle.width, path);
    }
    const fullPath = entryBundlePath(bundle.index, TILE_WIDTH);
    const full = await http.get(urlOf(fullPath), { maxBytes: bundleMaxBytes(TILE_WIDTH) });
    return entriesOf(full, TILE_WIDTH, fullPath).slice(0, bundle.width);
  }

  return { getCheckpoint, proveConsistency, readEntries, inclusionProof };
}

function entriesOf(bytes: Uint8Array, want: number, path: string): Uint8Array[] {
  const entries = splitEntryBundle(bytes);
  if (entries.length !== want) {
    throw new VerificationError(
      'ENTRY_BUNDLE_MALFORMED',
      `entry bundle ${path} has ${entries.length} entries, want ${want}`,
    );
  }
  return entries;
}

const isIndex = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * Least-recently-used map of tiles by path (immutable, so never stale), bounded by count. Each
 * tile is kept as one packed copy of its hashes: 256 views into a response body would cost
 * four times the memory, and keep the whole body alive.
 */
class TileCache {
  readonly #max: number;
  readonly #tiles = new Map<string, Uint8Array>();

  constructor(max: number) {
    this.#max = max;
  }

  get(path: string): readonly Uint8Array[] | undefined {
    const packed = this.#tiles.get(path);
    if (packed === undefined) return undefined;
    this.#tiles.delete(path);
    this.#tiles.set(path, packed);
    const hashes: Uint8Array[] = [];
    for (let at = 0; at < packed.length; at += HASH_SIZE) {
      hashes.push(packed.subarray(at, at + HASH_SIZE));
    }
    return hashes;
  }

  set(path: string, hashes: readonly Uint8Array[]): void {
    const packed = new Uint8Array(hashes.length * HASH_SIZE);
    hashes.forEach((hash, i) => packed.set(hash, i * HASH_SIZE));
    this.#tiles.delete(path);
    this.#tiles.set(path, packed);
    for (const oldest of this.#tiles.keys()) {
      if (this.#tiles.size <= this.#max) break;
      this.#tiles.delete(oldest);
    }
  }
}

/** Runs at most `max` tasks at once; the others wait in order. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds max.
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
