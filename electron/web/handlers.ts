// The contract's commands bound to the MonitorService, and the one dispatch path both transports
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

/** The MonitorService methods the commands call (tests pass a fake). */
export type Engine = Pick<
  MonitorService,
  | 'status'
  | 'checkNow'
  | 'pause'
  | 'resume'
  | 'listMatches'
  | 'getMatch'
  | 'listWatches'
  | 'addWatch'
  | 'removeWatch'
  | 'importWatchlist'
  | 'exportWatchlist'
  | 'listAlerts'
  | 'acknowledgeAlert'
  | 'expectAlert'
  | 'noteAlert'
  | 'listChannels'
  | 'addChannel'
  | 'removeChannel'
  | 'setChannelEnabled'
  | 'testChannel'
  | 'exportData'
  | 'auditPage'
  | 'verifyAudit'
>;

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
    'status:get': () => engine.status(),
    'monitor:check-now': () => engine.checkNow(),
    'monitor:pause': () => engine.pause(),
    'monitor:resume': () => engine.resume(),
    'matches:list': (query) => engine.listMatches(query),
    'matches:get': (id) => engine.getMatch(id),
    'watchlist:list': () => engine.listWatches(),
    'watchlist:add': (item) => engine.addWatch(item),
    'watchlist:remove': (name) => engine.removeWatch(name),
    'watchlist:import': (text, format, mode) => engine.importWatchlist(text, format, mode),
    'watchlist:export': (format) => engine.exportWatchlist(format),
    'alerts:list': (query) => engine.listAlerts(query),
    'alerts:acknowledge': (id) => engine.acknowledgeAlert(id),
    'alerts:expect': (id) => engine.expectAlert(id),
    'alerts:note': (id, note) => engine.noteAlert(id, note),
    'channels:list': () => engine.listChannels(),
    'channels:add': (channel) => engine.addChannel(channel),
    'channels:remove': (name) => engine.removeChannel(name),
    'channels:set-enabled': (name, enabled) => engine.setChannelEnabled(name, enabled),
    'channels:test': (name) => engine.testChannel(name),
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
      return engine.exportData({ format, dir });
    },
    'audit:page': (query) => engine.auditPage(query),
    'audit:verify': () => engine.verifyAudit(),
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
