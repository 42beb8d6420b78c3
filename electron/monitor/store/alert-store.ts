// Alerts (matches and log misbehaviour) and the outbox that delivers each one to every channel
// at least once, with backoff, disabling a channel that keeps failing.
import type { Database } from 'better-sqlite3';
import type { TriageState } from '../../../shared/domain';
import { InputError, StorageError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { rowToChannel, type ChannelRow } from './channel-store';
import { checkName, checkNote, checkUint, pageLimit, parseStoredJson } from './rows';
import { transactional } from './transaction';
import type {
  Alert,
  Delivery,
  DeliveryFailure,
  DeliveryState,
  JsonValue,
  NewAlert,
  StoredAlertKind,
} from './types';

/** How the outbox retries. */
export interface DeliveryPolicy {
  /** Delay before the next attempt, given the attempts made so far (>= 1). */
  readonly backoffMs: (attempts: number) => number;
  /** After this many failed attempts a delivery is 'failed' and never retried. */
  readonly maxAttempts: number;
  /** A channel is disabled after this many consecutive failures (over all its deliveries). */
  readonly disableChannelAfter: number;
}

/** 30 s doubling to at most 6 h; 12 attempts (about a day); a channel off after 10 in a row. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  backoffMs: (attempts) => Math.min(30_000 * 2 ** (attempts - 1), 6 * 3_600_000),
  maxAttempts: 12,
  disableChannelAfter: 10,
};

export interface AlertStore {
  /**
   * Raises an integrity alert (log-inconsistent, log-stale, verification-failed): inserts it,
   * queues a delivery for every enabled channel and audits 'alert.raised'. Returns undefined
   * when an alert with the same dedupe key exists (nothing is inserted).
   */
  raise(alert: NewAlert): Alert | undefined;
  get(id: number): Alert | undefined;
  /** Alerts newest first, optionally in one state; keyset page by id. */
  list(query?: { state?: TriageState; beforeId?: number; limit?: number }): {
    alerts: Alert[];
    nextBeforeId?: number;
  };
  /**
   * Sets an alert's triage state and audits 'alert.triaged'. For a match alert the match gets
   * the same triage state, so the two never disagree. Throws InputError NOT_FOUND.
   */
  setState(id: number, state: TriageState, atMs: number): Alert;
  /**
   * Replaces a log alert's note ('' removes it) and audits 'alert.noted'. Throws InputError
   * NOT_FOUND, INVALID_INPUT for a match alert (its note is on its match, see
   * MatchStore.setNote) or a note over MAX_NOTE_LENGTH characters.
   */
  setNote(id: number, note: string, atMs: number): Alert;
  /**
   * Pending deliveries due at `nowMs` on enabled channels, oldest due first. Reading them
   * claims nothing: run one deliverer per database.
   */
  dueDeliveries(nowMs: number, limit?: number): Delivery[];
  /** Every delivery of one alert, by channel name. */
  deliveriesOf(alertId: number): Delivery[];
  /**
   * Records a successful send: the delivery becomes 'sent', the channel's failure count resets;
   * audits 'alert.delivered'. Throws InputError NOT_FOUND unless the delivery is pending.
   */
  markDelivered(alertId: number, channel: string, atMs: number): void;
  /**
   * Records a failed send: schedules the next attempt by the policy's backoff, or marks the
   * delivery 'failed' after maxAttempts; counts a consecutive failure on the channel and
   * disables it (with a reason) at disableChannelAfter. Audits 'delivery.failed' and, when it
   * happens, 'channel.disabled'. Throws InputError NOT_FOUND unless the delivery is pending.
   */
  markFailed(alertId: number, channel: string, error: string, atMs: number): DeliveryFailure;
  /**
   * Records one failed send that carried several deliveries (a batched channel): each delivery
   * gets its attempt and backoff as with markFailed, but the channel counts ONE consecutive
   * failure, so one failed batch of 20 cannot disable a channel on its own.
   */
  markBatchFailed(
    alertIds: readonly number[],
    channel: string,
    error: string,
    atMs: number,
  ): DeliveryFailure[];
}

