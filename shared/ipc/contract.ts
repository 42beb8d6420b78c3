// What the renderer may ask of the engine, and what it may hear back: the one contract that the
// Electron IPC, the preload and the serve-mode web bridge all implement. Nothing throws across
// this boundary: every command resolves to a Result. Arguments are validated on the engine side
// (./validate.ts): the renderer is untrusted.
import type {
  AlertListPage,
  AlertListQuery,
  AlertView,
  AuditPageQuery,
  AuditPageView,
  AuditVerifyView,
  ChannelView,
  ExpectAlertResult,
  ExpectPreview,
  ExportFormat,
  ExportResult,
  MatchDetailView,
  MatchListPage,
  MatchListQuery,
  NewChannel,
  RekorMonitorConversion,
  StatusView,
  WatchItem,
  WatchlistChange,
  WatchView,
} from '../domain';
import type { ActivityRange, ActivityView, CatchUpSince, CatchUpView } from '../activity';
import type { EntryTrialView } from '../entry-trial';
import type { MonitorEvent } from '../events';
import type { Result } from '../result';

/** Watchlist file formats `watchlist:import` reads and `watchlist:export` writes. */
export type WatchlistFormat = 'yaml' | 'json';

/** `merge` adds and changes the imported watches; `replace` also removes the ones not imported. */
export type WatchlistImportMode = 'merge' | 'replace';

/** Commands, `area:verb`: name -> (arguments) -> the value of the Result it resolves to. */
export interface Commands {
  /** Log health, trust state, counts: the overview. */
  'status:get': () => StatusView;
  /** Checks every log now (continuous monitoring only; otherwise nothing happens). */
  'monitor:check-now': () => void;
  'monitor:pause': () => void;
  'monitor:resume': () => void;
  /** Entries verified per hour and matches per day over the range: the Overview's chart. */
  'activity:get': (query: { range: ActivityRange }) => ActivityView;
  /**
   * Starts the first run's catch-up: the last 24 hours or 7 days of every Rekor v1 log scanned
   * again for the watchlist ('now': nothing to scan). Resolves with the plan; progress comes as
   * 'catchup.progress' monitor events. INVALID_INPUT while one is running.
   */
  'catchup:start': (request: { since: CatchUpSince }) => CatchUpView;
  /** The last catch-up of the engine's process, or null. */
  'catchup:get': () => CatchUpView | null;

  'matches:list': (query: MatchListQuery) => MatchListPage;
  /** One match with its evidence (entry, inclusion proof, signed checkpoint). NOT_FOUND. */
  'matches:get': (id: number) => MatchDetailView;

  'watchlist:list': () => readonly WatchView[];
  /** Adds a watch. WATCHLIST_INVALID; INVALID_INPUT when its name is taken. */
  'watchlist:add': (item: WatchItem) => WatchView;
  'watchlist:remove': (name: string) => void;
  'watchlist:import': (
    text: string,
    format: WatchlistFormat,
    mode: WatchlistImportMode,
  ) => WatchlistChange;
  /** The watchlist as file text. */
  'watchlist:export': (format: WatchlistFormat) => string;
  /** A rekor-monitor config converted into a watchlist file (imports nothing). WATCHLIST_INVALID. */
  'watchlist:from-rekor-monitor': (text: string) => RekorMonitorConversion;
  /**
   * Which stored watches (on or off) a pasted Rekor entry or bundle matches, and why. Stores
   * nothing. INVALID_INPUT, ENTRY_MALFORMED, CERTIFICATE_MALFORMED.
   */
  'watchlist:test-entry': (text: string) => EntryTrialView;

  'alerts:list': (query: AlertListQuery) => AlertListPage;
  'alerts:acknowledge': (id: number) => AlertView;
  /** Marks a match alert expected, teaching its watch what a legitimate signing looks like. */
  'alerts:expect': (id: number) => ExpectAlertResult;
  /**
   * What marking these alerts expected (in this order) would add to their watches, changing
   * nothing: shown before "Mark expected" applies. Log alerts and triaged alerts are left out
   * and said so. NOT_FOUND for an unknown id.
   */
  'alerts:expect-preview': (ids: readonly number[]) => ExpectPreview;
  /** Sets (or with '' clears) the note of an alert; a match alert's is kept on its match. */
  'alerts:note': (id: number, note: string) => AlertView;

