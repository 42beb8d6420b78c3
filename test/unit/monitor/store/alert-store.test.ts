import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELIVERY_POLICY,
  matchDedupeKey,
  type DeliveryPolicy,
  type NewAlert,
  type Stores,
} from '../../../../electron/monitor/store/index';
import { count, realV2Match, seededStores, V2_ORIGIN } from './fixtures';

const AT = 1_760_000_000_000;
const POLICY: DeliveryPolicy = {
  backoffMs: (attempts) => 1_000 * 2 ** (attempts - 1),
  maxAttempts: 4,
  disableChannelAfter: 3,
};

const inconsistent: NewAlert = {
  kind: 'log-inconsistent',
  dedupeKey: `log-inconsistent|${V2_ORIGIN}|412115|544347`,
  origin: V2_ORIGIN,
  summary: 'consistency proof from 412115 to 544347 failed',
  evidence: { size1: 412115, size2: 544347, proof: ['00ff'] },
  atMs: AT,
};

function withChannels(policy: DeliveryPolicy = POLICY): Stores {
  const s = seededStores(policy);
  s.channels.upsert({ name: 'desktop', kind: 'desktop', config: {}, enabled: true }, AT);
  s.channels.upsert(
    { name: 'ops', kind: 'webhook', config: { url: 'https://x' }, enabled: true },
    AT,
  );
  return s;
}

describe('AlertStore.raise', () => {
  it('stores an integrity alert with its evidence and queues it for every enabled channel', () => {
    const s = withChannels();
    s.channels.setEnabled('ops', false, AT);
    const alert = s.alerts.raise(inconsistent)!;
    expect(alert).toEqual({
      id: alert.id,
      kind: 'log-inconsistent',
      dedupeKey: inconsistent.dedupeKey,
      origin: V2_ORIGIN,
      summary: inconsistent.summary,
      evidence: inconsistent.evidence,
      state: 'new',
      raisedAtMs: AT,
    });
    expect(s.alerts.deliveriesOf(alert.id).map((d) => d.channel.name)).toEqual(['desktop']);
    expect(s.audit.page({ kind: 'alert.raised' }).events[0]?.detail).toMatchObject({
      alertId: alert.id,
      channels: 1,
    });
  });

  it('inserts nothing when the dedupe key exists', () => {
    const s = withChannels();
    s.alerts.raise(inconsistent);
    expect(s.alerts.raise({ ...inconsistent, atMs: AT + 1 })).toBeUndefined();
    expect(count(s, 'alerts')).toBe(1);
    expect(count(s, 'alert_deliveries')).toBe(2);
  });

  it('refuses a match alert (those come with their match from commitScanBatch)', () => {
    const s = withChannels();
    expect(() => s.alerts.raise({ ...inconsistent, kind: 'match' as 'log-stale' })).toThrowCode(
      'INVALID_INPUT',
    );
  });
});

describe('matchDedupeKey', () => {
  it('keeps origin, index and watch apart even when names contain the separator', () => {
    expect(matchDedupeKey('a|1', 2, 'w')).not.toBe(matchDedupeKey('a', 1, '2|w'));
    expect(matchDedupeKey('log.example', 7, 'github:acme/widget')).toBe(
      'log.example|7|github:acme/widget',
    );
  });
});