export interface AlertRow {
  id: number;
  dedupe_key: string;
  kind: string;
  origin: string | null;
  match_id: number | null;
  summary: string;
  evidence: string | null;
  state: string;
  raised_at_ms: number;
  note?: string | null;
}

interface DeliveryRow {
  alert_id: number;
  channel: string;
  state: string;
  attempts: number;
  next_attempt_at_ms: number;
  last_error: string | null;
}

/** The fields of an alert to insert; kind 'match' needs matchId. */
export interface AlertInsert {
  readonly kind: StoredAlertKind;
  readonly dedupeKey: string;
  readonly origin?: string;
  readonly matchId?: number;
  readonly summary: string;
  readonly evidence?: JsonValue;
  readonly atMs: number;
}

/**
 * Prepares the statements that insert an alert, queue its deliveries and audit it. For stores
 * that raise alerts inside their own transaction (commitScanBatch); must run in a transaction.
 * Returns undefined when the dedupe key exists.
 */
export function prepareRaiseAlert(
  db: Database,
  audit: AuditStore,
): (alert: AlertInsert) => Alert | undefined {
  const insert = db.prepare<AlertRowParams, AlertRow>(
    `INSERT INTO alerts (dedupe_key, kind, origin, match_id, summary, evidence, state, raised_at_ms)
     VALUES (@dedupeKey, @kind, @origin, @matchId, @summary, @evidence, 'new', @atMs)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING *`,
  );
  const queue = db.prepare(
    `INSERT INTO alert_deliveries (alert_id, channel, state, attempts, next_attempt_at_ms)
     SELECT ?, name, 'pending', 0, ? FROM channels WHERE enabled = 1`,
  );
  return (a) => {
    checkName(a.dedupeKey, 'dedupeKey');
    checkUint(a.atMs, 'atMs');
    const row = insert.get({
      dedupeKey: a.dedupeKey,
      kind: a.kind,
      origin: a.origin ?? null,
      matchId: a.matchId ?? null,
      summary: a.summary,
      evidence: a.evidence === undefined ? null : JSON.stringify(a.evidence),
      atMs: a.atMs,
    });
    if (!row) return undefined;
    const channels = queue.run(row.id, a.atMs).changes;
    audit.append({
      kind: 'alert.raised',
      atMs: a.atMs,
      ...(a.origin === undefined ? {} : { origin: a.origin }),
      detail: {
        alertId: row.id,
        kind: a.kind,
        dedupeKey: a.dedupeKey,
        summary: a.summary,
        channels,
      },
    });
    return rowToAlert(row);
  };
}

interface AlertRowParams {
  dedupeKey: string;
  kind: string;
  origin: string | null;
  matchId: number | null;
  summary: string;
  evidence: string | null;
  atMs: number;
}

