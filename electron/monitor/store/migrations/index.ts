// Numbered schema migrations tracked by PRAGMA user_version (the Signal Desktop / atproto way).
import type { Database } from 'better-sqlite3';
import { StorageError } from '../../../core/errors';
import { m0001Initial } from './0001-initial';
import { m0002AlertNotes } from './0002-alert-notes';
import { m0003CheckpointKeyNames } from './0003-checkpoint-key-names';
import type { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration this build knows, in version order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  m0001Initial,
  m0002AlertNotes,
  m0003CheckpointKeyNames,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings `db` to the latest schema: applies the pending migrations and sets user_version, all
 * in one immediate transaction (so two processes never migrate at once, and a failing
 * migration leaves the database as it was). Throws StorageError DB_FROM_FUTURE for a database
 * written by a newer build, rather than guess at a schema it does not know.
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
    for (const m of migrations) if (m.version > current) m.up(db);
    if (latest !== current) db.pragma(`user_version = ${latest}`);
  }).immediate();
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
