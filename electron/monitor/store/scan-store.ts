// Scan cursors, and the one transaction that stores a scanned batch: its matches, their alerts
// and outbox rows, and the cursor advance.
import type { Database } from 'better-sqlite3';
import { bytesEqual, concatBytes, encodeHex } from '../../core/bytes';
import { InputError } from '../../core/errors';
import { sha256 } from '../../core/hash';
import type { ActivityStore } from './activity-store';
import { matchDedupeKey, prepareRaiseAlert } from './alert-store';
import type { AuditStore } from './audit-store';
import { rowToMatch, type MatchRow } from './match-store';
import { checkName, checkUint } from './rows';
import { transactional } from './transaction';
import type { Alert, Match, NewMatch, ScanBatch, ScanCommit, ScanCursor } from './types';

export interface ScanStore {
  get(origin: string): ScanCursor | undefined;
  /** Every cursor, by origin. */
  list(): ScanCursor[];
  /**
   * Creates the cursor for `origin` at `nextIndex` and audits 'scan.started'; returns the
   * existing cursor unchanged if there is one. Where to start (0 for a full backfill, the
   * verified tree size to watch only new entries) is the caller's decision, made once.
   * Requires a known log and nextIndex <= its latest checkpoint's tree size.
   */
  start(origin: string, nextIndex: number, atMs: number): ScanCursor;
  /**
   * Commits one scanned batch in ONE transaction: inserts its matches (unique per origin, log
   * index and watch, so re-scanning inserts nothing twice), raises an alert with outbox rows
   * for each new 'unexpected' or 'untrusted' match, and advances the cursor to toIndex. A crash
   * before commit therefore re-scans the batch and never skips it. Adds the batch's entries
   * (toIndex - fromIndex, re-scanned ones too: each was proven and matched again) and its new
   * matches to the activity aggregate. Audits 'match.found', 'alert.raised' and 'scan.advanced'. Returns only what was newly inserted; notify after it
   * returns, never inside.
   *
   * A batch may re-scan entries below the cursor (a backfill for a new watch); the cursor never
   * moves backwards. Refuses (InputError) a batch that starts past the cursor (it would skip
   * entries), one that ends past its tree size or whose tree size exceeds the latest stored
   * checkpoint, and matches whose index lies outside the batch, whose leaf hash is not the
   * RFC 6962 hash of their bytes, or whose v1 shard index does not add up to their log index.
   */
  commitScanBatch(batch: ScanBatch): ScanCommit;
}

interface CursorRow {
  origin: string;
  next_index: number;
  tree_size: number;
  updated_at_ms: number;
}

/** Classifications that raise an alert unless a batch says otherwise. */
const ALERTING: ReadonlySet<string> = new Set(['unexpected', 'untrusted']);
const CLASSIFICATIONS: ReadonlySet<string> = new Set(['expected', 'unexpected', 'untrusted']);

/**
 * Prepares the scan statements once; the batch is audited through `audit` and counted in
 * `activity`.
 */
