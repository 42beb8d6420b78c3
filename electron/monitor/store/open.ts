// Opening the database file: pragmas first, then the schema.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { AppError, InputError } from '../../core/errors';
import { checkReadableSchema, migrate } from './migrations/index';
import { storageErrorFor } from './transaction';

export interface OpenOptions {
  /** Open without writing: no directory creation, no WAL switch, no migration. */
  readonly readonly?: boolean;
  /** How long to wait for another connection's write lock before DB_LOCKED; default 5 s. */
  readonly busyTimeoutMs?: number;
}

// How long a write waits for another process (the app vs the CLI) before DB_LOCKED.
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the database at `path` (or ':memory:') ready for the stores.
 *
 * Read-write (the default) creates the parent directory (mode 0700) and the file if missing,
 * sets journal_mode = WAL, then migrates to the latest schema. Read-only requires an existing
 * database with a schema no newer than this build and never migrates it, so it may be older.
 *
 * Pragmas: foreign_keys = ON; busy_timeout (5 s by default), so the app and the CLI can share the file;
 * synchronous = FULL rather than WAL's default NORMAL: a commit is then durable before we act
 * on it, so an alert that reached the user is also in the audit chain after a power cut. Commits
 * are per batch, not per entry, so the extra fsync is cheap.
 *
 * Throws StorageError DB_FROM_FUTURE, DB_CORRUPT (not a database, damaged, no schema) or
 * DB_LOCKED, and InputError FILE_UNREADABLE when the file cannot be opened at all.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly ?? false;
  let db: Db | undefined;
  try {
    if (!readonly && path !== ':memory:')
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { readonly, fileMustExist: readonly });
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    if (readonly) {
      checkReadableSchema(db);
    } else {
      db.pragma('journal_mode = WAL');
      migrate(db);
    }
    return db;
  } catch (err) {
    db?.close();
    throw openError(err, path);
  }
}

function openError(err: unknown, path: string): unknown {
  if (err instanceof AppError) return err;
  const storage = storageErrorFor(err);
  if (storage) return storage;
  if (err instanceof Database.SqliteError) {
    // CANTOPEN, READONLY, PERM, AUTH and the like: the file is there (or not) but unusable to us.
    return new InputError('FILE_UNREADABLE', `cannot open database ${path}: ${err.message}`, {
      cause: err,
    });
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
    // mkdir failed (EACCES, ENOTDIR, ...).
    return new InputError('FILE_UNREADABLE', `cannot create data dir for ${path}: ${err.message}`, {
      cause: err,
    });
  }
  return err;
}
