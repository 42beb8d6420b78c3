// The shape of one schema migration.
import type { Database } from 'better-sqlite3';

/**
 * One numbered schema step. `up` runs inside the migration transaction: synchronous, and it
 * must not touch PRAGMA foreign_keys (which SQLite ignores inside a transaction).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
