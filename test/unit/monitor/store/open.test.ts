import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, SCHEMA_VERSION } from '../../../../electron/monitor/store/index';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-open-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('creates the data dir and a migrated WAL database when none exists', () => {
    const path = join(dir, 'nested', 'vigil.db');
    const db = openDatabase(path);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('opens an existing database read-only without writing to it', () => {
    const path = join(dir, 'vigil.db');
    openDatabase(path).close();
    const db = openDatabase(path, { readonly: true });
    expect(db.readonly).toBe(true);
    expect(() => db.exec(`INSERT INTO settings VALUES ('k', '1', 1)`)).toThrow(/readonly/);
    db.close();
  });

  it('refuses a database written by a newer build', () => {
    const path = join(dir, 'vigil.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrowCode('DB_FROM_FUTURE');
    expect(() => openDatabase(path, { readonly: true })).toThrowCode('DB_FROM_FUTURE');
  });

  it('reports DB_CORRUPT when the file is not a database', () => {
    const path = join(dir, 'vigil.db');
    writeFileSync(
      path,
      'this is not an SQLite database, just text that is long enough '.repeat(20),
    );
    expect(() => openDatabase(path)).toThrowCode('DB_CORRUPT');
    expect(() => openDatabase(path, { readonly: true })).toThrowCode('DB_CORRUPT');
  });

  it('reports DB_CORRUPT when a read-only database has no schema', () => {
    const path = join(dir, 'vigil.db');
    new Database(path).close();
    expect(() => openDatabase(path, { readonly: true })).toThrowCode('DB_CORRUPT');
  });

  it('reports FILE_UNREADABLE when a read-only database does not exist', () => {
    expect(() => openDatabase(join(dir, 'missing.db'), { readonly: true })).toThrowCode(
      'FILE_UNREADABLE',
    );
  });

  it('reports DB_LOCKED when another connection holds the write lock', () => {
    const path = join(dir, 'vigil.db');
    const holder = new Database(path);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => openDatabase(path, { busyTimeoutMs: 0 })).toThrowCode('DB_LOCKED');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
