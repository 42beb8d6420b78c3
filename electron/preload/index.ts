// The whole preload: window.vigil = { invoke, on }, allowlisted from the contract. It never
// exposes ipcRenderer, never hands an IpcRendererEvent to the page and never uses sendSync.
// Bundled to CJS: sandboxed preloads cannot be ES modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isCommandName, isEventName, type Bridge } from '../../shared/ipc/contract';
import { fail } from '../../shared/result';

const bridge: Bridge = {
  invoke(command, ...args) {
    if (!isCommandName(command)) {
      return Promise.resolve(fail('INVALID_INPUT', `unknown command ${String(command)}`));
    }
    return ipcRenderer.invoke(command, ...args);
  },
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
    const forward = (_event: IpcRendererEvent, ...args: unknown[]) =>
      (listener as (...a: unknown[]) => void)(...args);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.off(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('vigil', bridge);
