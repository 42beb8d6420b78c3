// One monitoring pass over a log: discover its trees (Rekor v1 shards, or the v2 log), then for
// each tree check the checkpoint and scan to it. Errors are classified at this job boundary:
// FetchError is operational (recorded as the log's status, retried next cycle; this includes a
// log that keeps serving answers that do not parse, RESPONSE_MALFORMED), VerificationError is an
// integrity failure (critical alert with evidence, audit): the trees raise it only for a
// contradiction that a re-read on fresh connections confirmed (see confirm.ts). Anything else is
// a bug (INTERNAL, recorded, never swallowed silently).
import type { Classification } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import { encodeHex } from '../../core/bytes';
import { AppError, VerificationError, toErrorView } from '../../core/errors';
import type { JsonValue } from '../store/types';
import { checkLog, openStored, type JobDeps } from './check-log';
import type { EntryMatching } from './entry-matching';
import { scanLog } from './scan-log';
import { startIndex, type StartAt } from './start-index';
import type { FollowedTree } from './tree';

export interface TreeReport {
  readonly origin: string;
  readonly scanned: number;
  readonly nextIndex: number | null;
  readonly treeSize: number | null;
  readonly matches: Readonly<Record<Classification, number>>;
  /** The log misbehaved (bad signature, inconsistent checkpoint, unprovable entry). */
  readonly integrityFailure: boolean;
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

export interface CycleOptions {
  /**
   * Where a tree without a scan cursor starts: the head, or a backfill (--since, --from-index).
   * A tree with a cursor always continues from it, so repeating the same command line (cron)
   * resumes rather than re-scanning.
   */
  readonly startAt: StartAt;
  /** Classifications that raise alerts (default: unexpected and untrusted). */
  readonly alertOn?: readonly Classification[];
  /**
   * A tree without a scan cursor is a new shard of a followed log (a Rekor v1 rotation, a Rekor
   * v2 log added after the first pass): it starts at 0 whatever `startAt` says, since starting
   * at its head would silently skip entries logged while Vigil was watching.
   */
  readonly unseenTreesAreNewShards: boolean;
  readonly batchSize: (tree: FollowedTree) => number;
  readonly signal?: AbortSignal;
}

const ZERO: Readonly<Record<Classification, number>> = { expected: 0, unexpected: 0, untrusted: 0 };

/** Checks and scans one tree; never throws for log or network failures (they are reported). */
export async function followTree(
  tree: FollowedTree,
  matching: EntryMatching,
  deps: JobDeps,
  options: CycleOptions,
): Promise<TreeReport> {
  const { stores } = deps;
  stores.logs.upsert(
    {
      origin: tree.origin,
      apiVersion: tree.apiVersion,
      readUrl: tree.readUrl,
      state: tree.retired ? 'retired' : 'active',
      ...(tree.apiVersion === 1 && {
        treeId: tree.origin.split(' - ')[1],
        indexOffset: tree.indexOffset,
      }),
    },
    deps.now(),
  );
  let report: TreeReport = {
    origin: tree.origin,
    scanned: 0,
    nextIndex: stores.scans.get(tree.origin)?.nextIndex ?? null,
    treeSize: stores.checkpoints.latest(tree.origin)?.treeSize ?? null,
    matches: ZERO,
    integrityFailure: false,
  };
  try {
    const outcome = await checkLog(tree, deps);
    if (outcome.status === 'inconsistent') {
      const e = toErrorView(outcome.error);
      stores.logs.recordError(tree.origin, e, deps.now());
      return { ...report, integrityFailure: true, error: e };
    }
    const stored = stores.checkpoints.latest(tree.origin)!;
    const verified = openStored(tree, stored);
    let cursor = stores.scans.get(tree.origin);
    if (!cursor) {
      const startAt: StartAt = options.unseenTreesAreNewShards
        ? { kind: 'index', logIndex: tree.indexOffset }
        : options.startAt;
      const decision = await startIndex(tree, verified.treeSize, startAt);
      if (decision.warning)
        deps.emit({ type: 'warning', origin: tree.origin, message: decision.warning });
      cursor = stores.scans.start(tree.origin, decision.index, deps.now());
    }
    report = { ...report, nextIndex: cursor.nextIndex, treeSize: verified.treeSize };
    const scan = await scanLog(tree, verified, matching, deps, {
      batchSize: options.batchSize(tree),
      ...(options.alertOn && { alertOn: options.alertOn }),
      ...(options.signal && { signal: options.signal }),
    });
    stores.logs.recordError(tree.origin, null, deps.now());
    return {
      ...report,
      scanned: scan.scanned,
      nextIndex: stores.scans.get(tree.origin)!.nextIndex,
      matches: scan.matches,
    };
  } catch (err) {
    return { ...report, ...recordFailure(tree.origin, err, deps) };
  }
}

/**
 * Records a failure at a job boundary and returns how to report it. Integrity failures raise a
 * critical 'verification-failed' alert carrying the error's evidence.
 */
export function recordFailure(
  origin: string,
  err: unknown,
  deps: JobDeps,
): { integrityFailure: boolean; error: { code: ErrorCode; message: string } } {
  const error = toErrorView(err);
  const atMs = deps.now();
  const integrity = err instanceof VerificationError;
  deps.stores.transaction(() => {
    deps.stores.audit.append({
      kind: integrity ? 'verification.failed' : 'error',
      atMs,
      origin,
      detail: {
        code: error.code,
        message: error.message,
        ...(integrity && err.evidence && { evidence: jsonSafe(err.evidence) }),
        ...(!(err instanceof AppError) &&
          err instanceof Error &&
          err.stack && { stack: err.stack }),
      },
    });
    if (integrity) {
      deps.stores.alerts.raise({
        kind: 'verification-failed',
        dedupeKey: `verification-failed|${origin}|${error.code}|${error.message}`,
        origin,
        summary: `${origin} served data that fails verification: ${error.message}`,
        evidence: {
          code: error.code,
          message: error.message,
          ...(err.evidence && { evidence: jsonSafe(err.evidence) }),
        },
        atMs,
      });
    }
    if (deps.stores.logs.get(origin)) deps.stores.logs.recordError(origin, error, atMs);
  });
  deps.emit({ type: 'error', origin, code: error.code, message: error.message });
  return { integrityFailure: integrity, error };
}

/** Evidence as JSON: bytes become hex; everything else must already be JSON. */
function jsonSafe(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return encodeHex(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  if (value === undefined) return null;
  return value as string | number | boolean | null;
}
