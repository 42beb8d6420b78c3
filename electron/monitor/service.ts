// MonitorService: the one facade the CLI, the Electron app and the web bridge call. It owns the
// database, the trust material, the log readers and the jobs; it never imports electron: the
// host passes its Notifier and SecretStore ports in.
import type { Classification } from '../../shared/domain';
import type { MonitorEvent } from '../../shared/events';
import { InputError } from '../core/errors';
import { noteVerifierFor } from '../core/trust/log-descriptor';
import type { LogDescriptor, TrustedRoot } from '../core/trust/types';
import type { Watch } from '../core/watch/types';
import { createNodeNotifier } from './alerts/node-notifier';
import type { Notifier, SecretStore } from './alerts/channel';
import { createChannel } from './alerts/channel-factory';
import { deliverDue, type OutboxReport } from './alerts/outbox';
import { followTree, recordFailure, type TreeReport } from './jobs/cycle';
import { createEntryMatcher, type EntryMatcher } from './jobs/match-entry';
import { discoverRekorV1Trees } from './jobs/rekor-v1-trees';
import { createRekorV2Tree } from './jobs/rekor-v2-tree';
import type { StartAt } from './jobs/start-index';
import type { FollowedTree } from './jobs/tree';
import { createHttpClient, type HttpClient } from './logs/http';
import { createRekorV1Client } from './logs/rekor-v1';
import { logsFromTrust, type LogSelector } from './logs-from-trust';
import { databasePath } from './paths';
import { Scheduler } from './scheduler';
import { openDatabase, openStores, type Stores } from './store/index';
import {
  createTrustSource,
  tufCacheDir,
  SIGSTORE_TUF_MIRROR,
  type TrustMaterial,
} from './tuf/trust-source';

export interface TrustOptions {
  /** `--trusted-root FILE`: use this trusted root, never TUF. */
  readonly trustedRootFile?: string;
  /** `--tuf-mirror URL`. */
  readonly tufMirror?: string;
  /** `--tuf-root FILE` contents: the private repository's root metadata. */
  readonly tufRootJson?: Uint8Array;
}

export interface MonitorOptions {
  readonly dataDir: string;
  readonly trust?: TrustOptions;
  /** `--log` selectors; empty = every log the trust material lists. */
  readonly logs?: readonly LogSelector[];
  readonly notifier?: Notifier;
  readonly secrets?: SecretStore;
  readonly now?: () => number;
  /** Requests in flight per log (Rekor v1 retrieve calls, v2 bundle fetches). Default 8. */
  readonly concurrency?: number;
  readonly http?: HttpClient;
}

export interface RunOptions {
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

type Listener = (event: MonitorEvent) => void;

/** Secrets from environment variables: `VIGIL_SECRET_<NAME>` (name upper-cased, - and . as _). */
export function envSecretStore(env: Readonly<Record<string, string | undefined>>): SecretStore {
  return {
    get: async (key) => env[`VIGIL_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`],
  };
}

export class MonitorService {
  readonly stores: Stores;
  readonly dataDir: string;
  readonly #options: MonitorOptions;
  readonly #listeners = new Set<Listener>();
  readonly #now: () => number;
  readonly #http: HttpClient;
  #trust:
    | { material: TrustMaterial; trustedRoot: TrustedRoot; logs: readonly LogDescriptor[] }
    | undefined;
  #scheduler: Scheduler | undefined;

  private constructor(options: MonitorOptions, stores: Stores) {
    this.#options = options;
    this.stores = stores;
    this.dataDir = options.dataDir;
    this.#now = options.now ?? (() => Date.now());
    this.#http = options.http ?? createHttpClient({});
  }

  /** Opens (creating if needed) the data directory's database. Throws StorageError. */
  static open(options: MonitorOptions): MonitorService {
    const db = openDatabase(databasePath(options.dataDir));
    return new MonitorService(options, openStores(db));
  }

  close(): void {
    this.stores.db.close();
  }

  /** Subscribes to monitor events; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit = (event: MonitorEvent): void => {
    for (const listener of this.#listeners) listener(event);
  };

  // -------------------------------------------------------------------------------------------
  // trust

  /** Loads the trust material (TUF, cache, file or seed) and the logs it lists. */
  async loadTrust(): Promise<{ material: TrustMaterial; logs: readonly LogDescriptor[] }> {
    const trust = this.#options.trust ?? {};
    const mirror = trust.tufMirror ?? SIGSTORE_TUF_MIRROR;
    const source = createTrustSource({
      mirrorUrl: mirror,
      cacheDir: tufCacheDir(this.dataDir, mirror),
      ...(trust.trustedRootFile !== undefined && { trustedRootFile: trust.trustedRootFile }),
      ...(trust.tufRootJson !== undefined && { rootJson: trust.tufRootJson }),
      clock: { now: this.#now },
    });
    const material = await source.load();
    const { trustedRoot, logs } = logsFromTrust(material, this.#options.logs ?? [], this.#now());
    this.#trust = { material, trustedRoot, logs };
    this.#emit({
      type: 'trust.loaded',
      source: material.source,
      state: material.state,
      logs: logs.map((l) => (l.apiVersion === 2 ? l.origin : l.baseUrl)),
      ...(material.staleReason && { staleReason: material.staleReason }),
    });
    return { material, logs };
  }

