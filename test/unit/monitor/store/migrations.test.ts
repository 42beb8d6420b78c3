import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  SCHEMA_VERSION,
  migrate,
  type Migration,
} from '../../../../electron/monitor/store/migrations/index';

const tables = (db: Database.Database): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];

const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true });

describe('migration 0001 initial', () => {
  it('creates every table, index and trigger when applied to an empty database', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).toEqual([
      'alert_deliveries',
      'alerts',
      'audit_events',
      'channels',
      'checkpoints',
      'logs',
      'matches',
      'scan_cursors',
      'schema_migrations',
      'settings',
      'watches',
    ]);
    const triggers = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
      .pluck()
      .all();
    expect(triggers).toEqual([
      'audit_events_no_delete',
      'audit_events_no_update',
      'checkpoints_never_regress',
      'checkpoints_no_delete',
      'checkpoints_no_update',
    ]);
    // STRICT tables reject a value of the wrong type instead of storing it.
    expect(() =>
      db
        .prepare(`INSERT INTO settings (key, value, updated_at_ms) VALUES ('k', '1', 'soon')`)
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});

describe('migration 0002 alert notes', () => {
  it('gives the alerts of a schema-1 database a note column, keeping their rows', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO alerts (dedupe_key, kind, origin, summary, state, raised_at_ms)
       VALUES ('k', 'log-stale', 'log.example', 'stale', 'new', 5)`,
    ).run();
    migrate(db);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT dedupe_key, note FROM alerts').all()).toEqual([
      { dedupe_key: 'k', note: null },
    ]);
    db.prepare(`UPDATE alerts SET note = 'seen' WHERE dedupe_key = 'k'`).run();
    expect(db.prepare('SELECT note FROM alerts').pluck().get()).toBe('seen');
  });
});

describe('migration 0003 checkpoint key names', () => {
  it('gives the logs of a schema-2 database a key name column, keeping their rows', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare(
      `INSERT INTO logs (origin, api_version, read_url, state, added_at_ms)
       VALUES ('log.example', 2, 'https://log.example', 'active', 5)`,
    ).run();
    migrate(db);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT origin, checkpoint_key_name FROM logs').all()).toEqual([
      { origin: 'log.example', checkpoint_key_name: null },
    ]);
  });
});

describe('migrate', () => {
  const step = (version: number, sql: string): Migration => ({
    version,
    name: `step-${version}`,
    up: (db) => db.exec(sql),
  });

  it('brings a fresh database to the latest schema version', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
  });

  it('applies only the pending migrations when run again', () => {
    const db = new Database(':memory:');
    const first = [step(1, 'CREATE TABLE a (x INTEGER) STRICT')];
    migrate(db, first);
    // Re-running 0001 would fail with "table a already exists".
    migrate(db, [...first, step(2, 'CREATE TABLE b (x INTEGER) STRICT')]);
    expect(tables(db)).toEqual(['a', 'b', 'schema_migrations']);
    expect(userVersion(db)).toBe(2);
  });

  it('runs a migration that joins the list below one already applied, and only it', () => {
    const db = new Database(':memory:');
    // 6 landed before 4: a database migrated then is at version 6 without 4's table.
    migrate(db, [step(1, 'CREATE TABLE a (x INTEGER) STRICT'), step(6, 'CREATE TABLE f (x) ')]);
    expect(userVersion(db)).toBe(6);
    migrate(db, [
      step(1, 'CREATE TABLE a (x INTEGER) STRICT'),
      step(4, 'CREATE TABLE d (x INTEGER) STRICT'),
      step(6, 'CREATE TABLE f (x)'),
    ]);
    expect(tables(db)).toEqual(['a', 'd', 'f', 'schema_migrations']);
    expect(userVersion(db)).toBe(6);
    expect(
      db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(),
    ).toEqual([1, 4, 6]);
  });

  it('counts every known version up to user_version as applied in a database from before the record', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE a (x INTEGER) STRICT; CREATE TABLE b (x INTEGER) STRICT');
    db.pragma('user_version = 2');
    // Re-running 1 or 2 would fail with "table already exists".
    migrate(db, [
      step(1, 'CREATE TABLE a (x INTEGER) STRICT'),
      step(2, 'CREATE TABLE b (x INTEGER) STRICT'),
      step(3, 'CREATE TABLE c (x INTEGER) STRICT'),
    ]);
    expect(tables(db)).toEqual(['a', 'b', 'c', 'schema_migrations']);
    expect(userVersion(db)).toBe(3);
  });

  it('refuses a database written by a newer build', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrowCode('DB_FROM_FUTURE');
    expect(userVersion(db)).toBe(999);
  });

  it('leaves the database unchanged when a migration fails', () => {
    const db = new Database(':memory:');
    const broken = [step(1, 'CREATE TABLE a (x INTEGER) STRICT'), step(2, 'NOT SQL AT ALL')];
    expect(() => migrate(db, broken)).toThrow();
    expect(tables(db)).toEqual([]);
    expect(userVersion(db)).toBe(0);
  });

  it.each([
    { desc: 'versions out of order', list: [step(2, ''), step(1, '')] },
    { desc: 'a repeated version', list: [step(1, ''), step(1, '')] },
    { desc: 'a version below 1', list: [step(0, '')] },
  ])('refuses a migration list with $desc', ({ list }) => {
    const db = new Database(':memory:');
    expect(() => migrate(db, list)).toThrow(/out of order/);
    expect(userVersion(db)).toBe(0);
  });

  it('lists the shipped migrations with strictly increasing versions from 1', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });
});
