// deliverDue against the real stores (better-sqlite3 in memory) and a loopback HTTP receiver,
// with an injected clock: no sleeps.
import { createHmac } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertView } from '../../../../shared/domain';
import { createChannel } from '../../../../electron/monitor/alerts/channel-factory';
import type { AlertChannel } from '../../../../electron/monitor/alerts/channel';
import {
  deliverDue,
  type OutboxDeps,
  type OutboxEvent,
} from '../../../../electron/monitor/alerts/outbox';
import { SIGNATURE_HEADER } from '../../../../electron/monitor/alerts/channels/webhook';
import {
  openDatabase,
  openStores,
  type DeliveryPolicy,
  type Stores,
} from '../../../../electron/monitor/store/index';
import type { ChannelKind, JsonValue } from '../../../../electron/monitor/store/types';
import { T0, seedMatches, syntheticLog, type SyntheticLog } from '../export/synthetic-log';
import { startReceiver, type Receiver } from './receiver';

const POLICY: DeliveryPolicy = {
  backoffMs: (attempts) => 1_000 * 2 ** (attempts - 1),
  maxAttempts: 6,
  disableChannelAfter: 3,
};

let db: Database;
let stores: Stores;
let receiver: Receiver;
let log: SyntheticLog;
let now: number;
let events: OutboxEvent[];
let notified: AlertView[];
const secrets = new Map<string, string>();

beforeEach(async () => {
  db = openDatabase(':memory:');
  stores = openStores(db, { delivery: POLICY });
  receiver = await startReceiver();
  log = syntheticLog(2);
  now = T0;
  events = [];
  notified = [];
  secrets.clear();
});

afterEach(async () => {
  await receiver.close();
  db.close();
});

function deps(over: Partial<OutboxDeps> = {}): OutboxDeps {
  return {
    stores,
    channels: (channel) =>
      createChannel(channel, {
        notifier: { notify: async (alert) => void notified.push(alert) },
        secrets: { get: async (key) => secrets.get(key) },
        now: () => now,
      }),
    now: () => now,
    onEvent: (event) => events.push(event),
    ...over,
  };
}

function addChannel(name: string, kind: ChannelKind, config: JsonValue): void {
  stores.channels.upsert({ name, kind, config, enabled: true }, now);
}

/** Stores `n` unexpected matches (new entries), raising one alert each. */
function raiseMatches(n: number, watchName = 'github:acme/widget') {
  const seeds = Array.from({ length: n }, () => ({
    watchName,
    classification: 'unexpected' as const,
  }));
  return seedMatches(stores, log, seeds, now).alerts;
}

const deliveryStates = (alertId: number) =>
  stores.alerts.deliveriesOf(alertId).map((d) => [d.channel.name, d.state, d.attempts]);

