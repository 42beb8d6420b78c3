// Where Vigil's Sigstore trust material comes from: the Sigstore TUF repository (refreshed with
// tuf-js, cached under the data dir), the last good cache or the shipped seed when a refresh
// fails, or an operator's trusted root file in a private deployment.
import { readFile } from 'node:fs/promises';
import { AppError, InputError } from '../../core/errors';
import type { ErrorView } from '../../../shared/errors';
import { readShippedTargets, readShippedTufRoot, SIGSTORE_TUF_MIRROR } from './seeds';
import { readLastGood } from './tuf-cache';
import {
  parseJsonDocument,
  parseTargetDocuments,
  SIGNING_CONFIG_TARGETS,
  TRUSTED_ROOT_TARGET,
} from './trust-targets';
import type { TargetDocuments } from './trust-targets';

export { SIGSTORE_TUF_MIRROR } from './seeds';
export { tufCacheDir } from './tuf-cache';

/** Where a TrustMaterial came from. */
export type TrustMaterialSource = 'tuf' | 'tuf-cache' | 'file' | 'seed';

/**
 * The trust documents, still as JSON values: electron/core/trust parses them
 * (parseTrustedRoot, parseSigningConfig).
 */
export interface TrustMaterial {
  /** trusted_root.json. */
  readonly trustedRootJson: unknown;
  /** signing_config.v0.2.json then signing_config_rekor_v2.v0.2.json, each only when present. */
  readonly signingConfigJsons: readonly unknown[];
  readonly source: TrustMaterialSource;
  /** 'stale' ("trust root stale"): the latest refresh failed and older material is in use. */
  readonly state: 'fresh' | 'stale';
  /**
   * Why the material is stale. TUF_VERIFICATION_FAILED (and *_MALFORMED) mean the mirror served
   * data that failed verification, which is security-relevant; TUF_UNREACHABLE means it could
   * not be reached; TUF_ERROR is a local problem.
   */
  readonly staleReason?: ErrorView;
  /** When the material in use was last fetched and verified from the mirror (epoch ms). */
  readonly refreshedAtMs?: number;
}

export interface TrustSourceOptions {
  /** TUF mirror (`--tuf-mirror`). Default: the public Sigstore mirror. */
  readonly mirrorUrl?: string;
  /**
   * TUF root metadata to start from on first use (`--tuf-root`). Default: the shipped Sigstore
   * root v16. Once the cache holds a root, the cached (possibly newer) root is used instead.
   */
  readonly rootJson?: Uint8Array | string;
  /** This mirror's cache directory; see tufCacheDir(dataDir, mirrorUrl). */
  readonly cacheDir: string;
  /** Per HTTP request. Default 5000. */
  readonly fetchTimeoutMs?: number;
  /** Extra attempts per request after a transient failure. Default 2. */
  readonly retries?: number;
  /** Delay before the first retry, doubling after. Default 500. */
  readonly retryDelayMs?: number;
  /** Private deployment (`--trusted-root`): read this file, and never contact a TUF mirror. */
  readonly trustedRootFile?: string;
  readonly clock?: { now(): number };
}

export interface TrustSource {
  /**
   * Obtains the trust material; concurrent calls share one refresh. Only throws when nothing
   * usable exists: a trusted root file that cannot be read or is not JSON (InputError
   * FILE_UNREADABLE, VerificationError TRUSTED_ROOT_MALFORMED), or a failed refresh of a custom
   * TUF repository with no cache yet (the refresh's error; see refreshTufTargets).
   */
  load(): Promise<TrustMaterial>;
}

/**
 * Creates a trust source. With `trustedRootFile`, load() reads that file (source 'file', no
 * signing configs). Otherwise load() refreshes from the TUF mirror (source 'tuf', fresh); when
 * that fails it falls back, with state 'stale' and the failure as staleReason, to the last good
 * cache ('tuf-cache'), and then, only when trusting the shipped Sigstore root (no `rootJson`),
 * to the trust material shipped with Vigil ('seed'). Throws InputError INVALID_INPUT when
 * `mirrorUrl` is not an http(s) URL.
 */
