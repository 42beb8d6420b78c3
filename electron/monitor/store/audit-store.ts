// The append-only audit log: what the app observed or did, hash-chained (audit-chain.ts).
import type { Database } from 'better-sqlite3';
import { decodeUtf8Strict, encodeUtf8 } from '../../core/bytes';
import { InputError } from '../../core/errors';
import { GENESIS_HASH, hashAuditEvent, type ChainHead } from './audit-chain';
import { blobToBytes, checkUint, pageLimit, parseStoredJson } from './rows';
import { transactional } from './transaction';
import {
  AUDIT_KINDS,
  type AuditEvent,
  type AuditKind,
  type AuditPage,
  type AuditQuery,
  type NewAuditEvent,
} from './types';

export interface AuditStore {
  /**
   * Appends one event and returns it with its seq and hash. Callable inside another store's
   * transaction (it then commits or rolls back with it); otherwise it runs in its own.
   *
   * atMs never decreases along the chain: an earlier time (the clock stepped back) is recorded
   * as the previous event's time, which keeps the timeline ordered and time ranges indexable.
   */
  append(event: NewAuditEvent): AuditEvent;
  /** The newest event's seq and hash; undefined while the log is empty. */
  head(): ChainHead | undefined;
  /**
   * One page of events, newest first, filtered by kind, origin, time range and text. Keyset
   * pagination by seq: each page costs an index seek, however deep, on millions of rows.
   */
  page(query?: AuditQuery): AuditPage;
}

interface AuditRow {
  seq: number;
  at_ms: number;
  kind: string;
  origin: string | null;
  tree_size: number | null;
  detail: string;
  prev_hash: Buffer;
  hash: Buffer;
}

const KINDS: ReadonlySet<string> = new Set(AUDIT_KINDS);

const COLUMNS = 'seq, at_ms, kind, origin, tree_size, detail, prev_hash, hash';

