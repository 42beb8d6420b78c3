// Matches: entries that mention a watched identity, with their evidence and triage state.
// They are inserted by commitScanBatch (scan-store.ts); this store reads and triages them.
import type { Database } from 'better-sqlite3';
import type { Classification, TriageState } from '../../../shared/domain';
import type { SignerIdentity } from '../../core/identity/types';
import { InputError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { blobToBytes, checkNote, checkUint, pageLimit, parseStoredJson } from './rows';
import { transactional } from './transaction';
import type { Match, MatchPage, MatchQuery } from './types';

export interface MatchStore {
  get(id: number): Match | undefined;
  /** The match without its evidence (see MatchSummary). */
  getSummary(id: number): MatchSummary | undefined;
  /** Matches newest first, filtered; keyset page by id. */
  page(query?: MatchQuery): MatchPage;
  /**
   * Up to `limit` (1..500) matches with afterId < id <= throughId, oldest first, without their
   * evidence (see MatchSummary): the keyset page an export streams. Copies none of the evidence
   * out of SQLite, so a page costs about half of `page`'s. Throws InputError INVALID_INPUT for a
   * bad id or limit.
   */
  summariesAfter(afterId: number, throughId: number, limit: number): MatchSummary[];
  /** Triage: "I have seen it". Also sets its alert's state. Throws InputError NOT_FOUND. */
  acknowledge(id: number, atMs: number): Match;
  /** Triage: "this signing was legitimate". Also sets its alert's state. Throws NOT_FOUND. */
  markExpected(id: number, atMs: number): Match;
  /** Replaces the match's note ('' removes it) and audits 'match.noted'. Throws NOT_FOUND. */
  setNote(id: number, note: string, atMs: number): Match;
}

/**
 * A match without its evidence (entry bytes, inclusion proof, checkpoint note): what a listing
 * or a CSV row shows, with the leaf hash as it is shown.
 */
export type MatchSummary = Omit<
  Match,
  'entryBytes' | 'leafHash' | 'inclusionProof' | 'checkpoint'
> & {
  /** Lowercase hex. */
  readonly leafHashHex: string;
  readonly checkpoint: Pick<Match['checkpoint'], 'treeSize'>;
};

export interface MatchRow {
  id: number;
  origin: string;
  log_index: number;
  shard_index: number | null;
  watch_name: string;
  entry_bytes: Buffer;
  leaf_hash: Buffer;
  integrated_time_ms: number | null;
  checkpoint_tree_size: number;
  checkpoint_note: string;
  inclusion_proof: Buffer;
  signer: string;
  classification: string;
  reason: string;
  triage: string;
  note: string | null;
  found_at_ms: number;
  triaged_at_ms: number | null;
}

/**
 * Every column but the evidence, as a raw row (an array in select order), the leaf hash in hex:
 * an export reads a million of them, and better-sqlite3 builds an array markedly faster than a
 * keyed object, and a string faster than a Buffer.
 */
type MatchSummaryRow = [
  id: number,
  origin: string,
  log_index: number,
  shard_index: number | null,
  watch_name: string,
  leaf_hash_hex: string,
  integrated_time_ms: number | null,
  checkpoint_tree_size: number,
  signer: string,
  classification: string,
  reason: string,
  triage: string,
  note: string | null,
  found_at_ms: number,
  triaged_at_ms: number | null,
];

interface PageParams {
  origin: string | null;
  watchName: string | null;
  classification: string | null;
  triage: string | null;
  beforeId: number;
  limit: number;
}

/** Prepares the match statements once; triage is audited through `audit`. */
export function createMatchStore(db: Database, audit: AuditStore): MatchStore {
  const select = db.prepare<[number], MatchRow>('SELECT * FROM matches WHERE id = ?');
  // Matches are few (alerts, not entries), so one statement with optional filters is enough.
  const selectPage = db.prepare<PageParams, MatchRow>(
    `SELECT * FROM matches
     WHERE (@origin IS NULL OR origin = @origin)
       AND (@watchName IS NULL OR watch_name = @watchName)
       AND (@classification IS NULL OR classification = @classification)
       AND (@triage IS NULL OR triage = @triage)
       AND id < @beforeId
     ORDER BY id DESC LIMIT @limit`,
  );
  const summaryColumns = `id, origin, log_index, shard_index, watch_name,
    lower(hex(leaf_hash)), integrated_time_ms, checkpoint_tree_size, signer, classification,
    reason, triage, note, found_at_ms, triaged_at_ms`;
  const selectSummary = db
    .prepare<[number], MatchSummaryRow>(`SELECT ${summaryColumns} FROM matches WHERE id = ?`)
    .raw();
  const selectSummaries = db
    .prepare<{ afterId: number; throughId: number; limit: number }, MatchSummaryRow>(
      `SELECT ${summaryColumns} FROM matches
       WHERE id > @afterId AND id <= @throughId ORDER BY id LIMIT @limit`,
    )
    .raw();
  const updateTriage = db.prepare('UPDATE matches SET triage = ?, triaged_at_ms = ? WHERE id = ?');
  const updateAlertState = db.prepare('UPDATE alerts SET state = ? WHERE match_id = ?');
  const updateNote = db.prepare('UPDATE matches SET note = ? WHERE id = ?');

  const getOrThrow = (id: number): Match => {
    const row = select.get(id);
    if (!row) throw new InputError('NOT_FOUND', `match ${id} not found`);
    return rowToMatch(row);
  };
  const triage = (state: TriageState) =>
    transactional(db, (id: number, atMs: number): Match => {
      checkUint(atMs, 'atMs');
      const match = getOrThrow(id);
      updateTriage.run(state, atMs, id);
      updateAlertState.run(state, id);
      audit.append({
        kind: 'match.triaged',
        atMs,
        origin: match.origin,
        detail: { matchId: id, watch: match.watchName, logIndex: match.logIndex, triage: state },
      });
      return getOrThrow(id);
    });

  return {
    get: (id) => {
      const row = select.get(id);
      return row && rowToMatch(row);
    },
    getSummary: (id) => {
      const row = selectSummary.get(id);
      return row && rowToMatchSummary(row);
    },
    page: (query = {}) => {
      const limit = pageLimit(query.limit);
      const beforeId = query.beforeId ?? Number.MAX_SAFE_INTEGER;
      checkUint(beforeId, 'beforeId');
      const rows = selectPage.all({
        origin: query.origin ?? null,
        watchName: query.watchName ?? null,
        classification: query.classification ?? null,
        triage: query.triage ?? null,
        beforeId,
        limit: limit + 1,
      });
      const matches = rows.slice(0, limit).map(rowToMatch);
      return rows.length > limit ? { matches, nextBeforeId: matches.at(-1)!.id } : { matches };
    },
    summariesAfter: (afterId, throughId, limit) => {
      checkUint(afterId, 'afterId');
      checkUint(throughId, 'throughId');
      return selectSummaries
        .all({ afterId, throughId, limit: pageLimit(limit) })
        .map(rowToMatchSummary);
    },
    acknowledge: triage('acknowledged'),
    markExpected: triage('expected'),
    setNote: transactional(db, (id: number, note: string, atMs: number): Match => {
      checkUint(atMs, 'atMs');
      checkNote(note);
      const match = getOrThrow(id);
      updateNote.run(note === '' ? null : note, id);
      audit.append({
        kind: 'match.noted',
        atMs,
        origin: match.origin,
        detail: { matchId: id, note },
      });
      return getOrThrow(id);
    }),
  };
}

/** Maps a matches row (also used by commitScanBatch's results). */
export function rowToMatch(row: MatchRow): Match {
  const proof = blobToBytes(row.inclusion_proof);
  const inclusionProof: Uint8Array[] = [];
  for (let i = 0; i < proof.length; i += 32) inclusionProof.push(proof.subarray(i, i + 32));
  return {
    id: row.id,
    origin: row.origin,
    logIndex: row.log_index,
    ...(row.shard_index === null ? {} : { shardIndex: row.shard_index }),
    watchName: row.watch_name,
    entryBytes: blobToBytes(row.entry_bytes),
    leafHash: blobToBytes(row.leaf_hash),
    ...(row.integrated_time_ms === null ? {} : { integratedTimeMs: row.integrated_time_ms }),
    checkpoint: { treeSize: row.checkpoint_tree_size, signedNote: row.checkpoint_note },
    inclusionProof,
    signer: parseStoredJson<SignerIdentity>(row.signer, 'matches.signer'),
    classification: row.classification as Classification,
    reason: row.reason,
    triage: row.triage as TriageState,
    ...(row.note === null ? {} : { note: row.note }),
    foundAtMs: row.found_at_ms,
    ...(row.triaged_at_ms === null ? {} : { triagedAtMs: row.triaged_at_ms }),
  };
}

/** Maps a MatchSummaryRow, a row in the column order of the summaries statement. */
function rowToMatchSummary(row: MatchSummaryRow): MatchSummary {
  const [
    id,
    origin,
    logIndex,
    shardIndex,
    watchName,
    leafHashHex,
    integratedTimeMs,
    treeSize,
    signer,
    classification,
    reason,
    triage,
    note,
    foundAtMs,
    triagedAtMs,
  ] = row;
  return {
    id,
    origin,
    logIndex,
    ...(shardIndex === null ? {} : { shardIndex }),
    watchName,
    leafHashHex,
    ...(integratedTimeMs === null ? {} : { integratedTimeMs }),
    checkpoint: { treeSize },
    signer: parseStoredJson<SignerIdentity>(signer, 'matches.signer'),
    classification: classification as Classification,
    reason,
    triage: triage as TriageState,
    ...(note === null ? {} : { note }),
    foundAtMs,
    ...(triagedAtMs === null ? {} : { triagedAtMs }),
  };
}
