import { beforeEach, describe, expect, it, vi } from 'vitest';

interface FakeContents {
  id: number;
  handlers: Map<string, (...args: unknown[]) => void>;
  openHandler?: (details: { url: string }) => { action: string };
}

const windows: { options: Record<string, unknown>; contents: FakeContents; loaded: string[] }[] =
  [];

vi.mock('electron', () => {
  let nextId = 1;
  class BrowserWindow {
    webContents: FakeContents;
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      const contents: FakeContents = { id: nextId++, handlers: new Map() };
      this.webContents = Object.assign(contents, {
        on: (name: string, fn: (...args: unknown[]) => void) => contents.handlers.set(name, fn),
        once: (name: string, fn: (...args: unknown[]) => void) => contents.handlers.set(name, fn),
        setWindowOpenHandler: (fn: FakeContents['openHandler']) => (contents.openHandler = fn),
      });
      windows.push({ options, contents, loaded: this.loaded });
    }
    once() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded.push(file);
      return Promise.resolve();
    }
  }
  return { BrowserWindow };
});

const { createMainWindow } = await import('../../../electron/app/window');

beforeEach(() => {
  windows.length = 0;
});

function open(trusted = new Set<number>()) {
  createMainWindow({
    preload: '/app/out/preload/index.cjs',
    renderer: { file: '/app/index.html' },
    trusted,
  });
  return windows[0]!;
}

describe('createMainWindow', () => {
  it('isolates and sandboxes the page and gives it no Node', () => {
    const { options } = open();
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('denies every window.open', () => {
    const { contents } = open();
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('prevents %s', (name) => {
    const { contents } = open();
    const event = { preventDefault: vi.fn() };
    contents.handlers.get(name)!(event, 'https://evil.example/');
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('trusts the window for IPC until its webContents is destroyed', () => {
    const trusted = new Set<number>();
    const { contents } = open(trusted);
    expect(trusted.has(contents.id)).toBe(true);
    contents.handlers.get('destroyed')!();
    expect(trusted.has(contents.id)).toBe(false);
  });

  it('loads the built renderer file', () => {
    expect(open().loaded).toEqual(['/app/index.html']);
  });
});
