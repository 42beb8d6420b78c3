// Numbered schema migrations tracked by PRAGMA user_version (the Signal Desktop / atproto way).
import type { Database } from 'better-sqlite3';
import { StorageError } from '../../../core/errors';
import { m0001Initial } from './0001-initial';
import { m0002AlertNotes } from './0002-alert-notes';
import { m0003CheckpointKeyNames } from './0003-checkpoint-key-names';
import { m0006ActivityHourly } from './0006-activity-hourly';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration this build knows, in version order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Initial,
  m0002AlertNotes,
  m0003CheckpointKeyNames,
  m0006ActivityHourly,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings `db` to the latest schema: applies the pending migrations and sets user_version, all
 * in one immediate transaction (so two processes never migrate at once, and a failing
 * migration leaves the database as it was). Throws StorageError DB_FROM_FUTURE for a database
 * written by a newer build, rather than guess at a schema it does not know.
 *
 * Versions may have gaps, and a migration may join the list below one already applied (numbers
 * are handed out before their work lands): which versions ran is recorded in
 * `schema_migrations`, and every known migration missing there runs, in version order. So each
 * migration must stand on its own, needing only those below it. A database from before that
 * table counts every known version up to its user_version as applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  migrations.forEach((m, i) => {
    const previous = i > 0 ? migrations[i - 1]!.version : 0;
    if (!Number.isSafeInteger(m.version) || m.version <= previous) {
      throw new Error(`migration ${m.version} (${m.name}) is out of order after ${previous}`);
    }
  });
  const latest = migrations.at(-1)?.version ?? 0;
  db.transaction(() => {
    const current = schemaVersion(db);
    refuseFuture(current, latest);
    const applied = appliedVersions(db, migrations, current);
    const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      m.up(db);
      record.run(m.version, m.name);
    }
    if (latest > current) db.pragma(`user_version = ${latest}`);
  }).immediate();
}

/** The versions already applied, creating (and for an older database, filling) the record. */
function appliedVersions(
  db: Database,
  migrations: readonly Migration[],
  current: number,
): Set<number> {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!exists) {
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT',
    );
    const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
    for (const m of migrations) if (m.version <= current) record.run(m.version, m.name);
  }
  return new Set(db.prepare<[], number>('SELECT version FROM schema_migrations').pluck().all());
}

/** The database's user_version. */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Checks, without migrating, that a database can be read by this build: it has a schema
 * (version >= 1) and not one from the future. An older schema is accepted; only tables that
 * schema already had may be read.
 */
export function checkReadableSchema(db: Database, latest: number = SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  refuseFuture(current, latest);
  if (current < 1) throw new StorageError('DB_CORRUPT', 'database has no vigil schema (version 0)');
}

function refuseFuture(current: number, latest: number): void {
  if (current > latest) {
    throw new StorageError(
      'DB_FROM_FUTURE',
      `database schema ${current} is newer than this build (${latest}): upgrade vigil`,
    );
  }
}
