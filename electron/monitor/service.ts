// MonitorService: the one facade the CLI, the Electron app and the web bridge call. It owns the
// database, the trust material, the log readers and the jobs; it never imports electron: the
// host passes its Notifier and SecretStore ports in.
import type {
  AlertListPage,
  AlertListQuery,
  AlertView,
  AuditPageQuery,
  AuditPageView,
  AuditVerifyView,
  ChannelView,
  Classification,
  ExpectAlertResult,
  ExportedFile,
  ExportRequest,
  ExportResult,
  MatchDetailView,
  MatchListPage,
  MatchListQuery,
  NewChannel,
  StatusView,
  TriageState,
  TrustStateView,
  WatchlistChange,
  WatchView,
} from '../../shared/domain';
import type { ErrorCode } from '../../shared/errors';
import type { MonitorEvent } from '../../shared/events';
import { AppError, InputError, toErrorView } from '../core/errors';
import { describeTrustedLogs, noteVerifierFor } from '../core/trust/log-descriptor';
import type { LogDescriptor, TrustedRoot } from '../core/trust/types';
import type { Watch } from '../core/watch/types';
import { createNodeNotifier } from './alerts/node-notifier';
import type { Notifier, SecretStore } from './alerts/channel';
import { createChannel, sendTest } from './alerts/channel-factory';
import { deliverDue, type OutboxReport } from './alerts/outbox';
import { followTree, recordFailure, type TreeReport } from './jobs/cycle';
import { MatchWorker, matchOnThisThread, type EntryMatching } from './jobs/entry-matching';
import { createEntryMatcher } from './jobs/match-entry';
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
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeHex } from '../core/bytes';
import {
  formatWatchlist,
  parseWatchlist,
  validateWatchlist,
  WatchlistError,
} from '../core/watch/watchlist';
import { toAlertView } from './alerts/alert-view';
import { validateChannelConfig } from './alerts/channel-config';
import { acknowledgeAlert, markAlertExpected, noteAlert } from './alerts/triage';
import { exportCsv } from './export/csv-export';
import { exportEvidence } from './export/evidence';
import { exportJsonl } from './export/jsonl-export';
import { MANIFEST_NAME, writeManifest, type Manifest } from './export/manifest';
import {
  readAbsolutePath,
  readBoolean,
  readChannelName,
  readEnum,
  readFreeText,
  readId,
  readLimit,
  readRecord,
  readText,
  readUint,
  optional,
} from './service-input';
import {
  toAuditEventView,
  toChannelView,
  toLogHealth,
  toMatchDetailView,
  toMatchView,
  toWatchView,
  watchFields,
} from './service-views';
import { AuditChainBrokenError, verifyAuditChain } from './store/audit-chain';
import { MAX_NOTE_LENGTH } from './store/rows';
import { AUDIT_KINDS, type Alert, type JsonValue } from './store/types';

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
  /**
   * The matching worker's script (the built match-worker.js, or a launcher that loads
   * match-worker.ts): scans then match entries on a worker thread, beside the fetching and
   * hashing. Without it they are matched on the calling thread.
   */
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

type Listener = (event: MonitorEvent) => void;

/** Setting: when true, expected matches raise (info) alerts too; by default they are only recorded. */
export const ALERT_ON_EXPECTED = 'alerts.expected';

/** Settings a user may change, with what they mean and their defaults. */
export const USER_SETTINGS: Readonly<
  Record<string, { readonly summary: string; readonly default: boolean }>
