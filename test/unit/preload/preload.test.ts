import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bridge } from '../../../shared/ipc/contract';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 'from main' }));
const listeners = new Map<string, (...args: unknown[]) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => listeners.set(channel, fn),
    off: (channel: string, fn: unknown) => {
      if (listeners.get(channel) === fn) listeners.delete(channel);
    },
  },
}));

let bridge: Bridge;
beforeAll(async () => {
  await import('../../../electron/preload/index');
  bridge = exposed.get('vigil') as Bridge;
});

describe('preload', () => {
  it('exposes exactly invoke and on as window.vigil', () => {
    expect([...exposed.keys()]).toEqual(['vigil']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards a contract command to main', async () => {
    expect(await bridge.invoke('alerts:acknowledge', 3)).toEqual({ ok: true, value: 'from main' });
    expect(invoke).toHaveBeenCalledWith('alerts:acknowledge', 3);
  });

  it.each(['ipc:raw', 'constructor', '__proto__', 'shell:open'])(
    'answers INVALID_INPUT and sends nothing for the channel %s',
    async (channel) => {
      invoke.mockClear();
      const result = await (bridge.invoke as (c: string) => Promise<unknown>)(channel);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('refuses to listen on a channel outside the contract', () => {
    expect(() => (bridge.on as (e: string, l: () => void) => void)('ipc:raw', () => {})).toThrow(
      'unknown event ipc:raw',
    );
  });

  it('passes event payloads without the IpcRendererEvent, until unsubscribed', () => {
    const listener = vi.fn();
    const off = bridge.on('alert:opened', listener);
    listeners.get('alert:opened')!({ sender: 'ipc internals' }, 42);
    expect(listener).toHaveBeenCalledWith(42);
    off();
    expect(listeners.has('alert:opened')).toBe(false);
  });
});