describe('AlertStore outbox', () => {
  it('hands out deliveries only once they are due', () => {
    const s = withChannels();
    const alert = s.alerts.raise(inconsistent)!;
    expect(s.alerts.dueDeliveries(AT - 1)).toEqual([]);
    const due = s.alerts.dueDeliveries(AT);
    expect(due.map((d) => [d.alert.id, d.channel.name, d.attempts])).toEqual([
      [alert.id, 'desktop', 0],
      [alert.id, 'ops', 0],
    ]);
  });

  it('marks a delivery sent, resets the channel failures and audits alert.delivered', () => {
    const s = withChannels();
    const alert = s.alerts.raise(inconsistent)!;
    s.alerts.markFailed(alert.id, 'ops', 'HTTP 502', AT);
    s.alerts.markDelivered(alert.id, 'ops', AT + 1_000);
    expect(s.alerts.deliveriesOf(alert.id).find((d) => d.channel.name === 'ops')).toMatchObject({
      state: 'sent',
      attempts: 2,
    });
    expect(s.channels.get('ops')?.consecutiveFailures).toBe(0);
    expect(s.alerts.dueDeliveries(AT + 10_000).map((d) => d.channel.name)).toEqual(['desktop']);
    expect(s.audit.page({ kind: 'alert.delivered' }).events[0]?.detail).toEqual({
      alertId: alert.id,
      channel: 'ops',
      attempts: 2,
    });
    expect(() => s.alerts.markDelivered(alert.id, 'ops', AT)).toThrowCode('NOT_FOUND');
  });

  it('backs off after each failure and gives up after maxAttempts', () => {
    const s = withChannels({ ...POLICY, disableChannelAfter: 100 });
    const alert = s.alerts.raise(inconsistent)!;
    const outcomes = [0, 1, 2, 3].map((i) =>
      s.alerts.markFailed(alert.id, 'ops', `timeout ${i}`, AT + i * 10_000),
    );
    expect(outcomes).toEqual([
      { state: 'pending', attempts: 1, nextAttemptAtMs: AT + 1_000, channelDisabled: false },
      { state: 'pending', attempts: 2, nextAttemptAtMs: AT + 12_000, channelDisabled: false },
      { state: 'pending', attempts: 3, nextAttemptAtMs: AT + 24_000, channelDisabled: false },
      { state: 'failed', attempts: 4, nextAttemptAtMs: AT + 38_000, channelDisabled: false },
    ]);
    const ops = s.alerts.deliveriesOf(alert.id).find((d) => d.channel.name === 'ops');
    expect(ops).toMatchObject({ state: 'failed', lastError: 'timeout 3' });
    expect(s.alerts.dueDeliveries(AT + 1e9).map((d) => d.channel.name)).toEqual(['desktop']);
  });

  it('is not due before the backoff has passed', () => {
    const s = withChannels();
    const alert = s.alerts.raise(inconsistent)!;
    s.alerts.markFailed(alert.id, 'ops', 'HTTP 500', AT);
    const dueOps = (now: number) =>
      s.alerts.dueDeliveries(now).filter((d) => d.channel.name === 'ops');
    expect(dueOps(AT + 999)).toEqual([]);
    expect(dueOps(AT + 1_000)).toHaveLength(1);
  });

  it('disables a channel after consecutive failures, with a reason, and resumes when enabled', () => {
    const s = withChannels();
    const alerts = ['a', 'b', 'c'].map((k) => s.alerts.raise({ ...inconsistent, dedupeKey: k })!);
    const results = alerts.map((a, i) => s.alerts.markFailed(a.id, 'ops', 'HTTP 403', AT + i));
    expect(results.map((r) => r.channelDisabled)).toEqual([false, false, true]);
    expect(s.channels.get('ops')).toMatchObject({
      enabled: false,
      consecutiveFailures: 3,
      disabledReason: 'disabled after 3 consecutive failures; last: HTTP 403',
    });
    expect(s.audit.page({ kind: 'channel.disabled' }).events).toHaveLength(1);
    // Still pending, but a disabled channel gets nothing.
    expect(s.alerts.dueDeliveries(AT + 1e9).some((d) => d.channel.name === 'ops')).toBe(false);

    s.channels.setEnabled('ops', true, AT + 5);
    expect(s.channels.get('ops')).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    expect(s.channels.get('ops')?.disabledReason).toBeUndefined();
    expect(s.alerts.dueDeliveries(AT + 1e9).filter((d) => d.channel.name === 'ops')).toHaveLength(
      3,
    );
  });

  it('counts one failed batch send as one channel failure, whatever it carried', () => {
    const s = withChannels();
    const ids = [1, 2, 3, 4, 5].map(
      (i) => s.alerts.raise({ ...inconsistent, dedupeKey: `k${i}` })!.id,
    );
    const failures = s.alerts.markBatchFailed(ids, 'ops', 'LOG_HTTP_STATUS: 503', AT);
    expect(failures.map((f) => [f.attempts, f.state, f.channelDisabled])).toEqual(
      ids.map(() => [1, 'pending', false]),
    );
    expect(s.channels.get('ops')).toMatchObject({ enabled: true, consecutiveFailures: 1 });
    s.alerts.markBatchFailed(ids, 'ops', 'again', AT + 1);
    const third = s.alerts.markBatchFailed(ids, 'ops', 'and again', AT + 2);
    expect(third.every((f) => f.channelDisabled)).toBe(true);
    expect(s.channels.get('ops')?.enabled).toBe(false);
  });

  it('uses 30 s doubling backoff capped at 6 h by default', () => {
    const { backoffMs } = DEFAULT_DELIVERY_POLICY;
    expect([1, 2, 3, 11, 12, 30].map(backoffMs)).toEqual([
      30_000, 60_000, 120_000, 21_600_000, 21_600_000, 21_600_000,
    ]);
  });

  it('refuses to mark a delivery that does not exist', () => {
    const s = withChannels();
    expect(() => s.alerts.markFailed(999, 'ops', 'x', AT)).toThrowCode('NOT_FOUND');
  });
});

