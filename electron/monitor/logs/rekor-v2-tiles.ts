// The hash tiles of a Rekor v2 log (C2SP tlog-tiles, FORMATS.md §2.2): fetched as served,
// authenticated against a verified checkpoint, and only then cached, full tiles apart from the
// partial ones at the right edge.
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import { HASH_SIZE } from '../../core/tlog/merkle';
import {
  authenticateTiles,
  type AuthenticatedTiles,
  type TileHashes,
} from '../../core/tlog/tile-proofs';
import { TILE_WIDTH, parseHashTile, tilePath, type TileCoord } from '../../core/tlog/tiles';
import type { HttpClient } from './http';

/** The part of the HTTP client a Rekor v2 reader uses. */
export type TileFetcher = Pick<HttpClient, 'get' | 'getText'>;

/** Partial tiles kept apart from the full ones: a right edge has one per level, at most 5. */
const EDGE_CACHE_SIZE = 16;
const FULL_TILE_BYTES = TILE_WIDTH * HASH_SIZE;

export interface TileSourceOptions {
  readonly http: TileFetcher;
  /** The URL of a path under the log's prefix. */
  readonly urlOf: (path: string) => string;
  readonly limit: Limiter;
  /** Authenticated full hash tiles kept in memory. */
  readonly cacheSize: number;
}

/** Where a reader gets its hash tiles. */
export interface TileSource {
  /**
   * One hash tile as served (unauthenticated), or from the cache. A partial tile the log no
   * longer serves is taken from the start of the full tile, as tessera's client does;
   * authentication checks that prefix like any other tile.
   */
  fetchTile(tile: TileCoord): Promise<TileHashes>;
  /**
   * Fetches `coords`, authenticates them against `checkpoint`, then caches them: full tiles in
   * one cache, partial ones in another (a tile path names its width, so a partial tile never
   * changes either; every batch of a scan reads the same right edge).
   */
  authenticated(
    coords: readonly TileCoord[],
    checkpoint: VerifiedCheckpoint,
  ): Promise<AuthenticatedTiles>;
  /** Caches full level-0 tiles the caller authenticated itself (computed from bundles). */
  remember(tiles: readonly TileHashes[]): void;
}

export function createTileSource(options: TileSourceOptions): TileSource {
  const { http, urlOf, limit } = options;
  const cache = new TileCache(options.cacheSize);
  const edges = new TileCache(EDGE_CACHE_SIZE);

  async function fetchTile(tile: TileCoord): Promise<TileHashes> {
    if (tile.width === TILE_WIDTH) return { tile, hashes: await fetchFullTile(tile) };
    const cached = edges.get(tilePath(tile));
    if (cached) return { tile, hashes: cached };
    const partial = await limit(() =>
      http.get(urlOf(tilePath(tile)), {
        allow404: true,
        maxBytes: tile.width * HASH_SIZE,
        parse: (bytes) => parseHashTile(bytes, tile.width),
      }),
    );
    if (partial !== undefined) return { tile, hashes: partial };
    const full = await fetchFullTile({ ...tile, width: TILE_WIDTH });
    return { tile, hashes: full.slice(0, tile.width) };
  }

  async function fetchFullTile(tile: TileCoord): Promise<readonly Uint8Array[]> {
    const path = tilePath(tile);
    const cached = cache.get(path);
    if (cached) return cached;
    return limit(() =>
      http.get(urlOf(path), {
        maxBytes: FULL_TILE_BYTES,
        parse: (bytes) => parseHashTile(bytes, TILE_WIDTH),
      }),
    );
  }

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

  function remember(tiles: readonly TileHashes[]): void {
    for (const { tile, hashes } of tiles) cache.set(tilePath(tile), hashes);
  }

  return { fetchTile, authenticated, remember };
}

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

/** Runs a task when a slot is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once; the others wait in order. */
export function createLimiter(max: number): Limiter {
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
