// Configured alert channels and their health (consecutive failures, why one was disabled).
import type { Database } from 'better-sqlite3';
import { InputError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { checkName, checkUint, parseStoredJson, toFlag } from './rows';
import { transactional } from './transaction';
import type { Channel, ChannelConfig, ChannelKind, JsonValue } from './types';

export interface ChannelStore {
  /**
   * Adds or reconfigures a channel and audits 'channel.configured' (name, kind, enabled; never
   * the config). Enabling a channel resets its failure count and disabled reason. The config
   * must hold no secrets: they belong in the SecretStore.
   */
  upsert(channel: ChannelConfig, atMs: number): Channel;
  /**
   * Enables (resetting failures) or disables a channel by hand and audits 'channel.enabled' or
   * 'channel.disabled'. Pending deliveries of a disabled channel wait; they resume when it is
   * enabled again. Throws InputError NOT_FOUND.
   */
  setEnabled(name: string, enabled: boolean, atMs: number): Channel;
  /** Removes a channel with its deliveries, and audits 'channel.removed'. Throws NOT_FOUND. */
  remove(name: string, atMs: number): void;
  get(name: string): Channel | undefined;
  /** Every channel, by name. */
  list(): Channel[];
}

export interface ChannelRow {
  name: string;
  kind: string;
  config: string;
  enabled: number;
  consecutive_failures: number;
  disabled_reason: string | null;
}

const KINDS: ReadonlySet<string> = new Set<ChannelKind>([
  'desktop',
  'webhook',
  'slack',
  'github-issue',
]);

/** Prepares the channel statements once; changes are audited through `audit`. */
export function createChannelStore(db: Database, audit: AuditStore): ChannelStore {
  const select = db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE name = ?');
  const selectAll = db.prepare<[], ChannelRow>('SELECT * FROM channels ORDER BY name');
  const upsertRow = db.prepare(
    `INSERT INTO channels (name, kind, config, enabled) VALUES (@name, @kind, @config, @enabled)
     ON CONFLICT (name) DO UPDATE SET kind = @kind, config = @config, enabled = @enabled,
       consecutive_failures = iif(@enabled = 1, 0, consecutive_failures),
       disabled_reason = iif(@enabled = 1, NULL, coalesce(disabled_reason, 'disabled by user'))`,
  );
  const setEnabledRow = db.prepare(
    `UPDATE channels SET enabled = @enabled,
       consecutive_failures = iif(@enabled = 1, 0, consecutive_failures),
       disabled_reason = iif(@enabled = 1, NULL, 'disabled by user')
     WHERE name = @name`,
  );
  const remove = db.prepare('DELETE FROM channels WHERE name = ?');

  const getOrThrow = (name: string): Channel => {
    const row = select.get(name);
    if (!row) throw new InputError('NOT_FOUND', `channel ${JSON.stringify(name)} not found`);
    return rowToChannel(row);
  };

  return {
    upsert: transactional(db, (c: ChannelConfig, atMs: number) => {
      checkName(c.name, 'channel name');
      checkUint(atMs, 'atMs');
      if (!KINDS.has(c.kind)) {
        throw new InputError('INVALID_INPUT', `channel kind ${JSON.stringify(c.kind)} is unknown`);
      }
      const params = { name: c.name, kind: c.kind, config: JSON.stringify(c.config) };
      upsertRow.run({ ...params, enabled: toFlag(c.enabled) });
      audit.append({
        kind: 'channel.configured',
        atMs,
        detail: { name: c.name, kind: c.kind, enabled: c.enabled },
      });
      return getOrThrow(c.name);
    }),
    setEnabled: transactional(db, (name: string, enabled: boolean, atMs: number) => {
      checkUint(atMs, 'atMs');
      if (setEnabledRow.run({ name, enabled: toFlag(enabled) }).changes === 0) getOrThrow(name);
      const kind = enabled ? 'channel.enabled' : 'channel.disabled';
      audit.append({ kind, atMs, detail: { name, reason: enabled ? null : 'disabled by user' } });
      return getOrThrow(name);
    }),
    remove: transactional(db, (name: string, atMs: number) => {
      checkUint(atMs, 'atMs');
      if (remove.run(name).changes === 0) getOrThrow(name);
      audit.append({ kind: 'channel.removed', atMs, detail: { name } });
    }),
    get: (name) => {
      const row = select.get(name);
      return row && rowToChannel(row);
    },
    list: () => selectAll.all().map(rowToChannel),
  };
}

/** Maps a channels row (also used by the outbox query in alert-store.ts). */
export function rowToChannel(row: ChannelRow): Channel {
  return {
    name: row.name,
    kind: row.kind as ChannelKind,
    config: parseStoredJson<JsonValue>(row.config, 'channels.config'),
    enabled: row.enabled === 1,
    consecutiveFailures: row.consecutive_failures,
    ...(row.disabled_reason === null ? {} : { disabledReason: row.disabled_reason }),
  };
}
