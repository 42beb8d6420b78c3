// Settings: JSON values by key. Never secrets (those live in the SecretStore): every change
// is copied into the append-only audit log.
import type { Database } from 'better-sqlite3';
import { InputError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { checkName, checkUint, parseStoredJson } from './rows';
import { transactional } from './transaction';
import type { JsonValue } from './types';

export interface SettingsStore {
  /** The stored value, or undefined when the key was never set. */
  get(key: string): JsonValue | undefined;
  /** Every setting, by key. */
  all(): Record<string, JsonValue>;
  /**
   * Stores `value` under `key` and audits 'setting.changed' with the old and new values.
   * Setting the value already stored changes and audits nothing; returns whether it changed.
   */
  set(key: string, value: JsonValue, atMs: number): boolean;
}

interface SettingRow {
  key: string;
  value: string;
}

/** Prepares the settings statements once; changes are audited through `audit`. */
export function createSettingsStore(db: Database, audit: AuditStore): SettingsStore {
  const select = db.prepare<[string], SettingRow>('SELECT key, value FROM settings WHERE key = ?');
  const selectAll = db.prepare<[], SettingRow>('SELECT key, value FROM settings ORDER BY key');
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms`,
  );
  const parse = (row: SettingRow) => parseStoredJson<JsonValue>(row.value, `settings.${row.key}`);

  return {
    get: (key) => {
      const row = select.get(key);
      return row && parse(row);
    },
    all: () => Object.fromEntries(selectAll.all().map((row) => [row.key, parse(row)])),
    set: transactional(db, (key: string, value: JsonValue, atMs: number): boolean => {
      checkName(key, 'setting key');
      checkUint(atMs, 'atMs');
      const json = JSON.stringify(value) as string | undefined;
      if (json === undefined)
        throw new InputError('INVALID_INPUT', `setting ${key} needs a JSON value`);
      const before = select.get(key);
      if (before?.value === json) return false;
      upsert.run(key, json, atMs);
      audit.append({
        kind: 'setting.changed',
        atMs,
        detail: { key, from: before ? parse(before) : null, to: value },
      });
      return true;
    }),
  };
}
