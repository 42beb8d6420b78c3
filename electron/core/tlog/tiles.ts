// Tiles and entry bundles of a tiled transparency log, c2sp.org/tlog-tiles: resource paths, the
// byte formats, and which tiles a tree of a given size has. Syntax only: nothing here
// authenticates a hash (see tile-proofs.ts).
import { VerificationError } from '../errors';
import { HASH_SIZE } from './merkle';

/** Levels of the Merkle tree covered by one tile. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, and entries in a full entry bundle: 2^TILE_HEIGHT. */
export const TILE_WIDTH = 256;
/** Largest tile level a path may name (c2sp.org/tlog-tiles: "between 0 and 63"). */
export const MAX_TILE_LEVEL = 63;
/** An entry is at most 65535 bytes: its length prefix is a uint16. */
export const MAX_ENTRY_BYTES = 0xffff;

/**
 * One hash tile: the `index`-th tile at `level`, holding `width` hashes (1..256; 256 = full).
 * Hash i is MTH(D[(index·256 + i)·256^level : (index·256 + i + 1)·256^level]).
 */
export interface TileCoord {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** One entry bundle: entries index·256 .. index·256 + width - 1. */
export interface EntryBundleCoord {
  readonly index: number;
  readonly width: number;
}

/** What a tile path names: a hash tile or an entry bundle. */
export type TileResource =
  | { readonly kind: 'tile'; readonly tile: TileCoord }
  | { readonly kind: 'entries'; readonly bundle: EntryBundleCoord };

/**
 * The path of a hash tile below the log's prefix: `tile/<L>/<N>[.p/<W>]`, N in 3-digit groups
 * (`x001/x234/067`). Does not check that the tile exists in any tree.
 */
export function tilePath(tile: TileCoord): string {
  return `tile/${tile.level}/${encodeIndex(tile.index)}${partialSuffix(tile.width)}`;
}

/** The path of an entry bundle below the log's prefix: `tile/entries/<N>[.p/<W>]`. */
export function entryBundlePath(index: number, width: number): string {
  return `tile/entries/${encodeIndex(index)}${partialSuffix(width)}`;
}

const PATH =
  /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Parses a tile or entry bundle path (the inverse of tilePath and entryBundlePath). Accepts only
 * the canonical spelling: no leading `x000` group, W in 1..255, L in 0..63 without leading
 * zeros, and an index that fits in 2^53-1. Throws VerificationError('TILE_MALFORMED').
 */
export function parseTilePath(path: string): TileResource {
  const match = PATH.exec(path);
  if (!match) throw malformedPath(path, 'want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]');
  const [, levelText = '', indexText = '', widthText] = match;
  if (indexText.startsWith('x000')) throw malformedPath(path, 'index has a leading zero group');
  const index = Number(indexText.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index)) throw malformedPath(path, 'index exceeds 2^53-1');
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  if (widthText !== undefined && width >= TILE_WIDTH) {
    throw malformedPath(path, `partial width ${width}, want 1..255`);
  }
  if (levelText === 'entries') return { kind: 'entries', bundle: { index, width } };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw malformedPath(path, `level ${level}, want 0..63`);
  return { kind: 'tile', tile: { level, index, width } };
}

/**
 * Splits an entry bundle into its entries (each a uint16 big-endian length, then that many
 * bytes). Throws VerificationError('ENTRY_BUNDLE_MALFORMED') for an empty bundle, a truncated
 * length or entry, or more than 256 entries. Zero-length entries are allowed, as in RFC 6962.
 * Does not check the count against a tile width, nor any hash.
 */
export function splitEntryBundle(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length === 0) throw malformedBundle('bundle is empty');
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (entries.length === TILE_WIDTH) {
      throw malformedBundle(`more than ${TILE_WIDTH} entries`);
    }
    if (offset + 2 > bytes.length) {
      throw malformedBundle(`truncated length prefix at byte ${offset}`);
    }
    const length = ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
    const start = offset + 2;
    if (start + length > bytes.length) {
      throw malformedBundle(
        `entry ${entries.length} has ${bytes.length - start} bytes, want ${length}`,
      );
    }
    entries.push(bytes.subarray(start, start + length));
    offset = start + length;
  }
  return entries;
}

/**
 * Splits a hash tile of `width` hashes (1..256) into 32-byte hashes. Throws
 * VerificationError('TILE_MALFORMED') unless it is exactly width·32 bytes. Authenticates nothing.
 */
export function parseHashTile(bytes: Uint8Array, width: number): Uint8Array[] {
  if (!isWidth(width)) {
    throw new VerificationError('TILE_MALFORMED', `tile width ${width}, want 1..${TILE_WIDTH}`);
  }
  if (bytes.length !== width * HASH_SIZE) {
    throw new VerificationError(
      'TILE_MALFORMED',
      `hash tile has ${bytes.length} bytes, want ${width * HASH_SIZE} for width ${width}`,
    );
  }
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < width; i++) hashes.push(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return hashes;
}

/**
 * The tile at (`level`, `index`) as it exists in a tree of size `treeSize`: full, or partial with
 * the width the tree implies. Undefined when the tree has no such tile.
 * Requires treeSize, level and index to be non-negative safe integers.
 */
export function tileInTree(level: number, index: number, treeSize: number): TileCoord | undefined {
  // Exact: treeSize < 2^53 and 256^level is a power of two, so the division only shifts.
  const hashesAtLevel = Math.floor(treeSize / TILE_WIDTH ** level);
  const width = Math.min(TILE_WIDTH, hashesAtLevel - index * TILE_WIDTH);
  return width > 0 ? { level, index, width } : undefined;
}

/**
 * The partial tiles of a tree of size `treeSize`, lowest level first: at level l, the tile of
 * width floor(treeSize / 256^l) mod 256, where that is not 0. These are the tiles the tree's
 * root is computed from.
 */
export function rightEdgeTiles(treeSize: number): TileCoord[] {
  const tiles: TileCoord[] = [];
  for (let level = 0; TILE_WIDTH ** level <= treeSize; level++) {
    const hashesAtLevel = Math.floor(treeSize / TILE_WIDTH ** level);
    const width = hashesAtLevel % TILE_WIDTH;
    if (width > 0) tiles.push({ level, index: Math.floor(hashesAtLevel / TILE_WIDTH), width });
  }
  return tiles;
}

/** True for a tile width in 1..256. */
function isWidth(width: number): boolean {
  return Number.isInteger(width) && width >= 1 && width <= TILE_WIDTH;
}

/** `<N>`: decimal in 3-digit groups, all but the last prefixed with `x`. */
function encodeIndex(index: number): string {
  let text = String(index % 1000).padStart(3, '0');
  for (let rest = Math.floor(index / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    text = `x${String(rest % 1000).padStart(3, '0')}/${text}`;
  }
  return text;
}

function partialSuffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

const malformedPath = (path: string, why: string) =>
  new VerificationError('TILE_MALFORMED', `tile path ${JSON.stringify(path)}: ${why}`);

const malformedBundle = (why: string) =>
  new VerificationError('ENTRY_BUNDLE_MALFORMED', `malformed entry bundle: ${why}`);
