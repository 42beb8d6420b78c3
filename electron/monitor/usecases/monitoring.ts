// Monitoring: the trust material and the logs it lists, runs over them (one pass, or
// continuously on the scheduler, with pause, resume and "check now"), delivery of due alerts
// after each run, and the status every transport shows.
import type { Classification, StatusView } from '../../../shared/domain';
import { toErrorView, InputError } from '../../core/errors';
import { noteVerifierFor } from '../../core/trust/log-descriptor';
import type { LogDescriptor, TrustedRoot } from '../../core/trust/types';
import { createChannel } from '../alerts/channel-factory';
import { deliverDue, type OutboxReport } from '../alerts/outbox';
import { followTree, recordFailure, type TreeReport } from '../jobs/cycle';
import { MatchWorker, matchOnThisThread, type EntryMatching } from '../jobs/entry-matching';
import { createEntryMatcher } from '../jobs/match-entry';
import { discoverRekorV1Trees } from '../jobs/rekor-v1-trees';
import { discoverRekorV2Tree } from '../jobs/rekor-v2-tree';
import type { StartAt } from '../jobs/start-index';
import type { FollowedTree } from '../jobs/tree';
import type { HttpClient } from '../logs/http';
import { createRekorV1Client } from '../logs/rekor-v1';
import { logsFromTrust, type LogSelector } from '../logs-from-trust';
import { Scheduler } from '../scheduler';
import {
  createTrustSource,
  tufCacheDir,
  SIGSTORE_TUF_MIRROR,
  type TrustMaterial,
} from '../tuf/trust-source';
import { channelDeps, type UseCaseContext } from './context';
import { ALERT_ON_EXPECTED } from './settings';
import { readTrustState, recordTrustState, TRUST_STATE_KEY } from './trust-state';
import { toLogHealth } from './log-health';

export interface TrustOptions {
  /** `--trusted-root FILE`: use this trusted root, never TUF. */
  readonly trustedRootFile?: string;
  /** `--tuf-mirror URL`. */
  readonly tufMirror?: string;
  /** `--tuf-root FILE` contents: the private repository's root metadata. */
  readonly tufRootJson?: Uint8Array;
}

/** How Monitoring reaches the logs (MonitorOptions' part of it). */
export interface MonitoringOptions {
  readonly trust?: TrustOptions;
  /** `--log` selectors; empty = every log the trust material lists. */
  readonly logs?: readonly LogSelector[];
  /** Requests in flight per log (Rekor v1 retrieve calls, v2 bundle fetches). Default 8. */
  readonly concurrency?: number;
  readonly http: HttpClient;
  /** The matching worker's script; without it entries are matched on the calling thread. */
  readonly matchWorker?: URL;
}

export interface RunOptions {
  /** Where trees without a scan cursor start: the head (default) or a backfill. */
  readonly startAt?: StartAt;
  readonly signal?: AbortSignal;
  /** Entries per committed batch; default 1024 (v1) / 4096 (v2). */
  readonly batchSize?: number;
}

export interface RunSummary {
  readonly trust: Pick<TrustMaterial, 'source' | 'state' | 'staleReason'>;
  readonly trees: readonly TreeReport[];
  readonly matches: Readonly<Record<Classification, number>>;
  readonly integrityFailures: number;
  readonly errors: number;
  readonly outbox?: OutboxReport;
}

/** Settings key of when the data dir's first clean pass over every log ended (epoch ms). */
export const FIRST_PASS_KEY = 'scan.firstPassAtMs';

export class Monitoring {
  readonly #ctx: UseCaseContext;
  readonly #options: MonitoringOptions;
  #trust:
    | { material: TrustMaterial; trustedRoot: TrustedRoot; logs: readonly LogDescriptor[] }
    | undefined;
  #scheduler: Scheduler | undefined;
  #matchWorker: MatchWorker | undefined;

  constructor(ctx: UseCaseContext, options: MonitoringOptions) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** The trusted root of the last loadTrust; undefined before it. */
  get trustedRoot(): TrustedRoot | undefined {
    return this.#trust?.trustedRoot;
  }