/** Prepares the alert and outbox statements once; changes are audited through `audit`. */
export function createAlertStore(
  db: Database,
  audit: AuditStore,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): AlertStore {
  const raiseAlert = prepareRaiseAlert(db, audit);
  const select = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?');
  const selectPage = db.prepare<
    { state: string | null; beforeId: number; limit: number },
    AlertRow
  >(
    `SELECT * FROM alerts WHERE (@state IS NULL OR state = @state) AND id < @beforeId
     ORDER BY id DESC LIMIT @limit`,
  );
  const updateState = db.prepare('UPDATE alerts SET state = ? WHERE id = ?');
  const updateNote = db.prepare('UPDATE alerts SET note = ? WHERE id = ?');
  const updateMatchTriage = db.prepare(
    'UPDATE matches SET triage = ?, triaged_at_ms = ? WHERE id = ?',
  );
  const deliveryColumns = `d.alert_id, d.channel, d.state, d.attempts, d.next_attempt_at_ms,
    d.last_error`;
  const selectDue = db.prepare<[number, number], DeliveryRow>(
    `SELECT ${deliveryColumns} FROM alert_deliveries d JOIN channels c ON c.name = d.channel
     WHERE d.state = 'pending' AND d.next_attempt_at_ms <= ? AND c.enabled = 1
     ORDER BY d.next_attempt_at_ms, d.alert_id, d.channel LIMIT ?`,
  );
  const selectOfAlert = db.prepare<[number], DeliveryRow>(
    `SELECT ${deliveryColumns} FROM alert_deliveries d WHERE d.alert_id = ? ORDER BY d.channel`,
  );
  const selectPending = db.prepare<[number, string], DeliveryRow>(
    `SELECT ${deliveryColumns} FROM alert_deliveries d
     WHERE d.alert_id = ? AND d.channel = ? AND d.state = 'pending'`,
  );
  const selectChannel = db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE name = ?');
  const updateSent = db.prepare(
    `UPDATE alert_deliveries SET state = 'sent', attempts = attempts + 1, sent_at_ms = ?,
       last_error = NULL
     WHERE alert_id = ? AND channel = ?`,
  );
  const updateFailed = db.prepare(
    `UPDATE alert_deliveries SET state = ?, attempts = ?, next_attempt_at_ms = ?, last_error = ?
     WHERE alert_id = ? AND channel = ?`,
  );
  const channelSucceeded = db.prepare(
    'UPDATE channels SET consecutive_failures = 0 WHERE name = ?',
  );
  const channelFailed = db.prepare(
    `UPDATE channels SET consecutive_failures = consecutive_failures + 1 WHERE name = ?
     RETURNING consecutive_failures, enabled`,
  );
  const disableChannel = db.prepare(
    'UPDATE channels SET enabled = 0, disabled_reason = ? WHERE name = ?',
  );

  const getAlert = (id: number): Alert => {
    const row = select.get(id);
    if (!row) throw new InputError('NOT_FOUND', `alert ${id} not found`);
    return rowToAlert(row);
  };
  const toDelivery = (row: DeliveryRow): Delivery => {
    const channel = selectChannel.get(row.channel);
    // alert_deliveries.channel references channels(name) ON DELETE CASCADE.
    if (!channel)
      throw new StorageError('DB_CORRUPT', `delivery to missing channel ${row.channel}`);
    return {
      alert: getAlert(row.alert_id),
      channel: rowToChannel(channel),
      state: row.state as DeliveryState,
      attempts: row.attempts,
      nextAttemptAtMs: row.next_attempt_at_ms,
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
    };
  };
  const pendingOrThrow = (alertId: number, channel: string): DeliveryRow => {
    const row = selectPending.get(alertId, channel);
    if (!row) {
      throw new InputError('NOT_FOUND', `no pending delivery of alert ${alertId} to ${channel}`);
    }
    return row;
  };

  /** Records one failed attempt of one delivery: backoff, or final failure. */
  const failDelivery = (alertId: number, channel: string, error: string, atMs: number) => {
    checkUint(atMs, 'atMs');
    const attempts = pendingOrThrow(alertId, channel).attempts + 1;
    const state: 'pending' | 'failed' = attempts >= policy.maxAttempts ? 'failed' : 'pending';
    const nextAttemptAtMs = atMs + policy.backoffMs(attempts);
    updateFailed.run(state, attempts, nextAttemptAtMs, error, alertId, channel);
    audit.append({
      kind: 'delivery.failed',
      atMs,
      detail: { alertId, channel, attempts, error, final: state === 'failed' },
    });
    return { state, attempts, nextAttemptAtMs };
  };

  /** Counts one consecutive failure of a channel; disables it at the policy's limit. */
  const countChannelFailure = (channel: string, error: string, atMs: number): boolean => {
    const health = channelFailed.get(channel) as { consecutive_failures: number; enabled: number };
    const disable =
      health.enabled === 1 && health.consecutive_failures >= policy.disableChannelAfter;
    if (disable) {
      const reason = `disabled after ${health.consecutive_failures} consecutive failures; last: ${error}`;
      disableChannel.run(reason, channel);
      audit.append({ kind: 'channel.disabled', atMs, detail: { name: channel, reason } });
    }
    return disable;
  };

  return {
    raise: transactional(db, (a: NewAlert) => {
      if ((a.kind as string) === 'match') {
        throw new InputError('INVALID_INPUT', 'match alerts are raised by commitScanBatch');
      }
      return raiseAlert(a);
    }),
    get: (id) => {
      const row = select.get(id);
      return row && rowToAlert(row);
    },
    list: (query = {}) => {
      const limit = pageLimit(query.limit);
      const beforeId = query.beforeId ?? Number.MAX_SAFE_INTEGER;
      checkUint(beforeId, 'beforeId');
      const rows = selectPage.all({ state: query.state ?? null, beforeId, limit: limit + 1 });
      const alerts = rows.slice(0, limit).map(rowToAlert);
      return rows.length > limit ? { alerts, nextBeforeId: alerts.at(-1)!.id } : { alerts };
    },
    setState: transactional(db, (id: number, state: TriageState, atMs: number) => {
      checkUint(atMs, 'atMs');
      const alert = getAlert(id);
      updateState.run(state, id);
      if (alert.matchId !== undefined) updateMatchTriage.run(state, atMs, alert.matchId);
      audit.append({
        kind: 'alert.triaged',
        atMs,
        ...(alert.origin === undefined ? {} : { origin: alert.origin }),
        detail: { alertId: id, state },
      });
      return getAlert(id);
    }),
    setNote: transactional(db, (id: number, note: string, atMs: number) => {
      checkUint(atMs, 'atMs');
      checkNote(note);
      const alert = getAlert(id);
      if (alert.kind === 'match') {
        throw new InputError('INVALID_INPUT', `alert ${id} is a match alert: note its match`);
      }
      updateNote.run(note === '' ? null : note, id);
      audit.append({
        kind: 'alert.noted',
        atMs,
        ...(alert.origin === undefined ? {} : { origin: alert.origin }),
        detail: { alertId: id, note },
      });
      return getAlert(id);
    }),
    dueDeliveries: (nowMs, limit = 100) => {
      checkUint(nowMs, 'nowMs');
      return selectDue.all(nowMs, pageLimit(limit)).map(toDelivery);
    },
    deliveriesOf: (alertId) => selectOfAlert.all(alertId).map(toDelivery),
    markDelivered: transactional(db, (alertId: number, channel: string, atMs: number) => {
      checkUint(atMs, 'atMs');
      const row = pendingOrThrow(alertId, channel);
      updateSent.run(atMs, alertId, channel);
      channelSucceeded.run(channel);
      audit.append({
        kind: 'alert.delivered',
        atMs,
        detail: { alertId, channel, attempts: row.attempts + 1 },
      });
    }),
    markFailed: transactional(
      db,
      (alertId: number, channel: string, error: string, atMs: number): DeliveryFailure => {
        const failure = failDelivery(alertId, channel, error, atMs);
        return { ...failure, channelDisabled: countChannelFailure(channel, error, atMs) };
      },
    ),
    markBatchFailed: transactional(
      db,
      (alertIds: readonly number[], channel: string, error: string, atMs: number) => {
        const failures = alertIds.map((id) => failDelivery(id, channel, error, atMs));
        const channelDisabled = countChannelFailure(channel, error, atMs);
        return failures.map((f) => ({ ...f, channelDisabled }));
      },
    ),
  };
}

/** Maps an alerts row (also used by commitScanBatch's results). */
export function rowToAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    kind: row.kind as StoredAlertKind,
    dedupeKey: row.dedupe_key,
    ...(row.origin === null ? {} : { origin: row.origin }),
    ...(row.match_id === null ? {} : { matchId: row.match_id }),
    summary: row.summary,
    ...(row.evidence === null
      ? {}
      : { evidence: parseStoredJson<JsonValue>(row.evidence, 'alerts.evidence') }),
    state: row.state as TriageState,
    raisedAtMs: row.raised_at_ms,
    // Absent (not null) in a schema-1 database read without migrating it.
    ...(typeof row.note === 'string' && { note: row.note }),
  };
}

/**
 * The dedupe key of a match alert, `origin|logIndex|watch`: one alert per (origin, log index,
 * watch). `%` and `|` inside the origin and watch name are percent-encoded, so no two triples
 * share a key.
 */
export const matchDedupeKey = (origin: string, logIndex: number, watchName: string): string =>
  `${escapeKeyPart(origin)}|${logIndex}|${escapeKeyPart(watchName)}`;

const escapeKeyPart = (s: string): string => s.replace(/[%|]/g, (c) => (c === '%' ? '%25' : '%7C'));