  'channels:list': () => readonly ChannelView[];
  'channels:add': (channel: NewChannel) => ChannelView;
  'channels:remove': (name: string) => void;
  'channels:set-enabled': (name: string, enabled: boolean) => ChannelView;
  /** Sends a test notification through one channel (enabled or not). CHANNEL_FAILED. */
  'channels:test': (name: string) => void;
  /**
   * Stores a secret a channel names (webhook key, Slack URL, GitHub token). Write-only: no
   * command reads a secret back. Where the host keeps secrets elsewhere (serve mode reads
   * VIGIL_SECRET_* environment variables) it fails with FORBIDDEN.
   */
  'secrets:set': (name: string, value: string) => void;

  /** Exports matches and evidence into a directory the host chooses (never the renderer). */
  'export:data': (format: ExportFormat) => ExportResult;
  /**
   * Writes one match's evidence (a TransparencyLogEntry `vigil verify` re-checks offline, and
   * its manifest) into a folder the host chooses: the inspector's "Export evidence". NOT_FOUND.
   */
  'export:match-evidence': (matchId: number) => ExportResult;

  'audit:page': (query: AuditPageQuery) => AuditPageView;
  /** Re-checks the audit log's hash chain. */
  'audit:verify': () => AuditVerifyView;
}

/** Events, engine -> renderer: name -> payload listener. */
export interface Events {
  /** Everything the monitor reports while it works (checkpoints, matches, errors, deliveries). */
  'monitor:event': (event: MonitorEvent) => void;
  /** The user clicked the OS notification of this alert: show it. */
  'alert:opened': (alertId: number) => void;
}

export type CommandName = keyof Commands;
export type EventName = keyof Events;

/** The arguments of a command, as a tuple. */
export type CommandArgs<C extends CommandName> = Parameters<Commands[C]>;

/** The value a command's Result carries when it succeeds. */
export type CommandValue<C extends CommandName> = ReturnType<Commands[C]>;

// Object keys make these lists exhaustive: a new command that is not listed fails to compile.
const COMMAND_SET = {
  'status:get': 1,
  'monitor:check-now': 1,
  'monitor:pause': 1,
  'monitor:resume': 1,
  'activity:get': 1,
  'catchup:start': 1,
  'catchup:get': 1,
  'matches:list': 1,
  'matches:get': 1,
  'watchlist:list': 1,
  'watchlist:add': 1,
  'watchlist:remove': 1,
  'watchlist:import': 1,
  'watchlist:export': 1,
  'watchlist:from-rekor-monitor': 1,
  'watchlist:test-entry': 1,
  'alerts:list': 1,
  'alerts:acknowledge': 1,
  'alerts:expect': 1,
  'alerts:expect-preview': 1,
  'alerts:note': 1,
  'channels:list': 1,
  'channels:add': 1,
  'channels:remove': 1,
  'channels:set-enabled': 1,
  'channels:test': 1,
  'secrets:set': 1,
  'export:data': 1,
  'export:match-evidence': 1,
  'audit:page': 1,
  'audit:verify': 1,
} as const satisfies Record<CommandName, 1>;

const EVENT_SET = { 'monitor:event': 1, 'alert:opened': 1 } as const satisfies Record<EventName, 1>;

/** Every command name, for runtime allowlists (preload, web bridge). */
export const COMMAND_NAMES = Object.freeze(Object.keys(COMMAND_SET) as CommandName[]);

/** Every event name, for runtime allowlists. */
export const EVENT_NAMES = Object.freeze(Object.keys(EVENT_SET) as EventName[]);

/** True when `name` is a command of the contract (an own key, so never "__proto__"). */
export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_SET, name);
}

/** True when `name` is an event of the contract. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_SET, name);
}

/**
 * What the renderer sees as `window.vigil` (Electron) or builds over HTTP (serve mode). invoke
 * resolves to a Result and never rejects for a command's failure; on returns the unsubscribe.
 */
export interface Bridge {
  invoke<C extends CommandName>(
    command: C,
    ...args: CommandArgs<C>
  ): Promise<Result<CommandValue<C>>>;
  on<E extends EventName>(event: E, listener: Events[E]): () => void;
}
