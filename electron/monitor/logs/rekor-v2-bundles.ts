// The entry bundles of a Rekor v2 log (C2SP tlog-tiles `tile/entries/`, FORMATS.md §2.2): the
// entries as served, unauthenticated (the reader proves them against hash tiles).
import { VerificationError } from '../../core/errors';
import {
  MAX_ENTRY_BYTES,
  TILE_WIDTH,
  entryBundlePath,
  splitEntryBundle,
  type TileCoord,
} from '../../core/tlog/tiles';
import type { TileFetcher } from './rekor-v2-tiles';

const bundleMaxBytes = (width: number) => width * (2 + MAX_ENTRY_BYTES);

/**
 * The entries of one bundle: exactly `bundle.width` of them (unauthenticated). A partial bundle
 * the log no longer serves is taken from the start of the full one. A bundle that does not
 * split into its entries is retried by the HTTP client like a 5xx (ENTRY_BUNDLE_MALFORMED).
 */
export async function fetchBundle(
  http: TileFetcher,
  urlOf: (path: string) => string,
  bundle: TileCoord,
): Promise<Uint8Array[]> {
  const path = entryBundlePath(bundle.index, bundle.width);
  if (bundle.width < TILE_WIDTH) {
    const partial = await http.get(urlOf(path), {
      allow404: true,
      maxBytes: bundleMaxBytes(bundle.width),
      parse: (bytes) => entriesOf(bytes, bundle.width, path),
    });
    if (partial !== undefined) return partial;
  }
  const fullPath = entryBundlePath(bundle.index, TILE_WIDTH);
  const full = await http.get(urlOf(fullPath), {
    maxBytes: bundleMaxBytes(TILE_WIDTH),
    parse: (bytes) => entriesOf(bytes, TILE_WIDTH, fullPath),
  });
  return full.slice(0, bundle.width);
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