> = {
  [ALERT_ON_EXPECTED]: {
    summary: 'alert on expected matches too (default: record them without alerting)',
    default: false,
  },
};

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
  #matchWorker: MatchWorker | undefined;

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
    // Stops the matching worker: a scan still running fails, its batch uncommitted.
    void this.#matchWorker?.close();
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
    this.#recordTrustState(material);
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

  /** The watchlist as stored, ready to match scanned entries (on the worker, if configured). */
  #entryMatching(): EntryMatching {
    if (!this.#trust) throw new InputError('INVALID_INPUT', 'trust material not loaded');
    const watches = this.stores.watches.list();
    const trust = { certificateAuthorities: this.#trust.trustedRoot.certificateAuthorities };
    const url = this.#options.matchWorker;
    if (url === undefined) return matchOnThisThread(createEntryMatcher(watches, trust));
    this.#matchWorker ??= new MatchWorker(url);
    return this.#matchWorker.matching({ watches, trust });
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
    const matching = this.#entryMatching();
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
    // A tree without a scan cursor is a new shard, every entry of which is news, when its log
    // was followed before this run (a Rekor v1 rotation) or, for Rekor v2, whose every shard is
    // a log of its own, when the trust material added it after the data dir's first pass.
    const unseenTreesAreNewShards =
      log.apiVersion === 1
        ? trees.some((t) => this.stores.scans.get(t.origin) !== undefined)
        : this.stores.settings.get(FIRST_PASS_KEY) !== undefined;
    for (const tree of trees) {
      if (options.signal?.aborted) break;
      if (this.stores.logs.get(tree.origin)?.paused) continue;
      reports.push(
        await followTree(tree, matching, deps, {
          startAt: options.startAt ?? { kind: 'head' },
          ...(this.stores.settings.get(ALERT_ON_EXPECTED) === true && {
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
    let logs = new Map(this.#trust!.logs.map((l) => [MonitorService.logKey(l), l]));
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
            logs = new Map(trust.logs.map((l) => [MonitorService.logKey(l), l]));
            clean.clear();
            scheduler.setLogs([...logs.keys()]);
          },
          (err: unknown) => this.#emit({ type: 'error', ...toErrorView(err) }),
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

  // -------------------------------------------------------------------------------------------
  // queries, triage and management: the commands every transport calls. Callers (the renderer,
  // the web client) are untrusted, so each argument is validated here whatever its static type;
  // results are plain JSON DTOs (shared/domain.ts). Every change is audited by its store.

  /** Logs, trust, watch and alert counts: what `vigil status` and the tray show. */
  status(): StatusView {
    const logs = this.stores.logs
      .list()
      .map((log) =>
        toLogHealth(
          log,
          this.stores.checkpoints.latest(log.origin),
          this.stores.scans.get(log.origin),
        ),
      );
    // A count, not a page walk: the inbox badge is read often and alerts only grow.
    const newAlerts = this.stores.db
      .prepare<[], number>("SELECT count(*) FROM alerts WHERE state = 'new'")
      .pluck()
      .get()!;
    return {
      dataDir: this.dataDir,
      trust: readTrustState(this.stores.settings.get(TRUST_STATE_KEY)),
      logs,
      watches: this.stores.watches.list().length,
      alerts: { new: newAlerts },
      paused: this.#scheduler?.paused ?? false,
    };
  }

  /** Recorded matches, newest first, filtered; keyset page by id. */
  listMatches(query?: MatchListQuery): MatchListPage {
    const q = readRecord(query, 'query', MATCH_QUERY_KEYS);
    const page = this.stores.matches.page({
      ...optional(q, 'origin', readText, 'query'),
      ...(q.watch !== undefined && { watchName: readText(q.watch, 'query.watch') }),
      ...optional(q, 'classification', readClassification, 'query'),
      ...optional(q, 'triage', readTriage, 'query'),
      ...optional(q, 'beforeId', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      matches: page.matches.map(toMatchView),
      ...(page.nextBeforeId !== undefined && { nextBeforeId: page.nextBeforeId }),
    };
  }

  /** One match with its full signer and evidence. Throws InputError NOT_FOUND. */
  getMatch(id: number): MatchDetailView {
    const matchId = readId(id, 'match id');
    const match = this.stores.matches.get(matchId);
    if (!match) throw new InputError('NOT_FOUND', `match ${matchId} not found`);
    return toMatchDetailView(match);
  }

  /** The watchlist, by name. */
  listWatches(): WatchView[] {
    return this.stores.watches.list().map(toWatchView);
  }

  /**
   * Adds one watchlist item, given in the watchlist file's JSON shape (WatchItem) and validated
   * as the file is. Throws WatchlistError (WATCHLIST_INVALID) listing every problem, and
   * InputError INVALID_INPUT when a watch of that name exists.
   */
  addWatch(item: unknown): WatchView {
    const watch = validateWatchItem(item);
    return toWatchView(this.stores.watches.add(watch, this.#now()));
  }

  /** Removes a watch; its matches stay (they are evidence). Throws InputError NOT_FOUND. */
  removeWatch(name: string): void {
    this.stores.watches.remove(readText(name, 'watch name'), this.#now());
  }

  /**
   * Imports a watchlist file's text. 'replace' makes the stored watchlist equal the file
   * (replaceWatches); 'merge' adds its new watches and updates those with the same name,
   * keeping the rest. All or nothing: an invalid file (WatchlistError) changes nothing.
   */
  importWatchlist(
    text: string,
    format: 'yaml' | 'json',
    mode: 'replace' | 'merge',
  ): WatchlistChange {
    const source = readText(text, 'watchlist text', MAX_WATCHLIST_CHARS);
    const watches = parseWatchlist(source, readEnum(format, FORMATS, 'format')).watches;
    return readEnum(mode, ['replace', 'merge'], 'mode') === 'replace'
      ? this.replaceWatches(watches)
      : this.#mergeWatches(watches);
  }

  /** The stored watchlist as a watchlist file (parseWatchlist reads it back unchanged). */
  exportWatchlist(format: 'yaml' | 'json'): string {
    const watches = this.stores.watches.list().map(watchFields);
    return formatWatchlist({ version: 1, watches }, readEnum(format, FORMATS, 'format'));
  }

  #mergeWatches(watches: readonly Watch[]): WatchlistChange {
    const atMs = this.#now();
    return this.stores.transaction(() => {
      const added: string[] = [];
      const changed: string[] = [];
      for (const w of watches) {
        const old = this.stores.watches.get(w.name);
        if (!old) {
          this.stores.watches.add(w, atMs);
          added.push(w.name);
        } else if (canonicalJson(watchFields(old)) !== canonicalJson(w)) {
          this.stores.watches.update(w, atMs);
          changed.push(w.name);
        }
      }
      return { added, changed, removed: [] };
    });
  }

  /** Alerts, newest first, optionally in one triage state; keyset page by id. */
  listAlerts(query?: AlertListQuery): AlertListPage {
    const q = readRecord(query, 'query', ['state', 'beforeId', 'limit']);
    const page = this.stores.alerts.list({
      ...optional(q, 'state', readTriage, 'query'),
      ...optional(q, 'beforeId', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      alerts: page.alerts.map((a) => this.#alertView(a)),
      ...(page.nextBeforeId !== undefined && { nextBeforeId: page.nextBeforeId }),
    };
  }

  /** "I have seen it"; a match alert's match is acknowledged with it. Throws NOT_FOUND. */
  acknowledgeAlert(id: number): AlertView {
    return this.#alertView(acknowledgeAlert(this.stores, readId(id, 'alert id'), this.#now()));
  }

  /**
   * "This signing was legitimate": triages a match alert as expected and teaches its watch the
   * workflow, ref and trigger (markAlertExpected). Returns what was added to the watch. Throws
   * InputError NOT_FOUND, and INVALID_INPUT for a log alert.
   */
  expectAlert(id: number): ExpectAlertResult {
    const { alert, change } = markAlertExpected(this.stores, readId(id, 'alert id'), this.#now());
    return {
      alert: this.#alertView(alert),
      ...(change.watch && { watch: toWatchView(change.watch) }),
      added: change.added,
      notAdded: change.notAdded,
    };
  }

  /**
   * Sets (or with '' removes) the note of an alert (a match alert's is kept on its match);
   * returns the alert. Throws InputError NOT_FOUND, INVALID_INPUT for a note over 10 000
   * characters.
   */
  noteAlert(id: number, note: string): AlertView {
    const alertId = readId(id, 'alert id');
    const text = readFreeText(note, 'note', MAX_NOTE_LENGTH);
    return this.#alertView(noteAlert(this.stores, alertId, text, this.#now()));
  }

  #alertView(alert: Alert): AlertView {
    const match = alert.matchId === undefined ? undefined : this.stores.matches.get(alert.matchId);
    return {
      ...toAlertView(alert, match),
      ...(alert.matchId !== undefined && { matchId: alert.matchId }),
    };
  }

  /** The alert channels with their health; settings name secrets, never hold them. */
  listChannels(): ChannelView[] {
    return this.stores.channels.list().map(toChannelView);
  }

  /**
   * Adds an enabled channel. `config` is validated for its kind (validateChannelConfig) and
   * stored as validated. Throws InputError CONFIG_INVALID for a bad config, INVALID_INPUT for a
   * bad name or kind, or a name already in use.
   */
  addChannel(channel: NewChannel): ChannelView {
    const c = readRecord(channel, 'channel', ['name', 'kind', 'config']);
    const name = readChannelName(c.name, 'channel.name');
    const kind = readEnum(c.kind, CHANNEL_KINDS, 'channel.kind');
    const { kind: _kind, ...settings } = validateChannelConfig(kind, c.config);
    if (this.stores.channels.get(name)) {
      throw new InputError('INVALID_INPUT', `channel ${JSON.stringify(name)} already exists`);
    }
    return toChannelView(
      this.stores.channels.upsert({ name, kind, config: settings, enabled: true }, this.#now()),
    );
  }

  /** Removes a channel and its pending deliveries. Throws InputError NOT_FOUND. */
  removeChannel(name: string): void {
    this.stores.channels.remove(readChannelName(name, 'channel name'), this.#now());
  }

  /**
   * Enables a channel (resetting its failure count; its waiting deliveries resume) or disables
   * it. Throws InputError NOT_FOUND.
   */
  setChannelEnabled(name: string, enabled: boolean): ChannelView {
    const channelName = readChannelName(name, 'channel name');
    const on = readBoolean(enabled, 'enabled');
    return toChannelView(this.stores.channels.setEnabled(channelName, on, this.#now()));
  }

  /**
   * Sends the test alert through a channel, enabled or not, reading its secrets now. Resolves
   * when it was delivered; rejects with the channel's AppError (FetchError, CHANNEL_FAILED for
   * a missing secret, CONFIG_INVALID for a bad stored config). Records nothing.
   */
  async testChannel(name: string): Promise<void> {
    const channelName = readChannelName(name, 'channel name');
    const stored = this.stores.channels.get(channelName);
    if (!stored)
      throw new InputError('NOT_FOUND', `channel ${JSON.stringify(channelName)} not found`);
    const channel = createChannel(stored, {
      notifier: this.#options.notifier ?? createNodeNotifier(),
      secrets: this.#options.secrets ?? envSecretStore({}),
      now: this.#now,
    });
    try {
      await sendTest(channel, this.#now());
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError(
        'CHANNEL_FAILED',
        `channel ${channelName}: test failed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  /**
   * Exports into `dir` (absolute; created if missing): 'csv' writes matches.csv, 'jsonl' writes
   * vigil.jsonl (matches, then the audit log), 'evidence' one TransparencyLogEntry per match
   * (loading trust material if needed, for the log IDs). Each ends with manifest.json listing
   * every file with its SHA-256, written last; an older manifest is removed first, so an
   * interrupted export never looks complete. `onProgress` gets the records written so far.
   * Throws InputError FILE_UNWRITABLE when the directory cannot be written.
   */
  async exportData(
    request: ExportRequest,
    onProgress?: (records: number) => void,
  ): Promise<ExportResult> {
    const r = readRecord(request, 'export', ['format', 'dir']);
    const format = readEnum(r.format, EXPORT_FORMATS, 'export.format');
    const dir = readAbsolutePath(r.dir, 'export.dir');
    const progress = { ...(onProgress && { onProgress }) };
    if (format === 'evidence' && !this.#trust) await this.loadTrust();
    // Every log key of the trusted root, not only the followed logs: a match may come from a
    // log that is no longer followed.
    const logs = this.#trust ? describeTrustedLogs(this.#trust.trustedRoot, this.#now()) : [];
    return writingTo(dir, async () => {
      await mkdir(dir, { recursive: true });
      await rm(join(dir, MANIFEST_NAME), { force: true });
      if (format === 'evidence') {
        const manifest = await exportEvidence(this.stores, dir, {
          logs,
          nowMs: this.#now(),
          ...progress,
        });
        return { files: await manifestFiles(dir, manifest.path), manifest: manifest.path };
      }
      const name = format === 'csv' ? CSV_FILE : JSONL_FILE;
      const file = await (format === 'csv' ? exportCsv : exportJsonl)(
        this.stores,
        join(dir, name),
        progress,
      );
      const manifest = await writeManifest(dir, this.#now(), [
        { path: name, sha256: file.sha256Hex, bytes: file.bytes },
      ]);
      return {
        files: [{ path: file.path, bytes: file.bytes, sha256Hex: file.sha256Hex }],
        manifest: manifest.path,
      };
    });
  }

  /** One page of the audit timeline, newest first, with the chain hashes in hex. */
  auditPage(query?: AuditPageQuery): AuditPageView {
    const q = readRecord(query, 'query', AUDIT_QUERY_KEYS);
    const page = this.stores.audit.page({
      ...optional(q, 'kind', (v, what) => readEnum(v, AUDIT_KINDS, what), 'query'),
      ...optional(q, 'origin', readText, 'query'),
      ...optional(q, 'fromMs', readUint, 'query'),
      ...optional(q, 'toMs', readUint, 'query'),
      ...optional(q, 'text', (v, what) => readText(v, what, 200), 'query'),
      ...optional(q, 'beforeSeq', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      events: page.events.map(toAuditEventView),
      ...(page.nextBeforeSeq !== undefined && { nextBeforeSeq: page.nextBeforeSeq }),
    };
  }

  /**
   * Re-checks the audit log's hash chain (verifyAuditChain): intact with its head, or the first
   * broken seq. Other storage failures throw StorageError.
   */
  verifyAudit(): AuditVerifyView {
    try {
      const report = verifyAuditChain(this.stores.db);
      return {
        intact: true,
        events: report.count,
        head: report.head ? { seq: report.head.seq, hashHex: encodeHex(report.head.hash) } : null,
      };
    } catch (err) {
      if (!(err instanceof AuditChainBrokenError)) throw err;
      return { intact: false, brokenAtSeq: err.seq, reason: err.reason };
    }
  }

  /**
   * Marks the data dir's first pass (every followed log checked and scanned without error) as
   * done, once: from then on a tree first seen is a new shard and starts at 0 (followTree).
   */
  /** The user settings (USER_SETTINGS keys only) with their current values. */
  settings(): Record<string, boolean> {
    return Object.fromEntries(
      Object.entries(USER_SETTINGS).map(([key, spec]) => {
        const value = this.stores.settings.get(key);
        return [key, typeof value === 'boolean' ? value : spec.default];
      }),
    );
  }

  /** Changes one user setting (audited). Throws InputError for an unknown key or a bad value. */
  setSetting(key: string, value: unknown): void {
    if (!Object.hasOwn(USER_SETTINGS, key)) {
      throw new InputError(
        'INVALID_INPUT',
        `unknown setting ${JSON.stringify(key)}; known: ${Object.keys(USER_SETTINGS).join(', ')}`,
      );
    }
    if (typeof value !== 'boolean') {
      throw new InputError('INVALID_INPUT', `setting ${key} takes true or false`);
    }
    this.stores.settings.set(key, value, this.#now());
  }

  /**
   * Marks the data dir's first pass (every log of the trust material checked and scanned without
   * error) as done, once: from then on a Rekor v2 log first seen is a new shard and starts at 0
   * (runLog). A pass over the logs chosen with --log does not count: it did not see the others.
   */
  #recordFirstPass(): void {
    if (this.#options.logs?.length) return;
    if (this.stores.settings.get(FIRST_PASS_KEY) === undefined) {
      this.stores.settings.set(FIRST_PASS_KEY, this.#now(), this.#now());
    }
  }

  /** Records what loadTrust loaded (settings 'trust.state'), so status() in any process shows it. */
  #recordTrustState(material: TrustMaterial): void {
    const state = {
      source: material.source,
      state: material.state,
      ...(material.staleReason && {
        staleReason: { code: material.staleReason.code, message: material.staleReason.message },
      }),
      ...(material.refreshedAtMs !== undefined && { refreshedAtMs: material.refreshedAtMs }),
    };
    this.stores.settings.set(TRUST_STATE_KEY, state, this.#now());
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

/** Settings key of when the data dir's first clean pass over every log ended (epoch ms). */
export const FIRST_PASS_KEY = 'scan.firstPassAtMs';

/** Settings key of the last loaded trust state (a TrustStateView). */
export const TRUST_STATE_KEY = 'trust.state';

/** File names inside an export directory. */
export const CSV_FILE = 'matches.csv';
export const JSONL_FILE = 'vigil.jsonl';

/** Largest watchlist text importWatchlist accepts (1 MiB of UTF-16 units). */
const MAX_WATCHLIST_CHARS = 1 << 20;
const FORMATS = ['yaml', 'json'] as const;
const EXPORT_FORMATS = ['csv', 'jsonl', 'evidence'] as const;
const CHANNEL_KINDS = ['desktop', 'webhook', 'slack', 'github-issue'] as const;
const MATCH_QUERY_KEYS = ['origin', 'watch', 'classification', 'triage', 'beforeId', 'limit'];
const AUDIT_QUERY_KEYS = ['kind', 'origin', 'fromMs', 'toMs', 'text', 'beforeSeq', 'limit'];

const readClassification = (value: unknown, what: string): Classification =>
  readEnum(value, ['expected', 'unexpected', 'untrusted'], what);
const readTriage = (value: unknown, what: string): TriageState =>
  readEnum(value, ['new', 'acknowledged', 'expected'], what);

/**
 * Validates one watchlist item as the file's validator does, with problems reported under
 * `watch` rather than `watches[0]`.
 */
function validateWatchItem(item: unknown): Watch {
  try {
    return validateWatchlist({ version: 1, watches: [item] }).watches[0]!;
  } catch (err) {
    if (!(err instanceof WatchlistError)) throw err;
    throw new WatchlistError(err.issues.map((i) => i.replace(/^watches\[0\]/, 'watch')));
  }
}

/** The stored trust state, or null when none was recorded or it is not one this build wrote. */
function readTrustState(value: JsonValue | undefined): TrustStateView | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Readonly<Record<string, JsonValue>>;
  const sources: readonly unknown[] = ['tuf', 'tuf-cache', 'file', 'seed'];
  if (!sources.includes(v.source) || (v.state !== 'fresh' && v.state !== 'stale')) return null;
  const reason = v.staleReason as Readonly<Record<string, JsonValue>> | undefined;
  return {
    source: v.source as TrustStateView['source'],
    state: v.state,
    ...(typeof reason?.code === 'string' &&
      typeof reason.message === 'string' && {
        staleReason: { code: reason.code as ErrorCode, message: reason.message },
      }),
    ...(typeof v.refreshedAtMs === 'number' && { refreshedAtMs: v.refreshedAtMs }),
  };
}

/**
 * Runs an export into `dir`; file system failures (permissions, a full disk, a file where the
 * directory should be) become InputError FILE_UNWRITABLE naming the directory.
 */
async function writingTo<T>(dir: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError('FILE_UNWRITABLE', `cannot export to ${dir}: ${why}`, { cause: err });
  }
}

/** The files a manifest this build just wrote lists, as absolute paths. */
async function manifestFiles(dir: string, manifestPath: string): Promise<ExportedFile[]> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  return manifest.files.map((f) => ({
    path: join(dir, f.path),
    bytes: f.bytes,
    sha256Hex: f.sha256,
  }));
}
