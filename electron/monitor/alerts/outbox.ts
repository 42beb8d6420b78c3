// The outbox deliverer: sends due deliveries (alert × channel rows the store queued when each
// alert was raised) and records the outcome. At least once: a delivery is marked sent only
// after its channel accepted it, so a crash in between resends it. Backoff, giving up and
// disabling a failing channel are the store's policy (alert-store.ts DeliveryPolicy).
import type { AlertView } from '../../../shared/domain';
import type { ErrorView } from '../../../shared/errors';
import { AppError, toErrorView } from '../../core/errors';
import type { Stores } from '../store/index';
import type { Alert, Channel, Delivery } from '../store/types';
import { toAlertView } from './alert-view';
import type { AlertChannel } from './channel';

/** What happened to deliveries, for the UI and logs; emitted after the store has recorded it. */
export type OutboxEvent =
  | { readonly type: 'delivered'; readonly alertId: number; readonly channel: string }
  | {
      readonly type: 'delivery-failed';
      readonly alertId: number;
      readonly channel: string;
      readonly error: ErrorView;
      readonly attempts: number;
      /** No more attempts will be made (maxAttempts reached). */
      readonly final: boolean;
      readonly nextAttemptAtMs: number;
    }
  | { readonly type: 'channel-disabled'; readonly channel: string; readonly reason: string };

export interface OutboxDeps {
  readonly stores: Stores;
  /** Builds the sender of a stored channel (createChannel); may throw CONFIG_INVALID. */
  readonly channels: (channel: Channel) => AlertChannel;
  /** Epoch ms. */
  readonly now: () => number;
  /** Called after each outcome is committed; must not throw. */
  readonly onEvent?: (event: OutboxEvent) => void;
  /** Most deliveries taken per run, 1..500; default 100. */
  readonly limit?: number;
  /** A send that takes longer counts as failed (it may still arrive: at least once); default 60 s. */
  readonly sendTimeoutMs?: number;
}

export interface OutboxReport {
  readonly delivered: number;
  readonly failed: number;
  /** Channels this run disabled. */
  readonly disabledChannels: readonly string[];
}

const DEFAULT_SEND_TIMEOUT_MS = 60_000;

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };
type Tally = { delivered: number; failed: number; disabledChannels: string[] };

// The store claims nothing when it lists due deliveries, so two overlapping runs on one
// database would send everything twice. Overlapping calls join the run in progress.
const running = new WeakMap<object, Promise<OutboxReport>>();

/**
 * Delivers every delivery due at `now()` (up to `limit`): groups them per channel, sends each
 * group in batches of the channel's maxBatch (channels in parallel, batches of one channel in
 * order), and marks each delivery sent or failed in one short transaction per batch, never
 * across a send. A channel's failure (a send that throws, a config that does not build) is
 * recorded and never thrown; a channel the store disables stops sending for the rest of the
 * run. Rejects only when the database itself fails (StorageError), after every channel's
 * in-flight send has settled. A call while a run on the same database is in progress returns
 * that run's promise.
 */
export function deliverDue(deps: OutboxDeps): Promise<OutboxReport> {
  const inFlight = running.get(deps.stores.db);
  if (inFlight) return inFlight;
  const run = deliverAll(deps).finally(() => running.delete(deps.stores.db));
  running.set(deps.stores.db, run);
  return run;
}

async function deliverAll(deps: OutboxDeps): Promise<OutboxReport> {
  const due = deps.stores.alerts.dueDeliveries(deps.now(), deps.limit ?? 100);
  const byChannel = new Map<string, Delivery[]>();
  for (const d of due) {
    const group = byChannel.get(d.channel.name);
    if (group) group.push(d);
    else byChannel.set(d.channel.name, [d]);
  }

  const views = new Map<number, AlertView>();
  const viewOf = (alert: Alert): AlertView => {
    let view = views.get(alert.id);
    if (view === undefined) {
      const match =
        alert.matchId === undefined ? undefined : deps.stores.matches.get(alert.matchId);
      view = toAlertView(alert, match);
      views.set(alert.id, view);
    }
    return view;
  };

  const tally: Tally = { delivered: 0, failed: 0, disabledChannels: [] };
  const results = await Promise.allSettled(
    [...byChannel.values()].map((deliveries) => deliverToChannel(deliveries, deps, viewOf, tally)),
  );
  const broken = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (broken) throw broken.reason;
  return tally;
}