export function createScanStore(
  db: Database,
  audit: AuditStore,
  activity: ActivityStore,
): ScanStore {
  const raiseAlert = prepareRaiseAlert(db, audit);
  const selectLog = db.prepare<[string], { api_version: number; index_offset: number | null }>(
    'SELECT api_version, index_offset FROM logs WHERE origin = ?',
  );
  const latestTreeSize = db
    .prepare<[string], number | null>('SELECT max(tree_size) FROM checkpoints WHERE origin = ?')
    .pluck();
  const select = db.prepare<[string], CursorRow>('SELECT * FROM scan_cursors WHERE origin = ?');
  const selectAll = db.prepare<[], CursorRow>('SELECT * FROM scan_cursors ORDER BY origin');
  const insertCursor = db.prepare(
    `INSERT INTO scan_cursors (origin, next_index, tree_size, updated_at_ms) VALUES (?, ?, ?, ?)`,
  );
  const advanceCursor = db.prepare(
    `UPDATE scan_cursors SET next_index = max(next_index, @toIndex),
       tree_size = max(tree_size, @treeSize), updated_at_ms = @atMs
     WHERE origin = @origin`,
  );
  const insertMatch = db.prepare<Record<string, unknown>, MatchRow>(
    `INSERT INTO matches (origin, log_index, shard_index, watch_name, entry_bytes, leaf_hash,
       integrated_time_ms, checkpoint_tree_size, checkpoint_note, inclusion_proof, signer,
       classification, reason, triage, found_at_ms)
     VALUES (@origin, @logIndex, @shardIndex, @watchName, @entryBytes, @leafHash,
       @integratedTimeMs, @checkpointTreeSize, @checkpointNote, @inclusionProof, @signer,
       @classification, @reason, 'new', @atMs)
     ON CONFLICT (origin, log_index, watch_name) DO NOTHING
     RETURNING *`,
  );

  const logOrThrow = (origin: string) => {
    const log = selectLog.get(origin);
    if (!log) throw new InputError('NOT_FOUND', `log ${JSON.stringify(origin)} not found`);
    return log;
  };
  const getCursor = (origin: string) => {
    const row = select.get(origin);
    return row && rowToCursor(row);
  };

  return {
    get: getCursor,
    list: () => selectAll.all().map(rowToCursor),

    start: transactional(db, (origin: string, nextIndex: number, atMs: number): ScanCursor => {
      checkUint(nextIndex, 'nextIndex');
      checkUint(atMs, 'atMs');
      logOrThrow(origin);
      const existing = getCursor(origin);
      if (existing) return existing;
      const verified = latestTreeSize.get(origin) ?? 0;
      if (nextIndex > verified) {
        throw new InputError(
          'INVALID_INPUT',
          `scan of ${origin} cannot start at ${nextIndex}, past the verified tree size ${verified}`,
        );
      }
      insertCursor.run(origin, nextIndex, nextIndex, atMs);
      audit.append({ kind: 'scan.started', atMs, origin, detail: { nextIndex } });
      return getCursor(origin)!;
    }),

    commitScanBatch: transactional(db, (batch: ScanBatch): ScanCommit => {
      const { origin, fromIndex, toIndex, treeSize, atMs } = batch;
      const alertOn: ReadonlySet<string> = batch.alertOn ? new Set(batch.alertOn) : ALERTING;
      checkUint(fromIndex, 'fromIndex');
      checkUint(toIndex, 'toIndex');
      checkUint(treeSize, 'treeSize');
      checkUint(atMs, 'atMs');
      const log = logOrThrow(origin);
      const cursor = getCursor(origin);
      if (!cursor) {
        throw new InputError('NOT_FOUND', `no scan cursor for ${origin}: start the scan first`);
      }
      if (fromIndex > cursor.nextIndex) {
        throw new InputError(
          'INVALID_INPUT',
          `batch for ${origin} starts at ${fromIndex}, past the cursor ${cursor.nextIndex}: entries would be skipped`,
        );
      }
      if (fromIndex > toIndex || toIndex > treeSize) {
        throw new InputError(
          'INVALID_INPUT',
          `batch range ${fromIndex}..${toIndex}, want fromIndex <= toIndex <= tree size ${treeSize}`,
        );
      }
      const verified = latestTreeSize.get(origin) ?? 0;
      if (treeSize > verified) {
        throw new InputError(
          'INVALID_INPUT',
          `batch tree size ${treeSize} for ${origin} exceeds the latest verified checkpoint ${verified}`,
        );
      }

      const matches: Match[] = [];
      const alerts: Alert[] = [];
      for (const m of batch.matches) {
        checkMatch(m, batch, log);
        const row = insertMatch.get({
          origin,
          logIndex: m.logIndex,
          shardIndex: m.shardIndex ?? null,
          watchName: m.watchName,
          entryBytes: m.entryBytes,
          leafHash: m.leafHash,
          integratedTimeMs: m.integratedTimeMs ?? null,
          checkpointTreeSize: m.checkpoint.treeSize,
          checkpointNote: m.checkpoint.signedNote,
          inclusionProof: concatBytes(...m.inclusionProof),
          signer: JSON.stringify(m.signer),
          classification: m.classification,
          reason: m.reason,
          atMs,
        });
        if (!row) continue; // found by an earlier scan of the same entry
        const match = rowToMatch(row);
        matches.push(match);
        audit.append({
          kind: 'match.found',
          atMs,
          origin,
          treeSize: m.checkpoint.treeSize,
          detail: {
            matchId: match.id,
            watch: m.watchName,
            logIndex: m.logIndex,
            leafHash: encodeHex(m.leafHash),
            classification: m.classification,
            reason: m.reason,
          },
        });
        if (alertOn.has(m.classification)) {
          const alert = raiseAlert({
            kind: 'match',
            dedupeKey: matchDedupeKey(origin, m.logIndex, m.watchName),
            origin,
            matchId: match.id,
            summary: `${m.classification} signing for watch ${m.watchName} at ${origin} index ${m.logIndex}: ${m.reason}`,
            atMs,
          });
          if (alert) alerts.push(alert);
        }
      }

      // In the same transaction as the matches: a crash re-scans rather than skips.
      advanceCursor.run({ origin, toIndex, treeSize, atMs });
      const advanced = getCursor(origin)!;
      activity.add(origin, atMs, toIndex - fromIndex, matches.length);
      audit.append({
        kind: 'scan.advanced',
        atMs,
        origin,
        treeSize,
        detail: { fromIndex, toIndex, nextIndex: advanced.nextIndex, newMatches: matches.length },
      });
      return { cursor: advanced, matches, alerts };
    }),
  };
}

