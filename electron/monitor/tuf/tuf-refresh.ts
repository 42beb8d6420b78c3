// One TUF refresh (TUF spec §5, "detailed client workflow", done by tuf-js's Updater) against a
// mirror, run in a private staging directory so a failed or interrupted refresh never touches
// the cache; only a refresh that verified every wanted target is committed (tuf-cache.ts).
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Updater } from 'tuf-js';
import type { TargetFile } from 'tuf-js';
import { PersistError } from 'tuf-js/dist/error.js';
import { AppError, VerificationError } from '../../core/errors';
import { MirrorFetcher } from './mirror-fetcher';
import { commitLastGood, readLastGood, tufCacheLayout } from './tuf-cache';
import { parseTargetDocuments, TRUST_TARGETS, TRUSTED_ROOT_TARGET } from './trust-targets';
import type { TargetDocuments } from './trust-targets';

export interface TufRefreshOptions {
  readonly mirrorUrl: string;
  /** Root metadata to start from when the cache has none yet. */
  readonly initialRoot: Uint8Array;
  readonly cacheDir: string;
  readonly fetchTimeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs?: number;
  /** Recorded in last-good.json. */
  readonly nowMs: number;
}

/**
 * Refreshes the TUF metadata from the mirror, fetches the trust targets by name (the trusted
 * root is required, the signing configs are optional), and commits them to the cache. Returns the
 * parsed target documents.
 *
 * Throws, and leaves the cache as it was:
 * - FetchError TUF_UNREACHABLE: the mirror could not be reached or answered an HTTP error;
 * - VerificationError TUF_VERIFICATION_FAILED: metadata or a target failed TUF verification
 *   (signature, threshold, rollback, expiry, length or hash);
 * - VerificationError TRUSTED_ROOT_MALFORMED / SIGNING_CONFIG_MALFORMED: a verified target is not
 *   JSON;
 * - AppError TUF_ERROR: anything local (trusted_root.json not published, cache unwritable,
 *   cached root metadata unusable).
 */
export async function refreshTufTargets(options: TufRefreshOptions): Promise<TargetDocuments> {
  const staging = await mkdtemp(join(tmpdir(), 'vigil-tuf-'));
  try {
    return await refreshInStaging(options, staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function refreshInStaging(
  options: TufRefreshOptions,
  staging: string,
): Promise<TargetDocuments> {
  const { mirrorUrl, cacheDir } = options;
  const stagedMetadataDir = join(staging, 'metadata');
  const stagedTargetsDir = join(staging, 'targets');
  await mkdir(stagedMetadataDir);
  await mkdir(stagedTargetsDir);
  const rootOrigin = await stageMetadata(
    tufCacheLayout(cacheDir).metadataDir,
    stagedMetadataDir,
    options.initialRoot,
  );

  const fetcher = new MirrorFetcher({
    timeoutMs: options.fetchTimeoutMs,
    retries: options.retries,
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
  });
  let updater: Updater;
  try {
    updater = new Updater({
      metadataDir: stagedMetadataDir,
      metadataBaseUrl: mirrorUrl,
      targetDir: stagedTargetsDir,
      targetBaseUrl: new URL('targets/', withTrailingSlash(mirrorUrl)).toString(),
      fetcher,
    });
  } catch (err) {
    const what =
      rootOrigin === 'cache'
        ? `cached tuf root metadata in ${cacheDir} is unusable (${describe(err)}): remove that directory to start again from the initial root`
        : `initial tuf root metadata is unusable: ${describe(err)}`;
    throw new AppError('TUF_ERROR', what, { cause: err });
  }

  const lastGood = await readLastGood(cacheDir);
  const targets = new Map<string, Uint8Array>();
  try {
    await updater.refresh();
    for (const name of TRUST_TARGETS) {
      const info = await updater.getTargetInfo(name);
      if (info === undefined) {
        if (name === TRUSTED_ROOT_TARGET) {
          throw new AppError('TUF_ERROR', `tuf repository ${mirrorUrl} has no target ${name}`);
        }
        continue;
      }
      if (Object.keys(info.hashes).length === 0) {
        throw new VerificationError(
          'TUF_VERIFICATION_FAILED',
          `tuf repository ${mirrorUrl} lists target ${name} without hashes`,
        );
      }
      // Reuse the cached copy when the signed targets metadata still names its exact bytes.
      const cached = lastGood?.targets.get(name);
      if (cached !== undefined && (await matchesTargetInfo(info, cached))) {
        targets.set(name, cached);
        continue;
      }
      const path = await updater.downloadTarget(
        info,
        join(stagedTargetsDir, encodeURIComponent(name)),
      );
      targets.set(name, await readFile(path));
    }
  } catch (err) {
    throw classifyFailure(err, fetcher, mirrorUrl);
  }

  const documents = parseTargetDocuments(targets);
  try {
    await commitLastGood(cacheDir, stagedMetadataDir, targets, options.nowMs);
  } catch (err) {
    throw new AppError('TUF_ERROR', `cannot write tuf cache ${cacheDir}: ${describe(err)}`, {
      cause: err,
    });
  }
  return documents;
}

/**
 * Copies the cached metadata into the staging directory, or on first use the initial root.
 * Returns which root tuf-js will start from.
 */
async function stageMetadata(
  liveDir: string,
  stagedDir: string,
  initialRoot: Uint8Array,
): Promise<'cache' | 'initial'> {
  let files: string[] = [];
  try {
    files = (await readdir(liveDir)).filter((f) => f.endsWith('.json'));
  } catch {
    // No cache yet.
  }
  if (!files.includes('root.json')) {
    await writeFile(join(stagedDir, 'root.json'), initialRoot);
    return 'initial';
  }
  for (const file of files) await copyFile(join(liveDir, file), join(stagedDir, file));
  return 'cache';
}

/** True when `bytes` has the length and every hash the signed targets metadata lists. */
async function matchesTargetInfo(info: TargetFile, bytes: Uint8Array): Promise<boolean> {
  try {
    await info.verify(Readable.from([bytes]));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps "the mirror misbehaved" apart from "the mirror was unreachable": a failure right after a
 * failed download is unreachability; a local file-system failure is TUF_ERROR; anything else
 * tuf-js raised while checking what the mirror served is a verification failure.
 */
function classifyFailure(err: unknown, fetcher: MirrorFetcher, mirrorUrl: string): AppError {
  if (err instanceof AppError) return err;
  if (fetcher.lastFailure !== undefined) return fetcher.lastFailure;
  if (err instanceof PersistError || isFileSystemError(err)) {
    return new AppError('TUF_ERROR', `tuf refresh failed locally: ${describe(err)}`, {
      cause: err,
    });
  }
  return new VerificationError(
    'TUF_VERIFICATION_FAILED',
    `tuf repository ${mirrorUrl} failed verification: ${describe(err)}`,
    undefined,
    { cause: err },
  );
}

function isFileSystemError(err: unknown): boolean {
  return err instanceof Error && 'syscall' in err && 'code' in err;
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
