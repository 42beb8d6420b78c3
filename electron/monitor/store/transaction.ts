// Write transactions for every store, and the translation of SQLite's busy/corrupt errors into
// StorageError so callers can switch on a code instead of a message.
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { StorageError } from '../../core/errors';

/**
 * Returns a StorageError for SQLite errors that mean "the database is unusable right now"
 * (SQLITE_BUSY/LOCKED → DB_LOCKED, SQLITE_CORRUPT/NOTADB → DB_CORRUPT), otherwise undefined.
 * Constraint violations are not translated: stores check their preconditions first, so one
 * reaching the caller is a bug, not a state of the database.
 */
export function storageErrorFor(err: unknown): StorageError | undefined {
  if (!(err instanceof Database.SqliteError)) return undefined;
  const code = err.code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError('DB_LOCKED', `database is locked by another process (${code})`, {
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StorageError('DB_CORRUPT', `database is corrupt: ${err.message} (${code})`, {
      cause: err,
    });
  }
  return undefined;
}

/**
 * Wraps `fn` as a write transaction: BEGIN IMMEDIATE at the top level (so two processes sharing
 * the database queue on busy_timeout instead of failing to upgrade a read lock), a SAVEPOINT
 * when called inside another transaction. Commits when `fn` returns, rolls back when it throws.
 *
 * `fn` must be synchronous: no await inside, and side effects (notifications, IPC events) belong
 * to the caller, after this returns, so nothing is announced that might still be rolled back.
 */
export function transactional<A extends unknown[], R>(
  db: Db,
  fn: (...args: A) => R,
): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args: A): R => {
    try {
      return tx.immediate(...args);
    } catch (err) {
      throw storageErrorFor(err) ?? err;
    }
  };
}
