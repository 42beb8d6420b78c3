// MonitorService: the one object the CLI, the Electron app and the web bridge receive. It opens
// the data directory's database, owns the lifecycle and the events, and hands out the use cases
// (usecases/), which hold the commands and validate their arguments: `service.alerts.acknowledge`.
// It never imports electron: the host passes its Notifier and SecretStore ports in.
import type { MonitorEvent } from '../../shared/events';
import type { Notifier, SecretStore } from './alerts/channel';
import { createHttpClient, type HttpClient } from './logs/http';
import type { LogSelector } from './logs-from-trust';
import { databasePath } from './paths';
import { openDatabase, openStores, type Stores } from './store/index';
import { Activity } from './usecases/activity';
import { Alerts } from './usecases/alerts';
import { Audit } from './usecases/audit';
import { CatchUp } from './usecases/catch-up';
import { Channels } from './usecases/channels';
import type { UseCaseContext } from './usecases/context';
import { EntryTrial } from './usecases/entry-trial';
import { Exports } from './usecases/exports';
import { Matches } from './usecases/matches';
import { Monitoring, type TrustOptions } from './usecases/monitoring';
import { Settings } from './usecases/settings';
import { Watchlist } from './usecases/watchlist';

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

type Listener = (event: MonitorEvent) => void;

export class MonitorService {
  readonly stores: Stores;
  readonly dataDir: string;
  /** Trust, log runs (once or on the scheduler), pause/resume/check now, alert delivery, status. */
  readonly monitoring: Monitoring;
  /** Recorded matches: list and detail. */
  readonly matches: Matches;
  /** The stored watches: list, add, remove, import, export, replace. */
  readonly watchlist: Watchlist;
  /** The alert inbox and its triage: list, acknowledge, expect, note. */
  readonly alerts: Alerts;
  /** Alert channels: list, add, remove, enable/disable, test. */
  readonly channels: Channels;
  /** Exports of matches and the audit log: CSV, JSON Lines, evidence. */
  readonly exports: Exports;
  /** The audit timeline and its hash chain. */
  readonly audit: Audit;
  /** The user settings. */
  readonly settings: Settings;
  /** Entries verified and matches per hour and day: the Overview's chart. */
  readonly activity: Activity;
  /** The first run's catch-up: the last 24 hours or 7 days scanned again for the watchlist. */
  readonly catchUp: CatchUp;
  /** "Test against an entry": which watches a pasted entry or bundle matches, and why. */
  readonly entryTrial: EntryTrial;
  readonly #listeners = new Set<Listener>();

  private constructor(options: MonitorOptions, stores: Stores) {
    this.stores = stores;
    this.dataDir = options.dataDir;
    const ctx: UseCaseContext = {
      stores,
      dataDir: options.dataDir,
      now: options.now ?? (() => Date.now()),
      emit: (event) => {
        for (const listener of this.#listeners) listener(event);
      },
      ...(options.notifier && { notifier: options.notifier }),
      ...(options.secrets && { secrets: options.secrets }),
    };
    this.monitoring = new Monitoring(ctx, {
      ...(options.trust && { trust: options.trust }),
      ...(options.logs && { logs: options.logs }),
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
      http: options.http ?? createHttpClient({}),
      ...(options.matchWorker && { matchWorker: options.matchWorker }),
    });
    this.matches = new Matches(ctx);
    this.watchlist = new Watchlist(ctx);
    this.alerts = new Alerts(ctx);
    this.channels = new Channels(ctx);
    this.exports = new Exports(ctx, this.monitoring);
    this.audit = new Audit(ctx);
    this.settings = new Settings(ctx);
    this.activity = new Activity(ctx);
    this.catchUp = new CatchUp(ctx, this.monitoring);
    this.entryTrial = new EntryTrial(ctx, this.monitoring);
  }

  /** Opens (creating if needed) the data directory's database. Throws StorageError. */
  static open(options: MonitorOptions): MonitorService {
    const db = openDatabase(databasePath(options.dataDir));
    return new MonitorService(options, openStores(db));
  }

  close(): void {
    this.stores.db.close();
    this.monitoring.close();
  }

  /** Subscribes to monitor events; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