describe('AlertStore.setState', () => {
  it('triages a match alert together with its match', () => {
    const s = withChannels();
    s.scans.start(V2_ORIGIN, 412_114, AT);
    const { alerts, matches } = s.scans.commitScanBatch({
      origin: V2_ORIGIN,
      fromIndex: 412_114,
      toIndex: 412_115,
      treeSize: 412_115,
      matches: [realV2Match()],
      atMs: AT,
    });
    expect(s.alerts.setState(alerts[0]!.id, 'expected', AT + 1).state).toBe('expected');
    expect(s.matches.get(matches[0]!.id)).toMatchObject({
      triage: 'expected',
      triagedAtMs: AT + 1,
    });
  });

  it('pages alerts newest first, optionally by state', () => {
    const s = withChannels();
    const ids = ['a', 'b', 'c'].map((k) => s.alerts.raise({ ...inconsistent, dedupeKey: k })!.id);
    s.alerts.setState(ids[1]!, 'acknowledged', AT);
    const first = s.alerts.list({ limit: 2 });
    expect(first.alerts.map((a) => a.id)).toEqual([ids[2], ids[1]]);
    expect(
      s.alerts.list({ beforeId: first.nextBeforeId!, limit: 2 }).alerts.map((a) => a.id),
    ).toEqual([ids[0]]);
    expect(s.alerts.list({ state: 'new' }).alerts.map((a) => a.id)).toEqual([ids[2], ids[0]]);
  });
});

describe('AlertStore.setNote', () => {
  it("keeps a log alert's note, audits it, and removes it with ''", () => {
    const s = withChannels();
    const id = s.alerts.raise(inconsistent)!.id;
    expect(s.alerts.setNote(id, 'the operator is on it', AT + 1).note).toBe(
      'the operator is on it',
    );
    expect(s.alerts.list().alerts[0]!.note).toBe('the operator is on it');
    expect(s.alerts.setNote(id, '', AT + 2)).not.toHaveProperty('note');
    expect(s.audit.page({ kind: 'alert.noted' }).events.map((e) => e.detail)).toEqual([
      { alertId: id, note: '' },
      { alertId: id, note: 'the operator is on it' },
    ]);
  });

  it('refuses a match alert (its note is on its match), a long note and an unknown alert', () => {
    const s = withChannels();
    s.scans.start(V2_ORIGIN, 412_114, AT);
    const { alerts } = s.scans.commitScanBatch({
      origin: V2_ORIGIN,
      fromIndex: 412_114,
      toIndex: 412_115,
      treeSize: 412_115,
      matches: [realV2Match()],
      atMs: AT,
    });
    expect(() => s.alerts.setNote(alerts[0]!.id, 'x', AT)).toThrowCode('INVALID_INPUT');
    const id = s.alerts.raise(inconsistent)!.id;
    expect(() => s.alerts.setNote(id, 'x'.repeat(10_001), AT)).toThrowCode('INVALID_INPUT');
    expect(() => s.alerts.setNote(999, 'x', AT)).toThrowCode('NOT_FOUND');
    expect(s.alerts.get(id)).not.toHaveProperty('note');
  });
});