export function createTrustSource(options: TrustSourceOptions): TrustSource {
  const mirrorUrl = options.mirrorUrl ?? SIGSTORE_TUF_MIRROR;
  checkMirrorUrl(mirrorUrl);
  const clock = options.clock ?? { now: () => Date.now() };
  // The shipped targets are the Sigstore repository's. A mirror that the shipped Sigstore root
  // verifies serves that repository, so they may stand in for it; never for a private root.
  const seedFallback = options.rootJson === undefined;
  let inFlight: Promise<TrustMaterial> | undefined;

  async function loadFromTuf(): Promise<TrustMaterial> {
    const rootJson = options.rootJson ?? readShippedTufRoot();
    const nowMs = clock.now();
    try {
      // Loaded on first use: tuf-js is the CLI's heaviest import, and most commands never refresh.
      const { refreshTufTargets } = await import('./tuf-refresh');
      const documents = await refreshTufTargets({
        mirrorUrl,
        initialRoot: typeof rootJson === 'string' ? new TextEncoder().encode(rootJson) : rootJson,
        cacheDir: options.cacheDir,
        fetchTimeoutMs: options.fetchTimeoutMs ?? 5000,
        retries: options.retries ?? 2,
        ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
        nowMs,
      });
      return {
        ...toDocumentsFields(documents),
        source: 'tuf',
        state: 'fresh',
        refreshedAtMs: nowMs,
      };
    } catch (err) {
      return fallBack(err);
    }
  }

  async function fallBack(failure: unknown): Promise<TrustMaterial> {
    // Anything not ours (a bug, most likely) is not a reason to stop monitoring either, but it
    // must not be mistaken for a known state: report it as TUF_ERROR with its message.
    const reason: AppError =
      failure instanceof AppError
        ? failure
        : new AppError('TUF_ERROR', `tuf refresh failed: ${String(failure)}`, { cause: failure });
    const cached = await readCachedDocuments(options.cacheDir);
    if (cached !== undefined) {
      return {
        ...toDocumentsFields(cached.documents),
        source: 'tuf-cache',
        state: 'stale',
        staleReason: {
          code: reason.code,
          message: `${reason.message}; using the trust root cached at ${new Date(cached.refreshedAtMs).toISOString()}`,
        },
        refreshedAtMs: cached.refreshedAtMs,
      };
    }
    if (!seedFallback) throw reason;
    return {
      ...toDocumentsFields(parseTargetDocuments(readShippedTargets())),
      source: 'seed',
      state: 'stale',
      staleReason: {
        code: reason.code,
        message: `${reason.message}; no cached trust root yet, using the one shipped with vigil`,
      },
    };
  }

  return {
    load() {
      if (options.trustedRootFile !== undefined) return loadFromFile(options.trustedRootFile);
      inFlight ??= loadFromTuf().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

async function loadFromFile(path: string): Promise<TrustMaterial> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new InputError('FILE_UNREADABLE', `cannot read trusted root file ${path}`, {
      cause: err,
    });
  }
  return {
    trustedRootJson: parseJsonDocument(bytes, 'TRUSTED_ROOT_MALFORMED', path),
    signingConfigJsons: [],
    source: 'file',
    state: 'fresh',
  };
}

async function readCachedDocuments(
  cacheDir: string,
): Promise<{ documents: TargetDocuments; refreshedAtMs: number } | undefined> {
  const lastGood = await readLastGood(cacheDir);
  if (lastGood === undefined) return undefined;
  try {
    return {
      documents: parseTargetDocuments(lastGood.targets),
      refreshedAtMs: lastGood.refreshedAtMs,
    };
  } catch {
    // Only verified, parsed targets are ever committed; a cache that no longer parses is damaged.
    return undefined;
  }
}

function toDocumentsFields(
  documents: TargetDocuments,
): Pick<TrustMaterial, 'trustedRootJson' | 'signingConfigJsons'> {
  return {
    trustedRootJson: documents.get(TRUSTED_ROOT_TARGET),
    signingConfigJsons: SIGNING_CONFIG_TARGETS.filter((name) => documents.has(name)).map((name) =>
      documents.get(name),
    ),
  };
}

function checkMirrorUrl(mirrorUrl: string): void {
  let url: URL;
  try {
    url = new URL(mirrorUrl);
  } catch {
    throw new InputError('INVALID_INPUT', `tuf mirror "${mirrorUrl}" is not a url`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(
      'INVALID_INPUT',
      `tuf mirror "${mirrorUrl}" has scheme ${url.protocol}, want https: or http:`,
    );
  }
}
