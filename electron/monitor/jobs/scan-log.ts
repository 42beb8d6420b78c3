// scan-log: from the scan cursor to the verified tree size, read entries in batches (each
// proven in the verified tree by the tree reader), match them, and commit each batch's matches
// together with the cursor advance in one transaction: a crash re-scans a batch, never skips one.
import type { Classification } from '../../../shared/domain';
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import type { NewMatch } from '../store/types';
import type { JobDeps } from './check-log';
import { matchEntryBytes, type EntryMatcher } from './match-entry';
import type { FollowedTree, ScannedEntry } from './tree';

export interface ScanOptions {
  /** Entries per committed batch. */
  readonly batchSize: number;
  /** Stop after this index (exclusive) even if the tree is larger. */
  readonly stopAt?: number;
  /** Classifications that raise alerts (default: the store's, unexpected and untrusted). */
  readonly alertOn?: readonly Classification[];
  readonly signal?: AbortSignal;
}

export interface ScanOutcome {
  readonly scanned: number;
  readonly nextIndex: number;
  readonly matches: Readonly<Record<Classification, number>>;
  /** Entries whose body or certificate did not parse (recorded in the audit log). */
  readonly unreadable: number;
}

/** Lets timers, IPC and signals run between batches: the main process must stay responsive. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Scans `tree` from its cursor up to `checkpoint` (already verified and stored). The cursor must
 * exist (see startCursor). Returns when caught up or aborted; throws what the reader throws
 * (FetchError, VerificationError) after committing every batch finished before it.
 */
export async function scanLog(
  tree: FollowedTree,
  checkpoint: VerifiedCheckpoint,
  matcher: EntryMatcher,
  deps: JobDeps,
  options: ScanOptions,
): Promise<ScanOutcome> {
  const counts: Record<Classification, number> = { expected: 0, unexpected: 0, untrusted: 0 };
  let scanned = 0;
  let unreadable = 0;
  const cursor = deps.stores.scans.get(tree.origin);
  if (!cursor) throw new RangeError(`no scan cursor for ${tree.origin}`);
  let next = cursor.nextIndex;
  const end = Math.min(checkpoint.treeSize, options.stopAt ?? Number.MAX_SAFE_INTEGER);
  const readBatch = (from: number) => {
    const to = Math.min(from + options.batchSize, end);
    const entries = tree.readEntries(from, to, checkpoint);
    // Awaited in the next iteration; if the scan stops first, its failure has no one to tell.
    entries.catch(() => undefined);
    return { to, entries };
  };
  let ahead = next < end ? readBatch(next) : undefined;
  while (ahead !== undefined && !options.signal?.aborted) {
    const batchEnd = ahead.to;
    const entries = await ahead.entries;
    // Read the next batch while this one is matched and committed: reading waits on the
    // network, matching on the CPU. A failed read is thrown only after this batch commits.
    ahead = batchEnd < end ? readBatch(batchEnd) : undefined;
    const found: NewMatch[] = [];
    const problems: { index: number; problem: string }[] = [];
    for (const entry of entries) {
      const result = matchEntryBytes(matcher, entry.bytes, {
        origin: tree.origin,
        ...(entry.integratedTimeMs !== undefined && { integratedTimeMs: entry.integratedTimeMs }),
      });
      if (result.problem !== undefined)
        problems.push({ index: entry.index, problem: result.problem });
      for (const m of result.matches) {
        found.push(await toNewMatch(tree, checkpoint, entry, m, result.identities[m.signerIndex]!));
      }
    }
    const commit = deps.stores.transaction(() => {
      for (const p of problems.slice(0, 20)) {
        deps.stores.audit.append({
          kind: 'error',
          atMs: deps.now(),
          origin: tree.origin,
          detail: {
            code: 'ENTRY_MALFORMED',
            logIndex: tree.indexOffset + p.index,
            message: p.problem,
          },
        });
      }
      return deps.stores.scans.commitScanBatch({
        origin: tree.origin,
        fromIndex: next,
        toIndex: batchEnd,
        treeSize: checkpoint.treeSize,
        matches: found,
        atMs: deps.now(),
        ...(options.alertOn && { alertOn: options.alertOn }),
      });
    });
    // Side effects only after the commit.
    for (const m of commit.matches) {
      counts[m.classification]++;
      deps.emit({
        type: 'match',
        origin: tree.origin,
        logIndex: m.logIndex,
        watch: m.watchName,
        classification: m.classification,
        reason: m.reason,
        matchId: m.id,
      });
    }
    unreadable += problems.length;
    scanned += batchEnd - next;
    next = batchEnd;
    deps.emit({
      type: 'scan.progress',
      origin: tree.origin,
      nextIndex: next,
      treeSize: checkpoint.treeSize,
      scanned,
    });
    await yieldToEventLoop();
  }
  return { scanned, nextIndex: next, matches: counts, unreadable };
}

async function toNewMatch(
  tree: FollowedTree,
  checkpoint: VerifiedCheckpoint,
  entry: ScannedEntry,
  match: { watch: string; classification: Classification; reason: string },
  signer: NewMatch['signer'],
): Promise<NewMatch> {
  const evidence = entry.evidence ?? (await tree.inclusionEvidence(entry.index, checkpoint));
  return {
    logIndex: tree.indexOffset + entry.index,
    ...(tree.apiVersion === 1 && { shardIndex: entry.index }),
    watchName: match.watch,
    entryBytes: entry.bytes,
    leafHash: entry.leafHash,
    ...(entry.integratedTimeMs !== undefined && { integratedTimeMs: entry.integratedTimeMs }),
    checkpoint: { treeSize: evidence.treeSize, signedNote: evidence.signedNote },
    inclusionProof: evidence.hashes,
    signer,
    classification: match.classification,
    reason: match.reason,
  };
}