  /** Stops the matching worker: a scan still running fails, its batch uncommitted. */
  close(): void {
    void this.#matchWorker?.close();
  }

  /** Loads the trust material (TUF, cache, file or seed) and the logs it lists. */
  async loadTrust(): Promise<{ material: TrustMaterial; logs: readonly LogDescriptor[] }> {
    const trust = this.#options.trust ?? {};
    const mirror = trust.tufMirror ?? SIGSTORE_TUF_MIRROR;
    const source = createTrustSource({
      mirrorUrl: mirror,
      cacheDir: tufCacheDir(this.#ctx.dataDir, mirror),
      ...(trust.trustedRootFile !== undefined && { trustedRootFile: trust.trustedRootFile }),
      ...(trust.tufRootJson !== undefined && { rootJson: trust.tufRootJson }),
      clock: { now: this.#ctx.now },
    });
    const material = await source.load();
    const { trustedRoot, logs } = logsFromTrust(
      material,
      this.#options.logs ?? [],
      this.#ctx.now(),
    );
    this.#trust = { material, trustedRoot, logs };
    recordTrustState(this.#ctx.stores, material, this.#ctx.now());
    this.#ctx.emit({
      type: 'trust.loaded',
      source: material.source,
      state: material.state,
      logs: logs.map((l) => (l.apiVersion === 2 ? l.origin : l.baseUrl)),
      ...(material.staleReason && { staleReason: material.staleReason }),
    });
    return { material, logs };
  }

  /** The logs of the last loadTrust (after --log selection); empty before it. */
  get logs(): readonly LogDescriptor[] {
    return this.#trust?.logs ?? [];
  }

  /** The watchlist as stored, ready to match scanned entries (on the worker, if configured). */
  entryMatching(): EntryMatching {
    if (!this.#trust) throw new InputError('INVALID_INPUT', 'trust material not loaded');
    const watches = this.#ctx.stores.watches.list();
    const trust = { certificateAuthorities: this.#trust.trustedRoot.certificateAuthorities };
    const url = this.#options.matchWorker;
    if (url === undefined) return matchOnThisThread(createEntryMatcher(watches, trust));
    this.#matchWorker ??= new MatchWorker(url);
    return this.#matchWorker.matching({ watches, trust });
  }

  /** The trees of one log: every Rekor v1 shard, or the v2 log. Throws FetchError. */
  async trees(log: LogDescriptor): Promise<FollowedTree[]> {
    const concurrency = this.#options.concurrency ?? 8;
    if (log.apiVersion === 1) {
      const client = createRekorV1Client({
        baseUrl: log.baseUrl,
        http: this.#options.http,
        concurrency,
      });
      return discoverRekorV1Trees(log, client, noteVerifierFor(log));
    }
    return [await discoverRekorV2Tree(log, this.#options.http, concurrency)];
  }

  /** A log's display key: the v2 origin, or the v1 base URL (its shards have their own origins). */
  static logKey(log: LogDescriptor): string {
    return log.apiVersion === 2 ? log.origin : log.baseUrl;
  }

  /**
   * Checks and scans every tree of one log. Never throws for log or network failures: they are
   * in the reports (and audited).
   */
  async runLog(log: LogDescriptor, options: RunOptions = {}): Promise<TreeReport[]> {
    const deps = { stores: this.#ctx.stores, now: this.#ctx.now, emit: this.#ctx.emit };
    const matching = this.entryMatching();
    let trees: FollowedTree[];
    try {
      trees = await this.trees(log);
    } catch (err) {
      const origin = this.#failedLogKey(log);
      return [
        {
          origin,
          scanned: 0,
          nextIndex: null,
          treeSize: null,
          matches: zeroCounts(),
          ...recordFailure(origin, err, deps),
        },
      ];
    }
    const reports: TreeReport[] = [];
    // A tree without a scan cursor is a new shard, every entry of which is news, when its log
    // was followed before this run (a Rekor v1 rotation) or, for Rekor v2, whose every shard is
    // a log of its own, when the trust material added it after the data dir's first pass.
    const unseenTreesAreNewShards =
      log.apiVersion === 1
        ? trees.some((t) => this.#ctx.stores.scans.get(t.origin) !== undefined)
        : this.#ctx.stores.settings.get(FIRST_PASS_KEY) !== undefined;
    for (const tree of trees) {
      if (options.signal?.aborted) break;
      if (this.#ctx.stores.logs.get(tree.origin)?.paused) continue;
      reports.push(
        await followTree(tree, matching, deps, {
          startAt: options.startAt ?? { kind: 'head' },
          ...(this.#ctx.stores.settings.get(ALERT_ON_EXPECTED) === true && {
            alertOn: ['expected', 'unexpected', 'untrusted'] as const,
          }),
          unseenTreesAreNewShards,
          batchSize: (t) => options.batchSize ?? (t.apiVersion === 1 ? 1024 : 4096),
          ...(options.signal && { signal: options.signal }),
        }),
      );
    }
    return reports;
  }

  /** Where a discovery failure goes: a v2 log's stored origin (maybe `host:port`), else logKey. */
  #failedLogKey(log: LogDescriptor): string {
    if (log.apiVersion === 1) return Monitoring.logKey(log);
    const known = log.origins.find(({ origin }) => this.#ctx.stores.logs.get(origin));
    return known?.origin ?? Monitoring.logKey(log);
  }

  /** One pass over every log, then delivery of due alerts. */
  async runOnce(options: RunOptions = {}): Promise<RunSummary> {
    if (!this.#trust) await this.loadTrust();
    const trust = this.#trust!;
    const reports: TreeReport[] = [];
    for (const log of trust.logs) {
      if (options.signal?.aborted) break;
      reports.push(...(await this.runLog(log, options)));
    }
    if (!options.signal?.aborted && reports.every((r) => !r.error)) this.#recordFirstPass();
    const outbox = await this.deliverAlerts();
    return { ...this.#summarise(reports), outbox };
  }

  #summarise(reports: readonly TreeReport[]): RunSummary {
    const trust = this.#trust!;
    const matches = zeroCounts();
    for (const r of reports) {
      for (const c of Object.keys(matches) as Classification[]) matches[c] += r.matches[c];
    }
    return {
      trust: {
        source: trust.material.source,
        state: trust.material.state,
        ...(trust.material.staleReason && { staleReason: trust.material.staleReason }),
      },
      trees: reports,
      matches,
      integrityFailures: reports.filter((r) => r.integrityFailure).length,
      errors: reports.filter((r) => r.error && !r.integrityFailure).length,
    };
  }

  /**
   * Monitors continuously: every log is checked and scanned every `intervalMs` (jittered), with
   * per-log backoff after failures, and alerts are delivered after each run. `onRun` receives
   * each log's reports. Resolves when `signal` aborts.
   */
  async start(
    options: RunOptions & {
      intervalMs: number;
      /** How often to refresh the trust material (new shards, key changes); default 6 h. */
      trustRefreshMs?: number;
      onRun?: (reports: readonly TreeReport[]) => void;
    },
  ): Promise<void> {
    if (!this.#trust) await this.loadTrust();
    let logs = new Map(this.#trust!.logs.map((l) => [Monitoring.logKey(l), l]));
    // Logs whose run went without error; once every log has had one, that was the first pass.
    const clean = new Set<string>();
    const runLogJob = async (log: LogDescriptor, key: string): Promise<boolean> => {
      // A backfill (--since, --from-index) only places trees without a cursor, so passing it
      // on every run is harmless.
      const reports = await this.runLog(log, options);
      const ok = reports.every((r) => !r.error);
      if (ok && !options.signal?.aborted && clean.add(key).size === logs.size) {
        this.#recordFirstPass();
      }
      await this.deliverAlerts();
      options.onRun?.(reports);
      return ok;
    };
    // Runs in flight when the signal aborts are awaited (they stop after their current batch),
    // so their reports reach onRun and nothing writes to the database after start returns.
    const running = new Set<Promise<boolean>>();
    const scheduler = new Scheduler(
      (key) => {
        const log = logs.get(key);
        if (!log) return Promise.resolve(true);
        const job = runLogJob(log, key);
        running.add(job);
        const forget = () => running.delete(job);
        job.then(forget, forget);
        return job;
      },
      { intervalMs: options.intervalMs },
    );
    this.#scheduler = scheduler;
    scheduler.setLogs([...logs.keys()]);
    // The trust material names the logs: refresh it so a new shard is followed (and a stale
    // trust root reported) without a restart.
    const refresh = setInterval(
      () => {
        this.loadTrust().then(
          (trust) => {
            logs = new Map(trust.logs.map((l) => [Monitoring.logKey(l), l]));
            clean.clear();
            scheduler.setLogs([...logs.keys()]);
          },
          (err: unknown) => this.#ctx.emit({ type: 'error', ...toErrorView(err) }),
        );
      },
      options.trustRefreshMs ?? 6 * 3_600_000,
    );
    refresh.unref();
    await new Promise<void>((resolve) => {
      if (options.signal?.aborted) resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(refresh);
    scheduler.stop();
    this.#scheduler = undefined;
    await Promise.allSettled(running);
  }

  /** Pauses or resumes continuous monitoring (see start); "check now" runs every log at once. */
  pause(): void {
    this.#scheduler?.pause();
  }

  resume(): void {
    this.#scheduler?.resume();
  }

  checkNow(): void {
    this.#scheduler?.checkNow();
  }

  /** Sends every due alert delivery through its channel (at least once, with backoff). */
  deliverAlerts(): Promise<OutboxReport> {
    const deps = channelDeps(this.#ctx);
    return deliverDue({
      stores: this.#ctx.stores,
      channels: (channel) => createChannel(channel, deps),
      now: this.#ctx.now,
      onEvent: (e) => {
        if (e.type === 'delivered')
          this.#ctx.emit({ type: 'alert.delivered', alertId: e.alertId, channel: e.channel });
        else if (e.type === 'delivery-failed') {
          this.#ctx.emit({
            type: 'alert.failed',
            alertId: e.alertId,
            channel: e.channel,
            message: e.error.message,
          });
        } else this.#ctx.emit({ type: 'channel.disabled', channel: e.channel, reason: e.reason });
      },
    });
  }

  /** Logs, trust, watch and alert counts: what `vigil status` and the tray show. */
  status(): StatusView {
    const logs = this.#ctx.stores.logs
      .list()
      .map((log) =>
        toLogHealth(
          log,
          this.#ctx.stores.checkpoints.latest(log.origin),
          this.#ctx.stores.scans.get(log.origin),
        ),
      );
    // A count, not a page walk: the inbox badge is read often and alerts only grow.
    const newAlerts = this.#ctx.stores.db
      .prepare<[], number>("SELECT count(*) FROM alerts WHERE state = 'new'")
      .pluck()
      .get()!;
    return {
      dataDir: this.#ctx.dataDir,
      trust: readTrustState(this.#ctx.stores.settings.get(TRUST_STATE_KEY)),
      logs,
      watches: this.#ctx.stores.watches.list().length,
      alerts: { new: newAlerts },
      paused: this.#scheduler?.paused ?? false,
    };
  }

  /**
   * Marks the data dir's first pass (every log of the trust material checked and scanned without
   * error) as done, once: from then on a Rekor v2 log first seen is a new shard and starts at 0
   * (runLog). A pass over the logs chosen with --log does not count: it did not see the others.
   */
  #recordFirstPass(): void {
    if (this.#options.logs?.length) return;
    if (this.#ctx.stores.settings.get(FIRST_PASS_KEY) === undefined) {
      this.#ctx.stores.settings.set(FIRST_PASS_KEY, this.#ctx.now(), this.#ctx.now());
    }
  }
}

function zeroCounts(): Record<Classification, number> {
  return { expected: 0, unexpected: 0, untrusted: 0 };
}
