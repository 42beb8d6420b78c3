// The contract's commands bound to the MonitorService's use cases, one method each, and the one dispatch path both transports
// use: the Electron IPC (electron/app/ipc.ts, which adds its sender check) and the serve-mode web
// bridge (./server.ts). Arguments are validated before any handler runs; whatever a handler
// throws becomes a Result, so nothing throws across the boundary.
import type { ExportFormat } from '../../shared/domain';
import type { CommandArgs, CommandName, CommandValue } from '../../shared/ipc/contract';
import { validateArgs } from '../../shared/ipc/validate';
import { fail, ok, type Result } from '../../shared/result';
import { AppError, InputError } from '../core/errors';
import type { MonitorService } from '../monitor/service';

/** What a command does with its validated arguments. May throw AppError. */
export type Handler<C extends CommandName> = (
  ...args: CommandArgs<C>
) => CommandValue<C> | Promise<CommandValue<C>>;

/** One handler per command; a command missing here fails to compile. */
export type Handlers = { readonly [C in CommandName]: Handler<C> };

/** The use cases the commands call, as MonitorService hands them out (tests pass a fake). */
export interface Engine {
  readonly monitoring: Pick<
    MonitorService['monitoring'],
    'status' | 'checkNow' | 'pause' | 'resume'
  >;
  readonly matches: Pick<MonitorService['matches'], 'list' | 'get'>;
  readonly watchlist: Pick<
    MonitorService['watchlist'],
    'list' | 'add' | 'remove' | 'import' | 'export' | 'fromRekorMonitor'
  >;
  readonly alerts: Pick<
    MonitorService['alerts'],
    'list' | 'acknowledge' | 'expect' | 'previewExpect' | 'note'
  >;
  readonly channels: Pick<
    MonitorService['channels'],
    'list' | 'add' | 'remove' | 'setEnabled' | 'test'
  >;
  readonly exports: Pick<MonitorService['exports'], 'write' | 'writeMatchEvidence'>;
  readonly audit: Pick<MonitorService['audit'], 'page' | 'verify'>;
  readonly activity: Pick<MonitorService['activity'], 'get'>;
  readonly catchUp: Pick<MonitorService['catchUp'], 'start' | 'get'>;
  readonly entryTrial: Pick<MonitorService['entryTrial'], 'test'>;
}

/** What only the host (Electron shell or serve mode) can do. */
export interface Host {
  /**
   * The directory `export:data` writes into, chosen by the host (a folder dialog, or a fresh
   * folder under the data dir), never by the renderer; undefined when the user cancelled.
   */
  exportDir(format: ExportFormat): Promise<string | undefined>;
  /** Stores a secret; absent where the host reads secrets from elsewhere (environment). */
  setSecret?(name: string, value: string): Promise<void>;
}

/** The handlers of every command of the contract, calling `engine` and `host`. */
export function createHandlers(engine: Engine, host: Host): Handlers {
  return {
    'status:get': () => engine.monitoring.status(),
    'monitor:check-now': () => engine.monitoring.checkNow(),
    'monitor:pause': () => engine.monitoring.pause(),
    'monitor:resume': () => engine.monitoring.resume(),
    'activity:get': (query) => engine.activity.get(query),
    'catchup:start': (request) => engine.catchUp.start(request),
    'catchup:get': () => engine.catchUp.get(),
    'matches:list': (query) => engine.matches.list(query),
    'matches:get': (id) => engine.matches.get(id),
    'watchlist:list': () => engine.watchlist.list(),
    'watchlist:add': (item) => engine.watchlist.add(item),
    'watchlist:remove': (name) => engine.watchlist.remove(name),
    'watchlist:import': (text, format, mode) => engine.watchlist.import(text, format, mode),
    'watchlist:export': (format) => engine.watchlist.export(format),
    'watchlist:from-rekor-monitor': (text) => engine.watchlist.fromRekorMonitor(text),
    'watchlist:test-entry': (text) => engine.entryTrial.test(text),
    'alerts:list': (query) => engine.alerts.list(query),
    'alerts:acknowledge': (id) => engine.alerts.acknowledge(id),
    'alerts:expect': (id) => engine.alerts.expect(id),
    'alerts:expect-preview': (ids) => engine.alerts.previewExpect(ids),
    'alerts:note': (id, note) => engine.alerts.note(id, note),
    'channels:list': () => engine.channels.list(),
    'channels:add': (channel) => engine.channels.add(channel),
    'channels:remove': (name) => engine.channels.remove(name),
    'channels:set-enabled': (name, enabled) => engine.channels.setEnabled(name, enabled),
    'channels:test': (name) => engine.channels.test(name),
    'secrets:set': async (name, value) => {
      if (!host.setSecret) {
        throw new InputError(
          'FORBIDDEN',
          'secrets are read from VIGIL_SECRET_<NAME> environment variables here, not stored',
        );
      }
      await host.setSecret(name, value);
    },
    'export:data': async (format) => {
      const dir = await host.exportDir(format);
      if (dir === undefined) throw new InputError('INVALID_INPUT', 'export cancelled');
      return engine.exports.write({ format, dir });
    },
    'export:match-evidence': async (matchId) => {
      const dir = await host.exportDir('evidence');
      if (dir === undefined) throw new InputError('INVALID_INPUT', 'export cancelled');
      return engine.exports.writeMatchEvidence(matchId, dir);
    },
    'audit:page': (query) => engine.audit.page(query),
    'audit:verify': () => engine.audit.verify(),
  };
}

/**
 * Runs `command` with the untrusted `raw` arguments: validates them (INVALID_INPUT), calls the
 * handler, and returns its value as a Result. An AppError becomes its code and message; any
 * other error is passed to `log` and becomes INTERNAL, so no stack or path reaches the renderer.
 * Requires `command` to be a contract command. Never rejects.
 */
export async function dispatch<C extends CommandName>(
  handlers: Handlers,
  command: C,
  raw: readonly unknown[],
  log: (err: unknown) => void,
): Promise<Result<CommandValue<C>>> {
  const args = validateArgs(command, raw);
  if (!args.ok) return args;
  try {
    const handler = handlers[command] as Handler<C>;
    return ok(await handler(...args.value));
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message);
    log(err);
    return fail('INTERNAL', 'internal error');
  }
}
