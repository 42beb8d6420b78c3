// The main window, locked down: isolated, sandboxed, no Node in the page, no new windows, no
// navigation away from the app. Its webContents joins the trusted set that the IPC checks.
import { BrowserWindow, type WebPreferences } from 'electron';

/** The webPreferences of every window this app opens. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const satisfies WebPreferences;

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  readonly preload: string;
  /** The renderer: a dev-server URL (electron-vite dev) or the built index.html. */
  readonly renderer: { readonly url: string } | { readonly file: string };
  /** Gains the window's webContents id; loses it when the webContents is destroyed. */
  readonly trusted: Set<number>;
}

/**
 * Creates (hidden until ready) and loads the main window. Denies every window.open and every
 * navigation, and refuses <webview>: the app is one page and never leaves it.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Vigil',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  const contents = window.webContents;
  const id = contents.id;
  options.trusted.add(id);
  contents.once('destroyed', () => options.trusted.delete(id));

  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());

  if ('url' in options.renderer) void window.loadURL(options.renderer.url);
  else void window.loadFile(options.renderer.file);
  return window;
}
