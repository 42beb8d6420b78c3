// The Electron shell's composition root: opens the engine on the app's data dir with the OS
// notifier and keychain, registers the IPC contract, forwards engine events to our windows,
// keeps a tray icon, and monitors continuously until the user quits. Thin by design: all logic
// lives in electron/monitor and the renderer.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, safeStorage, session, webContents, type BrowserWindow } from 'electron';
import type { EventName, Events } from '../../shared/ipc/contract';
import { APP_NAME } from '../monitor/paths';
import { MonitorService } from '../monitor/service';
import { createHandlers } from '../web/handlers';
import { registerIpc } from './ipc';
import { createElectronNotifier } from './notifier';
import { createSafeStorageSecretStore, SECRETS_FILE } from './secret-store';
import { createTray, type VigilTray } from './tray';
import { createMainWindow } from './window';

const MONITOR_INTERVAL_MS = 5 * 60_000;

// The CLI resolves the same data dir from this name (monitor/paths.ts).
app.setName(APP_NAME);

if (!app.requestSingleInstanceLock()) app.quit();
else void app.whenReady().then(start);

async function start(): Promise<void> {
  // The page needs no camera, location or notification permission of its own.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) =>
    grant(false),
  );
  const log = (err: unknown) => console.error(err);
  const dataDir = app.getPath('userData');
  const secrets = createSafeStorageSecretStore(join(dataDir, SECRETS_FILE), safeStorage);
  const trusted = new Set<number>();

  const send = <E extends EventName>(event: E, ...args: Parameters<Events[E]>) => {
    for (const id of trusted) webContents.fromId(id)?.send(event, ...args);
  };
  let window: BrowserWindow | undefined;
  const showWindow = () => {
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
        renderer: process.env['ELECTRON_RENDERER_URL']
          ? { url: process.env['ELECTRON_RENDERER_URL'] }
          : { file: fileURLToPath(new URL('../renderer/index.html', import.meta.url)) },
        trusted,
      });
    } else window.show();
    window.focus();
  };

  const notifier = createElectronNotifier((alertId) => {
    showWindow();
    send('alert:opened', alertId);
  });
  const service = MonitorService.open({
    dataDir,
    notifier,
    secrets,
    // Built beside this file (electron.vite.config.ts): scans match entries off this thread.
    matchWorker: new URL('./match-worker.js', import.meta.url),
  });
  registerIpc(
    createHandlers(service, {
      exportDir: async () => {
        const picked = await dialog.showOpenDialog({
          title: 'Export to folder',
          properties: ['openDirectory', 'createDirectory'],
        });
        return picked.canceled ? undefined : picked.filePaths[0];
      },
      setSecret: (name, value) => secrets.set(name, value),
    }),
    trusted,
    log,
  );

  const tray: VigilTray = createTray(iconDir(), {
    open: showWindow,
    checkNow: () => service.monitoring.checkNow(),
    setPaused: (paused) => {
      if (paused) service.monitoring.pause();
      else service.monitoring.resume();
      refreshTray();
    },
    quit: () => app.quit(),
  });
  const refreshTray = () => {
    try {
      tray.show(service.monitoring.status());
    } catch (err) {
      log(err);
    }
  };
  service.on((event) => {
    send('monitor:event', event);
    refreshTray();
  });
  refreshTray();

  const controller = new AbortController();
  const monitoring = service.monitoring
    .start({ intervalMs: MONITOR_INTERVAL_MS, signal: controller.signal })
    .catch(log);

  // Closing the window keeps Vigil watching in the tray; only Quit stops it.
  app.on('window-all-closed', () => undefined);
  app.on('second-instance', showWindow);
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    controller.abort();
    // Let the running pass finish its transaction before the database closes.
    void monitoring.finally(() => {
      tray.destroy();
      service.close();
      app.quit();
    });
  });
  showWindow();
}

/** Tray icons: build/tray in a checkout, resources/tray once packaged (electron-builder.yml). */
function iconDir(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(app.getAppPath(), 'build', 'tray');
}