describe('deliverDue', () => {
  it('delivers a raised alert once through a signed webhook and marks it sent', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook`, secretName: 'ops-hmac' });
    secrets.set('ops-hmac', 'k3y');
    const [alert] = raiseMatches(1);

    expect(await deliverDue(deps())).toEqual({ delivered: 1, failed: 0, disabledChannels: [] });
    expect(await deliverDue(deps())).toEqual({ delivered: 0, failed: 0, disabledChannels: [] });

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const want = `sha256=${createHmac('sha256', 'k3y').update(got.body).digest('hex')}`;
    expect(got.headers[SIGNATURE_HEADER]).toBe(want);
    expect(JSON.parse(got.body).alert).toMatchObject({
      id: alert!.id,
      kind: 'match',
      severity: 'high',
      watch: 'github:acme/widget',
      classification: 'unexpected',
    });
    expect(deliveryStates(alert!.id)).toEqual([['ops', 'sent', 1]]);
    expect(events).toEqual([{ type: 'delivered', alertId: alert!.id, channel: 'ops' }]);
  });

  it('resends after a failure and then delivers exactly once more (at least once)', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    const [alert] = raiseMatches(1);
    receiver.failNext(503);

    expect(await deliverDue(deps())).toMatchObject({ delivered: 0, failed: 1 });
    now += 1_000;
    expect(await deliverDue(deps())).toMatchObject({ delivered: 1, failed: 0 });
    now += 1_000_000;
    expect(await deliverDue(deps())).toMatchObject({ delivered: 0, failed: 0 });

    expect(receiver.received).toHaveLength(2);
    const [failed, resent] = receiver.received.map((r) => JSON.parse(r.body));
    expect(resent.alert).toEqual(failed.alert);
    expect(deliveryStates(alert!.id)).toEqual([['ops', 'sent', 2]]);
    expect(events[0]).toMatchObject({
      type: 'delivery-failed',
      attempts: 1,
      final: false,
      error: { code: 'LOG_HTTP_STATUS' },
    });
  });

  it('raises and delivers one alert when the same match is committed twice (dedupe)', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    const first = raiseMatches(1);
    // Re-scan the same entry: same origin, index and watch.
    const size = log.tree.size;
    const again = stores.scans.commitScanBatch({
      origin: log.origin,
      fromIndex: 0,
      toIndex: size,
      treeSize: size,
      matches: stores.matches.page().matches.map((m) => ({ ...m })),
      atMs: now,
    });
    const raisedTwice = stores.alerts.raise({
      kind: 'log-inconsistent',
      dedupeKey: 'fork|log.example.test|10',
      origin: log.origin,
      summary: 'fork',
      atMs: now,
    });
    const raisedAgain = stores.alerts.raise({
      kind: 'log-inconsistent',
      dedupeKey: 'fork|log.example.test|10',
      origin: log.origin,
      summary: 'fork',
      atMs: now,
    });

    expect(first).toHaveLength(1);
    expect(again.alerts).toEqual([]);
    expect(raisedTwice).toBeDefined();
    expect(raisedAgain).toBeUndefined();
    await deliverDue(deps());
    await deliverDue(deps());
    expect(receiver.received.map((r) => JSON.parse(r.body).alert.kind).sort()).toEqual([
      'log-inconsistent',
      'match',
    ]);
  });

  it('waits out the backoff before the next attempt', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(1);
    receiver.failNext(500, 500);

    await deliverDue(deps()); // attempt 1 fails: next after 1 s
    expect(events.at(-1)).toMatchObject({ nextAttemptAtMs: T0 + 1_000 });
    now = T0 + 999;
    await deliverDue(deps());
    expect(receiver.received).toHaveLength(1);

    now = T0 + 1_000;
    await deliverDue(deps()); // attempt 2 fails: next after 2 s more
    expect(receiver.received).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ attempts: 2, nextAttemptAtMs: T0 + 3_000 });
    now = T0 + 2_999;
    await deliverDue(deps());
    expect(receiver.received).toHaveLength(2);

    now = T0 + 3_000;
    expect(await deliverDue(deps())).toMatchObject({ delivered: 1 });
  });

  it('disables a channel after repeated failures and says why', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(1);
    receiver.failNext(500, 500, 500, 500);

    const reports = [];
    for (const t of [0, 1_000, 3_000, 7_000, 15_000]) {
      now = T0 + t;
      reports.push(await deliverDue(deps()));
    }

    expect(receiver.received).toHaveLength(3);
    expect(reports[2]).toEqual({ delivered: 0, failed: 1, disabledChannels: ['ops'] });
    const channel = stores.channels.get('ops')!;
    expect(channel.enabled).toBe(false);
    expect(channel.disabledReason).toMatch(/3 consecutive failures.*LOG_HTTP_STATUS.*status 500/);
    expect(events.filter((e) => e.type === 'channel-disabled')).toEqual([
      { type: 'channel-disabled', channel: 'ops', reason: channel.disabledReason },
    ]);
    expect(stores.audit.page({ kind: 'channel.disabled' }).events).toHaveLength(1);
  });

  it('disables a channel whose stored config does not build, with the config error', async () => {
    addChannel('broken', 'webhook', { url: 'ftp://example.test/' });
    raiseMatches(1);
    for (const t of [0, 1_000, 3_000]) {
      now = T0 + t;
      await deliverDue(deps());
    }
    expect(stores.channels.get('broken')).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining('CONFIG_INVALID'),
    });
  });

  it('batches alerts into Slack messages of at most 20', async () => {
    addChannel('team', 'slack', { urlSecret: 'slack-url' });
    secrets.set('slack-url', `${receiver.base}/services/T/B/secret`);
    raiseMatches(25);

    expect(await deliverDue(deps())).toMatchObject({ delivered: 25, failed: 0 });

    expect(receiver.received.map((r) => r.url)).toEqual([
      '/services/T/B/secret',
      '/services/T/B/secret',
    ]);
    const texts = receiver.received.map((r) => JSON.parse(r.body).text as string);
    expect(texts[0]).toMatch(/^Vigil: 20 alerts\n/);
    expect(texts[1]).toMatch(/^Vigil: 5 alerts\n/);
  });

  it('fails a whole Slack batch together when the post fails, and resends it whole', async () => {
    // The store counts one channel failure per delivery, so a failed batch of 3 would disable
    // the channel under POLICY; this test is about the batch, not the disabling.
    stores = openStores(db, { delivery: { ...POLICY, disableChannelAfter: 10 } });
    addChannel('team', 'slack', { urlSecret: 'slack-url' });
    secrets.set('slack-url', `${receiver.base}/hook`);
    raiseMatches(3);
    receiver.failNext(500);
    expect(await deliverDue(deps())).toMatchObject({ delivered: 0, failed: 3 });
    now += 1_000;
    expect(await deliverDue(deps())).toMatchObject({ delivered: 3, failed: 0 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  });

  it('counts a missing Slack URL secret as a failure and sends nothing', async () => {
    addChannel('team', 'slack', { urlSecret: 'slack-url' });
    raiseMatches(1);
    await deliverDue(deps());
    expect(receiver.received).toHaveLength(0);
    expect(events[0]).toMatchObject({
      type: 'delivery-failed',
      error: { code: 'CHANNEL_FAILED', message: 'no Slack webhook URL in secret "slack-url"' },
    });
  });

  it('keeps delivering to a healthy channel while another fails', async () => {
    addChannel('desktop', 'desktop', {});
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(2);
    receiver.failNext(500, 500);

    expect(await deliverDue(deps())).toMatchObject({ delivered: 2, failed: 2 });
    expect(notified.map((a) => a.kind)).toEqual(['match', 'match']);
  });

  it('records expected matches without alerting on them (the default)', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    const commit = seedMatches(stores, log, [
      { watchName: 'github:acme/widget', classification: 'expected' },
    ]);
    expect(commit.matches).toHaveLength(1);
    expect(commit.alerts).toEqual([]);
    expect(await deliverDue(deps())).toEqual({ delivered: 0, failed: 0, disabledChannels: [] });
    expect(receiver.received).toHaveLength(0);
  });

  it('joins a run already in progress instead of sending twice', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(1);
    const [a, b] = await Promise.all([deliverDue(deps()), deliverDue(deps())]);
    expect(a).toBe(b);
    expect(receiver.received).toHaveLength(1);
  });

  it('fails a send that outlasts the timeout', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(1);
    const hung: AlertChannel = {
      name: 'ops',
      kind: 'webhook',
      maxBatch: 1,
      send: () => new Promise<void>(() => {}),
    };
    await deliverDue(deps({ channels: () => hung, sendTimeoutMs: 20 }));
    expect(events).toMatchObject([
      {
        type: 'delivery-failed',
        error: { code: 'CHANNEL_FAILED', message: 'send to ops timed out after 20 ms' },
      },
    ]);
  });

  it('rejects when the database fails, after the sends have settled', async () => {
    addChannel('ops', 'webhook', { url: `${receiver.base}/hook` });
    raiseMatches(1);
    const failing = {
      ...stores,
      transaction: () => {
        throw new Error('disk on fire');
      },
    };
    await expect(deliverDue(deps({ stores: failing }))).rejects.toThrow('disk on fire');
    expect(receiver.received).toHaveLength(1);
    // Nothing was recorded, so the alert is still owed: at least once.
    expect(await deliverDue(deps())).toMatchObject({ delivered: 1 });
  });
});