const LEAF_HASH_PREFIX = new Uint8Array([0x00]);

function checkMatch(
  m: NewMatch,
  batch: ScanBatch,
  log: { api_version: number; index_offset: number | null },
): void {
  const at = `match of ${m.watchName} at ${batch.origin} index ${m.logIndex}`;
  checkName(m.watchName, 'watch name');
  checkUint(m.logIndex, 'logIndex');
  if (m.integratedTimeMs !== undefined) checkUint(m.integratedTimeMs, 'integratedTimeMs');
  let treeIndex = m.logIndex;
  if (log.api_version === 1) {
    if (m.shardIndex === undefined) throw invalid(`${at}: rekor v1 needs a shard index`);
    checkUint(m.shardIndex, 'shardIndex');
    if (m.shardIndex + log.index_offset! !== m.logIndex) {
      throw invalid(`${at}: shard index ${m.shardIndex} + offset ${log.index_offset} != log index`);
    }
    treeIndex = m.shardIndex;
  } else if (m.shardIndex !== undefined) {
    throw invalid(`${at}: rekor v2 entries have no shard index`);
  }
  if (treeIndex < batch.fromIndex || treeIndex >= batch.toIndex) {
    throw invalid(`${at}: index ${treeIndex} outside batch ${batch.fromIndex}..${batch.toIndex}`);
  }
  if (!bytesEqual(m.leafHash, sha256(LEAF_HASH_PREFIX, m.entryBytes))) {
    throw invalid(`${at}: leaf hash is not SHA-256(0x00 || entry bytes)`);
  }
  checkUint(m.checkpoint.treeSize, 'checkpoint tree size');
  if (treeIndex >= m.checkpoint.treeSize) {
    throw invalid(
      `${at}: index ${treeIndex} not below checkpoint tree size ${m.checkpoint.treeSize}`,
    );
  }
  // The checkpoint's note must be for this log and size (c2sp.org/tlog-checkpoint lines 1-2).
  if (!m.checkpoint.signedNote.startsWith(`${batch.origin}\n${m.checkpoint.treeSize}\n`)) {
    throw invalid(`${at}: checkpoint note is not for ${batch.origin} at ${m.checkpoint.treeSize}`);
  }
  if (m.inclusionProof.some((h) => h.length !== 32)) {
    throw invalid(`${at}: inclusion proof hashes must be 32 bytes`);
  }
  if (!CLASSIFICATIONS.has(m.classification)) {
    throw invalid(`${at}: classification ${JSON.stringify(m.classification)} is unknown`);
  }
}

const invalid = (message: string) => new InputError('INVALID_INPUT', message);

function rowToCursor(row: CursorRow): ScanCursor {
  return {
    origin: row.origin,
    nextIndex: row.next_index,
    treeSize: row.tree_size,
    updatedAtMs: row.updated_at_ms,
  };
}
