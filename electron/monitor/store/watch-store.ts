// The watchlist: what identities to look for, and what a legitimate signing looks like.
import type { Database } from 'better-sqlite3';
import type { Watch, WatchExpectation, WatchRule } from '../../core/watch/types';
import { InputError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { checkName, checkUint, parseStoredJson, toFlag } from './rows';
import { transactional } from './transaction';
import type { JsonValue, StoredWatch } from './types';

export interface WatchStore {
  /**
   * Adds a watch (already validated by the watchlist parser) and audits 'watch.added'. Throws
   * InputError INVALID_INPUT when a watch with that name exists.
   */
  add(watch: Watch, atMs: number): StoredWatch;
  /**
   * Replaces the rule, expectations, origins and enabled flag of the watch named `watch.name`
   * and audits 'watch.changed'; its creation time stays. Throws InputError NOT_FOUND.
   */
  update(watch: Watch, atMs: number): StoredWatch;
  /**
   * Removes a watch and audits 'watch.removed'. Its matches stay (they are evidence). Throws
   * InputError NOT_FOUND.
   */
  remove(name: string, atMs: number): void;
  get(name: string): StoredWatch | undefined;
  /** Every watch, by name. */
  list(): StoredWatch[];
}

interface WatchRow {
  name: string;
  rule: string;
  expect: string | null;
  origins: string | null;
  enabled: number;
  created_at_ms: number;
}

/** Prepares the watch statements once; changes are audited through `audit`. */
export function createWatchStore(db: Database, audit: AuditStore): WatchStore {
  const select = db.prepare<[string], WatchRow>('SELECT * FROM watches WHERE name = ?');
  const selectAll = db.prepare<[], WatchRow>('SELECT * FROM watches ORDER BY name');
  const insert = db.prepare(
    `INSERT INTO watches (name, rule, expect, origins, enabled, created_at_ms)
     VALUES (@name, @rule, @expect, @origins, @enabled, @atMs)`,
  );
  const update = db.prepare(
    `UPDATE watches SET rule = @rule, expect = @expect, origins = @origins, enabled = @enabled
     WHERE name = @name`,
  );
  const remove = db.prepare('DELETE FROM watches WHERE name = ?');

  const toParams = (w: Watch, atMs: number) => ({
    name: w.name,
    rule: JSON.stringify(w.rule),
    expect: w.expect === undefined ? null : JSON.stringify(w.expect),
    origins: w.origins === undefined ? null : JSON.stringify(w.origins),
    enabled: toFlag(w.enabled),
    atMs,
  });
  // Watch types are plain JSON data (the watchlist file format), hence the casts.
  const detailOf = (w: Watch): { [key: string]: JsonValue } => ({
    name: w.name,
    rule: w.rule as unknown as JsonValue,
    expect: (w.expect ?? null) as unknown as JsonValue,
    origins: w.origins ?? null,
    enabled: w.enabled,
  });
  const getOrThrow = (name: string): StoredWatch => {
    const row = select.get(name);
    if (!row) throw new InputError('NOT_FOUND', `watch ${JSON.stringify(name)} not found`);
    return rowToWatch(row);
  };

  return {
    add: transactional(db, (w: Watch, atMs: number) => {
      checkName(w.name, 'watch name');
      checkUint(atMs, 'atMs');
      if (select.get(w.name)) {
        throw new InputError('INVALID_INPUT', `watch ${JSON.stringify(w.name)} already exists`);
      }
      insert.run(toParams(w, atMs));
      audit.append({ kind: 'watch.added', atMs, detail: detailOf(w) });
      return getOrThrow(w.name);
    }),
    update: transactional(db, (w: Watch, atMs: number) => {
      checkUint(atMs, 'atMs');
      getOrThrow(w.name);
      update.run(toParams(w, atMs));
      audit.append({ kind: 'watch.changed', atMs, detail: detailOf(w) });
      return getOrThrow(w.name);
    }),
    remove: transactional(db, (name: string, atMs: number) => {
      checkUint(atMs, 'atMs');
      if (remove.run(name).changes === 0) {
        throw new InputError('NOT_FOUND', `watch ${JSON.stringify(name)} not found`);
      }
      audit.append({ kind: 'watch.removed', atMs, detail: { name } });
    }),
    get: (name) => {
      const row = select.get(name);
      return row && rowToWatch(row);
    },
    list: () => selectAll.all().map(rowToWatch),
  };
}

function rowToWatch(row: WatchRow): StoredWatch {
  return {
    name: row.name,
    rule: parseStoredJson<WatchRule>(row.rule, 'watches.rule'),
    ...(row.expect === null
      ? {}
      : { expect: parseStoredJson<WatchExpectation>(row.expect, 'watches.expect') }),
    ...(row.origins === null
      ? {}
      : { origins: parseStoredJson<string[]>(row.origins, 'watches.origins') }),
    enabled: row.enabled === 1,
    createdAtMs: row.created_at_ms,
  };
}
