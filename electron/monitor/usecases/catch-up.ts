// Catch-up: after the first watch is added, scan the last 24 hours or 7 days of every Rekor v1
// log again for the watchlist, so that a signing made just before Vigil was set up is found too.
// The scan cursors are not moved (commitScanBatch never moves one back): the normal runs go on
// from where they are while the catch-up re-reads what lies behind them, proving every entry in
// the verified tree as any scan does. Progress goes out as 'catchup.progress' events.
//
// Rekor v2 cannot take part: its entries carry no integrated time (a tlog-tiles entry bundle is
// the logged entry alone, c2sp.org/tlog-tiles), so nothing says where "24 hours ago" begins
// without reading the whole log. Rekor v1 answers with integratedTime per entry, and a binary
// search over those places the start (jobs/start-index.ts, as `vigil run --since` does).
import {
  CATCH_UP_SINCES,
  type CatchUpLog,
  type CatchUpSince,
  type CatchUpView,
} from '../../../shared/activity';
import { toErrorView, InputError } from '../../core/errors';
import { openStored } from '../jobs/check-log';
import { scanLog } from '../jobs/scan-log';
import { startIndex } from '../jobs/start-index';
import type { FollowedTree } from '../jobs/tree';
import { HOUR_MS } from '../store/activity-store';
import type { UseCaseContext } from './context';
import { readEnum, readRecord } from './input';
import type { Monitoring } from './monitoring';
import { ALERT_ON_EXPECTED } from './settings';

const SINCE_MS: Readonly<Record<CatchUpSince, number>> = {
  now: 0,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
};

export const NO_TIME_INDEX =
  'Rekor v2 entries carry no time, so Vigil cannot tell where that period begins: it watches this log from now on';

interface Planned {
  readonly tree: FollowedTree;
  readonly index: number;
}

export class CatchUp {
  readonly #ctx: UseCaseContext;
  readonly #monitoring: Monitoring;
  #view: CatchUpView | undefined;
  #running: Promise<void> | undefined;

  constructor(ctx: UseCaseContext, monitoring: Monitoring) {
    this.#ctx = ctx;
    this.#monitoring = monitoring;
  }

  /** The last catch-up of this process (running or finished), or null. */
  get(): CatchUpView | null {
    return this.#view ?? null;
  }

  /**
   * Plans a catch-up of `since` and starts it in the background; resolves with the plan (every
   * log with the range it re-scans, or why it cannot). 'now' plans nothing and is done at once.
   * A log without a scan cursor is left to its first run. INVALID_INPUT while one is running.
   */
  async start(request: { since: CatchUpSince }): Promise<CatchUpView> {
    const r = readRecord(request, 'request', ['since']);
    const since = readEnum(r.since, CATCH_UP_SINCES, 'request.since');
    if (this.#running) throw new InputError('INVALID_INPUT', 'a catch-up is already running');
    const startedAtMs = this.#ctx.now();
    const sinceMs = since === 'now' ? null : startedAtMs - SINCE_MS[since];
    const logs: CatchUpLog[] = [];
    const planned: Planned[] = [];
    if (sinceMs !== null) {
      if (this.#monitoring.logs.length === 0) await this.#monitoring.loadTrust();
      for (const log of this.#monitoring.logs) {
        let trees: FollowedTree[];
        try {
          trees = await this.#monitoring.trees(log);
        } catch (err) {
          const origin = log.apiVersion === 2 ? log.origin : log.baseUrl;
          logs.push(empty(origin, log.apiVersion, 0, toErrorView(err).message));
          continue;
        }
        for (const tree of trees) {
          const plan = await this.#plan(tree, sinceMs);
          logs.push(plan.log);
          if (plan.log.toIndex > plan.log.fromIndex) planned.push({ tree, index: logs.length - 1 });
        }
      }
    }
    this.#view = summarise({ since, sinceMs, state: 'running', startedAtMs, logs, matches: 0 });
    if (planned.length === 0) {
      this.#view = { ...this.#view, state: 'done' };
      this.#emit();
      return this.#view;
    }
    this.#emit();
    const running = this.#run(planned).finally(() => (this.#running = undefined));
    this.#running = running;
    return this.#view;
  }

  /** Resolves when the running catch-up has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#running;
  }

  async #plan(tree: FollowedTree, sinceMs: number): Promise<{ log: CatchUpLog }> {
    const cursor = this.#ctx.stores.scans.get(tree.origin);
    const at = cursor?.nextIndex ?? 0;
    if (!cursor) {
      return { log: empty(tree.origin, tree.apiVersion, 0, 'not checked yet: it starts now') };
    }
    if (!tree.entryTimeMs) return { log: empty(tree.origin, tree.apiVersion, at, NO_TIME_INDEX) };
    try {
      const { index } = await startIndex(tree, at, { kind: 'time', sinceMs });
      return { log: { ...empty(tree.origin, tree.apiVersion, at), fromIndex: index } };
    } catch (err) {
      return { log: empty(tree.origin, tree.apiVersion, at, toErrorView(err).message) };
    }
  }

  async #run(planned: readonly Planned[]): Promise<void> {
    let failed = false;
    for (const { tree, index } of planned) {
      const part = () => this.#view!.logs[index]!;
      const stored = this.#ctx.stores.checkpoints.latest(tree.origin);
      try {
        if (!stored) throw new InputError('NOT_FOUND', `no verified checkpoint of ${tree.origin}`);
        const alertAll = this.#ctx.stores.settings.get(ALERT_ON_EXPECTED) === true;
        const outcome = await scanLog(
          tree,
          openStored(tree, stored),
          this.#monitoring.entryMatching(),
          {
            stores: this.#ctx.stores,
            now: this.#ctx.now,
            emit: (event) => {
              if (event.type === 'scan.progress') {
                this.#update(index, { ...part(), scanned: event.scanned });
              } else {
                if (event.type === 'match')
                  this.#view = { ...this.#view!, matches: this.#view!.matches + 1 };
                this.#ctx.emit(event);
              }
            },
          },
          {
            batchSize: tree.apiVersion === 1 ? 1024 : 4096,
            from: part().fromIndex,
            stopAt: part().toIndex,
            ...(alertAll && { alertOn: ['expected', 'unexpected', 'untrusted'] as const }),
          },
        );
        this.#update(index, { ...part(), scanned: outcome.scanned });
      } catch (err) {
        failed = true;
        this.#update(index, { ...part(), note: toErrorView(err).message });
      }
    }
    this.#view = { ...this.#view!, state: failed ? 'failed' : 'done' };
    this.#emit();
    await this.#monitoring.deliverAlerts();
  }

  #update(index: number, log: CatchUpLog): void {
    const logs = this.#view!.logs.map((l, i) => (i === index ? log : l));
    this.#view = summarise({ ...this.#view!, logs });
    this.#emit();
  }

  #emit(): void {
    this.#ctx.emit({ type: 'catchup.progress', catchUp: this.#view! });
  }
}

function empty(origin: string, apiVersion: 1 | 2, at: number, note?: string): CatchUpLog {
  return { origin, apiVersion, fromIndex: at, toIndex: at, scanned: 0, ...(note && { note }) };
}

function summarise(v: Omit<CatchUpView, 'total' | 'scanned'>): CatchUpView {
  const { logs } = v;
  return {
    ...v,
    total: logs.reduce((n, l) => n + (l.toIndex - l.fromIndex), 0),
    scanned: logs.reduce((n, l) => n + l.scanned, 0),
  };
}
