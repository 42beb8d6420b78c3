// The logs the monitor follows, keyed by origin, with their operational status.
import type { Database } from 'better-sqlite3';
import type { ErrorView } from '../../../shared/errors';
import { InputError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { checkName, checkUint, parseStoredJson, toFlag } from './rows';
import { transactional } from './transaction';
import type { LogDescriptorRecord, LogState, StoredLog } from './types';

export interface LogStore {
  /**
   * Adds the log, or updates its read URL and state. Audits 'log.added' or 'log.changed'; an
   * identical descriptor changes and audits nothing. Throws InputError CONFIG_INVALID when the
   * API version, tree ID or index offset of a known origin differ: stored log indices depend on
   * them, so they are fixed for the life of an origin.
   */
  upsert(log: LogDescriptorRecord, atMs: number): 'added' | 'changed' | 'unchanged';
  get(origin: string): StoredLog | undefined;
  /** All logs, by origin; only those in `state` when given. */
  list(state?: LogState): StoredLog[];
  /** Pauses or resumes following a log (user choice; not audited, it observes nothing). */
  setPaused(origin: string, paused: boolean): void;
  /** Records the last operational error for status display, or clears it with null. */
  recordError(origin: string, error: ErrorView | null, atMs: number): void;
  /**
   * Records the key name the log's checkpoint signature line carried. A change of name is
   * audited ('log.changed' with keyName and previousKeyName); the same name writes nothing.
   */
  recordKeyName(origin: string, keyName: string, atMs: number): void;
}

interface LogRow {
  origin: string;
  api_version: number;
  read_url: string;
  state: string;
  tree_id: string | null;
  index_offset: number | null;
  paused: number;
  last_error: string | null;
  last_error_at_ms: number | null;
  /** Schema 3; absent from rows of an older schema read without migrating. */
  checkpoint_key_name?: string | null;
  added_at_ms: number;
}

// A Trillian tree ID: a positive 64-bit integer, canonical decimal.
const TREE_ID = /^[1-9][0-9]{0,19}$/;

/** Prepares the log statements once; changes are audited through `audit`. */
export function createLogStore(db: Database, audit: AuditStore): LogStore {
  const select = db.prepare<[string], LogRow>('SELECT * FROM logs WHERE origin = ?');
  const selectAll = db.prepare<[], LogRow>('SELECT * FROM logs ORDER BY origin');
  const selectByState = db.prepare<[string], LogRow>(
    'SELECT * FROM logs WHERE state = ? ORDER BY origin',
  );
  const insert = db.prepare(
    `INSERT INTO logs (origin, api_version, read_url, state, tree_id, index_offset, added_at_ms)
     VALUES (@origin, @apiVersion, @readUrl, @state, @treeId, @indexOffset, @atMs)`,
  );
  const update = db.prepare(
    `UPDATE logs SET api_version = @apiVersion, read_url = @readUrl, state = @state,
       tree_id = @treeId, index_offset = @indexOffset
     WHERE origin = @origin`,
  );
  const updatePaused = db.prepare('UPDATE logs SET paused = ? WHERE origin = ?');
  const updateError = db.prepare(
    'UPDATE logs SET last_error = ?, last_error_at_ms = ? WHERE origin = ?',
  );
  const updateKeyName = db.prepare('UPDATE logs SET checkpoint_key_name = ? WHERE origin = ?');

  const upsert = transactional(db, (log: LogDescriptorRecord, atMs: number) => {
    checkDescriptor(log);
    checkUint(atMs, 'atMs');
    const before = select.get(log.origin);
    const params = {
      origin: log.origin,
      apiVersion: log.apiVersion,
      readUrl: log.readUrl,
      state: log.state,
      treeId: log.treeId ?? null,
      indexOffset: log.indexOffset ?? null,
      atMs,
    };
    const detail = {
      apiVersion: log.apiVersion,
      readUrl: log.readUrl,
      state: log.state,
      ...(log.treeId === undefined ? {} : { treeId: log.treeId, indexOffset: log.indexOffset! }),
    };
    if (!before) {
      insert.run(params);
      audit.append({ kind: 'log.added', atMs, origin: log.origin, detail });
      return 'added' as const;
    }
    const stored = rowToLog(before);
    if (
      stored.apiVersion !== log.apiVersion ||
      stored.treeId !== log.treeId ||
      stored.indexOffset !== log.indexOffset
    ) {
      throw new InputError(
        'CONFIG_INVALID',
        `log ${log.origin}: api version, tree ID or index offset changed (got ${describeShard(log)}, want ${describeShard(stored)})`,
      );
    }
    if (stored.readUrl === log.readUrl && stored.state === log.state) return 'unchanged' as const;
    update.run(params);
    audit.append({ kind: 'log.changed', atMs, origin: log.origin, detail });
    return 'changed' as const;
  });

  const mustExist = (origin: string, changes: number) => {
    if (changes === 0) throw new InputError('NOT_FOUND', `log ${JSON.stringify(origin)} not found`);
  };

  return {
    upsert,
    get: (origin) => {
      const row = select.get(origin);
      return row && rowToLog(row);
    },
    list: (state) => (state ? selectByState.all(state) : selectAll.all()).map(rowToLog),
    setPaused: (origin, paused) =>
      mustExist(origin, updatePaused.run(toFlag(paused), origin).changes),
    recordError: (origin, error, atMs) => {
      checkUint(atMs, 'atMs');
      const json = error ? JSON.stringify({ code: error.code, message: error.message }) : null;
      mustExist(origin, updateError.run(json, error ? atMs : null, origin).changes);
    },
    recordKeyName: transactional(db, (origin: string, keyName: string, atMs: number) => {
      checkName(keyName, 'keyName');
      checkUint(atMs, 'atMs');
      const before = select.get(origin);
      if (!before) throw new InputError('NOT_FOUND', `log ${JSON.stringify(origin)} not found`);
      const previous = before.checkpoint_key_name ?? null;
      if (previous === keyName) return;
      updateKeyName.run(keyName, origin);
      if (previous !== null) {
        audit.append({
          kind: 'log.changed',
          atMs,
          origin,
          detail: { keyName, previousKeyName: previous },
        });
      }
    }),
  };
}

function checkDescriptor(log: LogDescriptorRecord): void {
  checkName(log.origin, 'origin');
  checkName(log.readUrl, 'readUrl');
  if (log.state !== 'active' && log.state !== 'retired') {
    throw new InputError(
      'INVALID_INPUT',
      `log state ${JSON.stringify(log.state)}, want active or retired`,
    );
  }
  if (log.apiVersion === 1) {
    if (log.treeId === undefined || !TREE_ID.test(log.treeId)) {
      throw new InputError('INVALID_INPUT', `rekor v1 log ${log.origin} needs a decimal treeId`);
    }
    if (log.indexOffset === undefined) {
      throw new InputError('INVALID_INPUT', `rekor v1 log ${log.origin} needs an indexOffset`);
    }
    checkUint(log.indexOffset, 'indexOffset');
  } else if (log.apiVersion === 2) {
    if (log.treeId !== undefined || log.indexOffset !== undefined) {
      throw new InputError(
        'INVALID_INPUT',
        `rekor v2 log ${log.origin} has no treeId or indexOffset`,
      );
    }
  } else {
    throw new InputError('INVALID_INPUT', `api version ${String(log.apiVersion)}, want 1 or 2`);
  }
}

const describeShard = (log: LogDescriptorRecord): string =>
  log.apiVersion === 1 ? `v1 tree ${log.treeId} offset ${log.indexOffset}` : 'v2';

function rowToLog(row: LogRow): StoredLog {
  return {
    origin: row.origin,
    apiVersion: row.api_version as 1 | 2,
    readUrl: row.read_url,
    state: row.state as LogState,
    ...(row.tree_id === null ? {} : { treeId: row.tree_id }),
    ...(row.index_offset === null ? {} : { indexOffset: row.index_offset }),
    paused: row.paused === 1,
    ...(row.last_error === null
      ? {}
      : { lastError: parseStoredJson<ErrorView>(row.last_error, 'logs.last_error') }),
    ...(row.last_error_at_ms === null ? {} : { lastErrorAtMs: row.last_error_at_ms }),
    ...(typeof row.checkpoint_key_name === 'string' && {
      checkpointKeyName: row.checkpoint_key_name,
    }),
    addedAtMs: row.added_at_ms,
  };
}
