// scan-log: from the scan cursor to the verified tree size, read entries in batches (each
// proven in the verified tree by the tree reader), match them, and commit each batch's matches
// together with the cursor advance in one transaction: a crash re-scans a batch, never skips one.
import type { Classification } from '../../../shared/domain';
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import type { NewMatch } from '../store/types';
import type { JobDeps } from './check-log';
import type { EntryMatching } from './entry-matching';
import type { EntryMatches } from './match-entry';
import type { FollowedTree, ScannedEntry } from './tree';

export interface ScanOptions {
  /** Entries per committed batch. */
  readonly batchSize: number;
  /**
   * Start here instead of at the cursor: a catch-up re-scanning entries below it for the
   * watchlist (the cursor never moves back). Must not be past the cursor.
   */
  readonly from?: number;
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

/** Unreadable entries audited one by one per batch; more are audited as a count. */
const MAX_PROBLEMS_AUDITED = 20;

/** Lets timers, IPC and signals run between batches: the main process must stay responsive. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Entries per read of the tree: a batch is read in parts of at most this many, the next part
 * always in flight. Response bodies then live for one part, not for a whole batch and the
 * read-ahead of the next, so the garbage collector frees them young instead of promoting them
 * to the old generation, where they would pile up until a full collection: this is what bounds
 * a long scan's peak memory. Parts of one checkpoint cost no extra hashing: the tiles they
 * share are authenticated once (see RekorV2Reader.readEntries).
 */
export const READ_ENTRIES = 1024;

/**
 * Scans `tree` from its cursor (or `from`) up to `checkpoint` (already verified and stored). The cursor must
 * exist (see startCursor). Returns when caught up or aborted; throws what the reader throws
 * (FetchError, VerificationError) after committing every batch finished before it.
 */
export async function scanLog(
  tree: FollowedTree,
  checkpoint: VerifiedCheckpoint,
  matching: EntryMatching,
  deps: JobDeps,
  options: ScanOptions,
): Promise<ScanOutcome> {
  const counts: Record<Classification, number> = { expected: 0, unexpected: 0, untrusted: 0 };
  let scanned = 0;
  let unreadable = 0;
  const cursor = deps.stores.scans.get(tree.origin);
  if (!cursor) throw new RangeError(`no scan cursor for ${tree.origin}`);
  if (options.from !== undefined && options.from > cursor.nextIndex) {
    throw new RangeError(`scan of ${tree.origin} from ${options.from}, past its cursor`);
  }
  let next = options.from ?? cursor.nextIndex;
  const end = Math.min(checkpoint.treeSize, options.stopAt ?? Number.MAX_SAFE_INTEGER);
  /** Entries [from, min(from + READ_ENTRIES, batchEnd)) of the batch that ends at batchEnd. */
  const readPart = (from: number, batchEnd: number): ReadPart => {
    const to = Math.min(from + READ_ENTRIES, batchEnd);
    const entries = tree.readEntries(from, to, checkpoint);
    // Awaited in the next iteration; if the scan stops first, its failure has no one to tell.
    entries.catch(() => undefined);
    return { to, batchEnd, entries };
  };
  const firstPart = (from: number): ReadPart =>
    readPart(from, Math.min(from + options.batchSize, end));
  let ahead: ReadPart | undefined = next < end ? firstPart(next) : undefined;
  while (ahead !== undefined && !options.signal?.aborted) {
    const batchEnd = ahead.batchEnd;
    const found: NewMatch[] = [];
    const problems: { index: number; problem: string }[] = [];
    // The batch's parts in matching, in order. Each part is handed to the matcher as soon as
    // it is read, and the next read starts at once: with a worker thread, reading (network and
    // hashing) and matching (parsing) then both keep busy until the batch is read. Only the
    // entries that matched or could not be read outlive their part's matching (copied out of
    // the response bodies, which can then be freed young; see READ_ENTRIES).
    const inMatching: Promise<{ entry: ScannedEntry; result: EntryMatches }[]>[] = [];
    for (let part: ReadPart | undefined = ahead; part !== undefined;) {
      const entries = await part.entries;
      // A failed read of the next batch is thrown only after this batch commits.
      const to: number = part.to;
      ahead = to < batchEnd ? readPart(to, batchEnd) : to < end ? firstPart(to) : undefined;
      const examined = matching.match(entries, tree.origin).then((matched) =>
        matched.map(({ position, result }) => {
          const entry = entries[position]!;
          return { entry: { ...entry, bytes: entry.bytes.slice() }, result };
        }),
      );
      // Awaited below; if a later read fails first, its failure has no one to tell.
      examined.catch(() => undefined);
      inMatching.push(examined);
      part = to < batchEnd ? ahead : undefined;
    }
    for (const examined of inMatching) {
      for (const { entry, result } of await examined) {
        if (result.problem !== undefined)
          problems.push({ index: entry.index, problem: result.problem });
        for (const m of result.matches) {
          const identity = result.identities[m.signerIndex]!;
          found.push(await toNewMatch(tree, checkpoint, entry, m, identity));
        }
      }
    }
    const commit = deps.stores.transaction(() => {
      // A log may hold any bytes: unreadable entries are recorded, not fatal. The first few
      // per batch in full, the rest as a count, so a flood of junk cannot flood the audit log.
      for (const p of problems.slice(0, MAX_PROBLEMS_AUDITED)) {
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
      if (problems.length > MAX_PROBLEMS_AUDITED) {
        deps.stores.audit.append({
          kind: 'error',
          atMs: deps.now(),
          origin: tree.origin,
          detail: {
            code: 'ENTRY_MALFORMED',
            message: `${problems.length - MAX_PROBLEMS_AUDITED} more unreadable entries in [${tree.indexOffset + next}, ${tree.indexOffset + batchEnd})`,
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

/** One read of a scan: the entries up to `to` of the batch that ends at `batchEnd`. */
interface ReadPart {
  readonly to: number;
  readonly batchEnd: number;
  readonly entries: Promise<ScannedEntry[]>;
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
