// The on-disk TUF cache of one mirror. Layout, under <dataDir>/tuf/<urlencoded mirror host>/:
//
//   metadata/root.json, timestamp.json, snapshot.json, targets.json
//                                  tuf-js's trusted metadata after the last good refresh
//   targets/<sha256 hex>.<urlencoded target name>
//                                  verified target bytes, content-addressed
//   last-good.json                 { refreshedAtMs, targets: { <name>: <sha256 hex> } }
//
// last-good.json is the commit point: it is renamed into place only after every file it names
// is on disk, and target files are content-addressed so a new refresh never overwrites a file
// the previous last-good.json points to. A crash at any moment leaves the old or the new set.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesEqual, decodeHex, encodeHex } from '../../core/bytes';
import { sha256 } from '../../core/hash';
import { writeFileAtomic } from './atomic-file';

/** Paths inside one mirror's cache directory. */
export interface TufCacheLayout {
  readonly metadataDir: string;
  readonly targetsDir: string;
  readonly lastGoodFile: string;
}

/** Target bytes from the last good refresh, each checked against its recorded SHA-256. */
export interface LastGoodTargets {
  readonly targets: ReadonlyMap<string, Uint8Array>;
  readonly refreshedAtMs: number;
}

/**
 * The cache directory for a mirror: `<dataDir>/tuf/<urlencoded host>`, as sigstore-js does, so
 * a private mirror never shares metadata with the public one. Requires an absolute http(s) URL.
 */
export function tufCacheDir(dataDir: string, mirrorUrl: string): string {
  return join(dataDir, 'tuf', encodeURIComponent(new URL(mirrorUrl).host));
}

/** The fixed layout under `cacheDir` (see the file header). Pure. */
export function tufCacheLayout(cacheDir: string): TufCacheLayout {
  return {
    metadataDir: join(cacheDir, 'metadata'),
    targetsDir: join(cacheDir, 'targets'),
    lastGoodFile: join(cacheDir, 'last-good.json'),
  };
}

/** Where the verified bytes of target `name` with this SHA-256 live. Pure. */
export function cachedTargetPath(cacheDir: string, name: string, sha256Hex: string): string {
  return join(tufCacheLayout(cacheDir).targetsDir, `${sha256Hex}.${encodeURIComponent(name)}`);
}

/**
 * Reads the targets of the last good refresh. Returns undefined when there is none, or when
 * last-good.json or any file it names is unreadable, malformed or fails its SHA-256: a damaged
 * cache is treated as no cache, never partly trusted.
 */
export async function readLastGood(cacheDir: string): Promise<LastGoodTargets | undefined> {
  const manifest = parseLastGood(await readOrUndefined(tufCacheLayout(cacheDir).lastGoodFile));
  if (manifest === undefined) return undefined;
  const targets = new Map<string, Uint8Array>();
  for (const [name, sha256Hex] of manifest.targets) {
    const bytes = await readOrUndefined(cachedTargetPath(cacheDir, name, sha256Hex));
    const want = decodeHex(sha256Hex);
    if (bytes === undefined || want === undefined || !bytesEqual(sha256(bytes), want)) {
      return undefined;
    }
    targets.set(name, bytes);
  }
  return { targets, refreshedAtMs: manifest.refreshedAtMs };
}

/**
 * Makes a refresh the new last good state: writes the target files, then the TUF metadata from
 * `stagedMetadataDir` (root first), then last-good.json, each atomically; finally removes target
 * files no longer named. Requires the targets to be verified already. Assumes one writer per
 * cache directory at a time.
 */
export async function commitLastGood(
  cacheDir: string,
  stagedMetadataDir: string,
  targets: ReadonlyMap<string, Uint8Array>,
  refreshedAtMs: number,
): Promise<void> {
  const layout = tufCacheLayout(cacheDir);
  await mkdir(layout.metadataDir, { recursive: true });
  await mkdir(layout.targetsDir, { recursive: true });

  const named = new Map<string, string>();
  for (const [name, bytes] of targets) {
    const sha256Hex = encodeHex(sha256(bytes));
    await writeFileAtomic(cachedTargetPath(cacheDir, name, sha256Hex), bytes);
    named.set(name, sha256Hex);
  }

  // Root first: once a rotated root is written, a crash before the rest only costs a re-fetch.
  const metadataFiles = (await readdir(stagedMetadataDir)).filter((f) => f.endsWith('.json'));
  metadataFiles.sort((a, b) => Number(b === 'root.json') - Number(a === 'root.json'));
  for (const file of metadataFiles) {
    await writeFileAtomic(
      join(layout.metadataDir, file),
      await readFile(join(stagedMetadataDir, file)),
    );
  }

  const manifest = { refreshedAtMs, targets: Object.fromEntries(named) };
  await writeFileAtomic(layout.lastGoodFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const keep = new Set([...named].map(([name, hex]) => `${hex}.${encodeURIComponent(name)}`));
  for (const file of await readdir(layout.targetsDir)) {
    if (!keep.has(file) && !file.startsWith('.'))
      await rm(join(layout.targetsDir, file), { force: true });
  }
}

interface LastGoodManifest {
  readonly refreshedAtMs: number;
  readonly targets: ReadonlyMap<string, string>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function parseLastGood(bytes: Uint8Array | undefined): LastGoodManifest | undefined {
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !isRecord(value.targets)) return undefined;
  const { refreshedAtMs } = value;
  if (typeof refreshedAtMs !== 'number' || !Number.isSafeInteger(refreshedAtMs)) return undefined;
  const targets = new Map<string, string>();
  for (const [name, hex] of Object.entries(value.targets)) {
    if (typeof hex !== 'string' || !SHA256_HEX.test(hex)) return undefined;
    targets.set(name, hex);
  }
  return { refreshedAtMs, targets };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readOrUndefined(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}