async function deliverToChannel(
  deliveries: readonly Delivery[],
  deps: OutboxDeps,
  viewOf: (alert: Alert) => AlertView,
  tally: Tally,
): Promise<void> {
  const channel = deliveries[0]!.channel;
  let sender: AlertChannel;
  try {
    sender = deps.channels(channel);
  } catch (err) {
    // An unusable config fails every delivery, so the channel ends up disabled with the reason.
    record(deliveries, { ok: false, error: err }, deps, tally);
    return;
  }
  const size = Math.max(1, Math.floor(sender.maxBatch));
  for (let i = 0; i < deliveries.length; i += size) {
    const batch = deliveries.slice(i, i + size);
    let outcome: Outcome;
    try {
      const views = batch.map((d) => viewOf(d.alert));
      const timeoutMs = deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
      await withTimeout(sender.send(views), timeoutMs, channel.name);
      outcome = { ok: true };
    } catch (err) {
      outcome = { ok: false, error: err };
    }
    if (record(batch, outcome, deps, tally)) return;
  }
}

/**
 * Records one batch's outcome in one transaction, then emits its events. Returns true when
 * the channel was disabled by it. A delivery that is no longer pending (its channel was removed
 * while sending) is skipped.
 */
function record(
  batch: readonly Delivery[],
  outcome: Outcome,
  deps: OutboxDeps,
  tally: Tally,
): boolean {
  const channel = batch[0]!.channel.name;
  const atMs = deps.now();
  const view = outcome.ok ? undefined : toErrorView(outcome.error);
  const events: OutboxEvent[] = [];
  deps.stores.transaction(() => {
    // A delivery no longer pending (its channel was removed while sending) is skipped.
    const pending = batch.filter((d) =>
      deps.stores.alerts
        .deliveriesOf(d.alert.id)
        .some((x) => x.channel.name === channel && x.state === 'pending'),
    );
    if (view === undefined) {
      for (const d of pending) {
        deps.stores.alerts.markDelivered(d.alert.id, channel, atMs);
        events.push({ type: 'delivered', alertId: d.alert.id, channel });
      }
      return;
    }
    if (pending.length === 0) return;
    // One failed send is one channel failure, however many alerts it carried.
    const failures = deps.stores.alerts.markBatchFailed(
      pending.map((d) => d.alert.id),
      channel,
      `${view.code}: ${view.message}`,
      atMs,
    );
    pending.forEach((d, i) => {
      const failure = failures[i]!;
      events.push({
        type: 'delivery-failed',
        alertId: d.alert.id,
        channel,
        error: view,
        attempts: failure.attempts,
        final: failure.state === 'failed',
        nextAttemptAtMs: failure.nextAttemptAtMs,
      });
    });
    if (failures[0]?.channelDisabled) {
      const reason = deps.stores.channels.get(channel)?.disabledReason ?? 'disabled';
      events.push({ type: 'channel-disabled', channel, reason });
    }
  });
  // Only now, with the outcome committed, tell anyone.
  let disabled = false;
  for (const event of events) {
    if (event.type === 'delivered') tally.delivered++;
    else if (event.type === 'delivery-failed') tally.failed++;
    else {
      tally.disabledChannels.push(event.channel);
      disabled = true;
    }
    deps.onEvent?.(event);
  }
  return disabled;
}

function withTimeout(promise: Promise<void>, ms: number, channel: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('CHANNEL_FAILED', `send to ${channel} timed out after ${ms} ms`)),
      ms,
    );
    // A hung notifier must not keep the CLI alive after it is done.
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
