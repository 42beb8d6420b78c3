// The contract's commands as ipcMain handlers. Each checks the sender against the webContents
// this app created before validating anything: a page that is not ours (a navigated or injected
// frame, another window) gets FORBIDDEN and reaches no handler.
import { ipcMain, type WebContents } from 'electron';
import { COMMAND_NAMES, type CommandName } from '../../shared/ipc/contract';
import { fail } from '../../shared/result';
import { dispatch, type Handlers } from '../web/handlers';

/**
 * Registers a handler for every command of the contract. `trusted` holds the webContents ids of
 * our windows and is read at each call (windows come and go). Returns the unregister function.
 */
export function registerIpc(
  handlers: Handlers,
  trusted: ReadonlySet<number>,
  log: (err: unknown) => void,
): () => void {
  for (const command of COMMAND_NAMES) {
    ipcMain.handle(command, (event, ...raw: unknown[]) => {
      if (!isTrustedSender(event.sender, trusted)) {
        return Promise.resolve(fail('FORBIDDEN', `${command}: untrusted sender`));
      }
      return dispatch(handlers, command as CommandName, raw, log);
    });
  }
  return () => {
    for (const command of COMMAND_NAMES) ipcMain.removeHandler(command);
  };
}

/** True when `sender` is one of the webContents this app created. */
export function isTrustedSender(sender: WebContents, trusted: ReadonlySet<number>): boolean {
  return trusted.has(sender.id);
}