/** Prepares the audit statements once. The audit table must exist (migrated database). */
export function createAuditStore(db: Database): AuditStore {
  const lastRow = db.prepare<[], Pick<AuditRow, 'seq' | 'at_ms' | 'hash'>>(
    'SELECT seq, at_ms, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // at_ms is non-decreasing along seq, so the first/last event inside a time range bound the
  // seq range exactly; both are one seek on audit_events_by_time.
  const firstSeqFrom = db
    .prepare<[number], number>(
      'SELECT seq FROM audit_events WHERE at_ms >= ? ORDER BY at_ms, seq LIMIT 1',
    )
    .pluck();
  const lastSeqBefore = db
    .prepare<[number], number>(
      'SELECT seq FROM audit_events WHERE at_ms < ? ORDER BY at_ms DESC, seq DESC LIMIT 1',
    )
    .pluck();
  const pages = preparePageQueries(db);

  const appendNow = (e: NewAuditEvent): AuditEvent => {
    checkEvent(e);
    const last = lastRow.get();
    const seq = (last?.seq ?? 0) + 1;
    const atMs = Math.max(e.atMs, last?.at_ms ?? 0);
    const detail = JSON.stringify(e.detail ?? {});
    const prevHash = last ? blobToBytes(last.hash) : GENESIS_HASH;
    const fields = { seq, atMs, kind: e.kind, origin: e.origin, treeSize: e.treeSize, detail };
    const hash = hashAuditEvent({ ...fields, prevHash });
    insert.run(seq, atMs, e.kind, e.origin ?? null, e.treeSize ?? null, detail, prevHash, hash);
    return {
      seq,
      atMs,
      kind: e.kind,
      ...(e.origin === undefined ? {} : { origin: e.origin }),
      ...(e.treeSize === undefined ? {} : { treeSize: e.treeSize }),
      detail: e.detail ?? {},
      prevHash,
      hash,
    };
  };
  const appendInTransaction = transactional(db, appendNow);

  return {
    // Inside a caller's transaction run directly: a savepoint per event would double the cost
    // of bulk appends for nothing.
    append: (e) => (db.inTransaction ? appendNow(e) : appendInTransaction(e)),

    head() {
      const last = lastRow.get();
      return last ? { seq: last.seq, hash: blobToBytes(last.hash) } : undefined;
    },

    page(query = {}) {
      const limit = pageLimit(query.limit);
      let minSeq = 1;
      let maxSeq = Number.MAX_SAFE_INTEGER;
      if (query.beforeSeq !== undefined) {
        checkUint(query.beforeSeq, 'beforeSeq');
        maxSeq = query.beforeSeq - 1;
      }
      if (query.fromMs !== undefined) {
        checkUint(query.fromMs, 'fromMs');
        minSeq = firstSeqFrom.get(query.fromMs) ?? Number.MAX_SAFE_INTEGER;
      }
      if (query.toMs !== undefined) {
        checkUint(query.toMs, 'toMs');
        maxSeq = Math.min(maxSeq, lastSeqBefore.get(query.toMs) ?? 0);
      }
      if (query.kind !== undefined && !KINDS.has(query.kind)) {
        throw new InputError('INVALID_INPUT', `unknown audit kind ${JSON.stringify(query.kind)}`);
      }
      if (minSeq > maxSeq) return { events: [] };
      const statement = pages[pageKey(query)];
      const rows = statement.all({
        kind: query.kind,
        origin: query.origin,
        pattern: query.text === undefined ? undefined : likePattern(query.text),
        minSeq,
        maxSeq,
        limit: limit + 1,
      });
      const events = rows.slice(0, limit).map(rowToAuditEvent);
      return rows.length > limit ? { events, nextBeforeSeq: events.at(-1)!.seq } : { events };
    },
  };
}

function checkEvent(e: NewAuditEvent): void {
  if (!KINDS.has(e.kind)) {
    throw new InputError('INVALID_INPUT', `unknown audit kind ${JSON.stringify(e.kind)}`);
  }
  checkUint(e.atMs, 'atMs');
  if (e.treeSize !== undefined) checkUint(e.treeSize, 'treeSize');
  // A lone surrogate would be stored as U+FFFD and no longer hash to the stored value.
  if (e.origin !== undefined && decodeUtf8Strict(encodeUtf8(e.origin)) !== e.origin) {
    throw new InputError('INVALID_INPUT', 'origin is not well-formed UTF-16');
  }
}

type PageKey = `${'k' | '-'}${'o' | '-'}${'t' | '-'}`;

const pageKey = (q: AuditQuery): PageKey =>
  `${q.kind === undefined ? '-' : 'k'}${q.origin === undefined ? '-' : 'o'}${q.text === undefined ? '-' : 't'}`;

interface PageParams {
  kind: string | undefined;
  origin: string | undefined;
  pattern: string | undefined;
  minSeq: number;
  maxSeq: number;
  limit: number;
}

// One statement per filter combination, prepared up front: "(@kind IS NULL OR kind = @kind)"
// would keep SQLite from using the (kind, seq) and (origin, seq) indexes.
function preparePageQueries(
  db: Database,
): Record<PageKey, ReturnType<typeof db.prepare<PageParams, AuditRow>>> {
  const keys: PageKey[] = ['---', '--t', '-o-', '-ot', 'k--', 'k-t', 'ko-', 'kot'];
  const entries = keys.map((key) => {
    const where = ['seq BETWEEN @minSeq AND @maxSeq'];
    if (key[0] === 'k') where.push('kind = @kind');
    if (key[1] === 'o') where.push('origin = @origin');
    if (key[2] === 't') {
      where.push(`(detail LIKE @pattern ESCAPE '\\' OR origin LIKE @pattern ESCAPE '\\')`);
    }
    const sql = `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
                 ORDER BY seq DESC LIMIT @limit`;
    return [key, db.prepare<PageParams, AuditRow>(sql)] as const;
  });
  return Object.fromEntries(entries) as Record<PageKey, (typeof entries)[number][1]>;
}

// The text is matched literally: %, _ and the escape character lose their LIKE meaning.
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rowToAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    atMs: row.at_ms,
    kind: row.kind as AuditKind,
    ...(row.origin === null ? {} : { origin: row.origin }),
    ...(row.tree_size === null ? {} : { treeSize: row.tree_size }),
    detail: parseStoredJson(row.detail, 'audit_events.detail'),
    prevHash: blobToBytes(row.prev_hash),
    hash: blobToBytes(row.hash),
  };
}