  // -------------------------------------------------------------------------------------------
  // monitoring

  /** The watchlist as stored, compiled for scanning. */
  matcher(): EntryMatcher {
    if (!this.#trust) throw new InputError('INVALID_INPUT', 'trust material not loaded');
    return createEntryMatcher(this.stores.watches.list(), this.#trust.trustedRoot);
  }

  /** The trees of one log: every Rekor v1 shard, or the v2 log. */
  async #trees(log: LogDescriptor): Promise<FollowedTree[]> {
    const logKey = noteVerifierFor(log);
    const concurrency = this.#options.concurrency ?? 8;
    if (log.apiVersion === 1) {
      const client = createRekorV1Client({ baseUrl: log.baseUrl, http: this.#http, concurrency });
      return discoverRekorV1Trees(log, client, logKey);
    }
    return [createRekorV2Tree(log, logKey, this.#http, concurrency)];
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
    const deps = { stores: this.stores, now: this.#now, emit: this.#emit };
    const matcher = this.matcher();
    let trees: FollowedTree[];
    try {
      trees = await this.#trees(log);
    } catch (err) {
      const origin = MonitorService.logKey(log);
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
    for (const tree of trees) {
      if (options.signal?.aborted) break;
      if (this.stores.logs.get(tree.origin)?.paused) continue;
      reports.push(
        await followTree(tree, matcher, deps, {
          startAt: options.startAt ?? { kind: 'head' },
          batchSize: (t) => options.batchSize ?? (t.apiVersion === 1 ? 1024 : 4096),
          ...(options.signal && { signal: options.signal }),
        }),
      );
    }
    return reports;
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
    options: RunOptions & { intervalMs: number; onRun?: (reports: readonly TreeReport[]) => void },
  ): Promise<void> {
    if (!this.#trust) await this.loadTrust();
    const logs = new Map(this.#trust!.logs.map((l) => [MonitorService.logKey(l), l]));
    let first = true;
    const scheduler = new Scheduler(
      async (key) => {
        const log = logs.get(key);
        if (!log) return true;
        // A backfill (--since, --from-index) applies to the first pass only.
        const reports = await this.runLog(
          log,
          first ? options : { ...options, startAt: { kind: 'head' } },
        );
        await this.deliverAlerts();
        options.onRun?.(reports);
        return reports.every((r) => !r.error);
      },
      { intervalMs: options.intervalMs },
    );
    this.#scheduler = scheduler;
    scheduler.setLogs([...logs.keys()]);
    first = false;
    await new Promise<void>((resolve) => {
      if (options.signal?.aborted) resolve();
      options.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    scheduler.stop();
    this.#scheduler = undefined;
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
    const notifier = this.#options.notifier ?? createNodeNotifier();
    const secrets = this.#options.secrets ?? envSecretStore({});
    return deliverDue({
      stores: this.stores,
      channels: (channel) => createChannel(channel, { notifier, secrets, now: this.#now }),
      now: this.#now,
      onEvent: (e) => {
        if (e.type === 'delivered')
          this.#emit({ type: 'alert.delivered', alertId: e.alertId, channel: e.channel });
        else if (e.type === 'delivery-failed') {
          this.#emit({
            type: 'alert.failed',
            alertId: e.alertId,
            channel: e.channel,
            message: e.error.message,
          });
        } else this.#emit({ type: 'channel.disabled', channel: e.channel, reason: e.reason });
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // watchlist

  /**
   * Makes the stored watchlist equal `watches` (from parseWatchlist), in one transaction,
   * auditing each addition, change and removal. Unchanged watches are left alone.
   */
  replaceWatches(watches: readonly Watch[]): {
    added: string[];
    changed: string[];
    removed: string[];
  } {
    const valid = watches;
    const atMs = this.#now();
    return this.stores.transaction(() => {
      const current = new Map(this.stores.watches.list().map((w) => [w.name, w]));
      const added: string[] = [];
      const changed: string[] = [];
      for (const w of valid) {
        const old = current.get(w.name);
        current.delete(w.name);
        if (!old) {
          this.stores.watches.add(w, atMs);
          added.push(w.name);
        } else if (canonicalJson(withoutTimes(old)) !== canonicalJson(w)) {
          this.stores.watches.update(w, atMs);
          changed.push(w.name);
        }
      }
      for (const name of current.keys()) this.stores.watches.remove(name, atMs);
      return { added, changed, removed: [...current.keys()] };
    });
  }
}

function zeroCounts(): Record<Classification, number> {
  return { expected: 0, unexpected: 0, untrusted: 0 };
}

function withoutTimes(w: Watch & { createdAtMs?: number }): Watch {
  const { createdAtMs: _createdAtMs, ...watch } = w;
  return watch;
}

/** JSON with object keys sorted and undefined members dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
