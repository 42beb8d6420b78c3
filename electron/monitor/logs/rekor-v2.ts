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
import { hashLeaf, verifyConsistency } from '../../core/tlog/merkle';
import { MAX_NOTE_BYTES, type NoteVerifier } from '../../core/tlog/note';
import {
  consistencyProofFromTiles,
  consistencyTiles,
  extendAuthenticatedTiles,
  inclusionProofFromTiles,
  inclusionTiles,
  leafTiles,
  type AuthenticatedTiles,
  type TileHashes,
} from '../../core/tlog/tile-proofs';
import { TILE_WIDTH, tileInTree, tilePath, type TileCoord } from '../../core/tlog/tiles';
import { fetchBundle } from './rekor-v2-bundles';
import { createLimiter, createTileSource, type TileFetcher } from './rekor-v2-tiles';

export type { TileFetcher } from './rekor-v2-tiles';

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

/** Creates a reader for one Rekor v2 log. Holds a bounded cache of authenticated tiles. */
export function createRekorV2Reader(options: RekorV2ReaderOptions): RekorV2Reader {
  const { http, origin, logKey, witnessKeys } = options;
  const prefix = options.prefixUrl.replace(/\/+$/, '');
  const urlOf = (path: string) => `${prefix}/${path}`;
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const tileSource = createTileSource({
    http,
    urlOf,
    limit,
    cacheSize: options.tileCacheSize ?? DEFAULT_TILE_CACHE_SIZE,
  });
  const { fetchTile, authenticated } = tileSource;
  /** The last tiles above level 0 authenticated for readEntries, with their coordinates. */
  let upper:
    { readonly tiles: AuthenticatedTiles; readonly paths: ReadonlySet<string> } | undefined;

  async function getCheckpoint(): Promise<VerifiedCheckpoint> {
    const signers = [{ origin, logKey }, ...(options.otherSigners ?? [])];
    // Opened inside the request: a cut note is retried, a wrong signature is not.
    return http.getText(urlOf('checkpoint'), {
      maxBytes: MAX_NOTE_BYTES,
      parse: (envelope) => openCheckpointAsAny(envelope, signers, witnessKeys),
    });
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
      Promise.all(bundles.map((b) => limit(() => fetchBundle(http, urlOf, b)))),
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
    tileSource.remember(leafHashes);

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

  return { getCheckpoint, proveConsistency, readEntries, inclusionProof };
}

const isIndex = (n: number) => Number.isSafeInteger(n) && n >= 0;
