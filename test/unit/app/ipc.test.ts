import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/result';
import type { Engine } from '../../../electron/web/handlers';

type Listener = (event: { sender: { id: number } }, ...args: unknown[]) => Promise<Result<unknown>>;
const registered = new Map<string, Listener>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, listener: Listener) => registered.set(channel, listener),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

const { registerIpc } = await import('../../../electron/app/ipc');
const { createHandlers } = await import('../../../electron/web/handlers');

const status = vi.fn(() => ({ watches: 1 }));
const engine = { monitoring: { status } } as unknown as Engine;

beforeEach(() => {
  registered.clear();
  status.mockClear();
});

describe('registerIpc', () => {
  it('registers exactly the commands of the contract', () => {
    registerIpc(createHandlers(engine, { exportDir: async () => '/x' }), new Set(), vi.fn());
    expect([...registered.keys()].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('answers FORBIDDEN and runs no handler when the sender is not one of our windows', async () => {
    registerIpc(createHandlers(engine, { exportDir: async () => '/x' }), new Set([1]), vi.fn());
    const result = await registered.get('status:get')!({ sender: { id: 2 } });
    expect(result).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'status:get: untrusted sender' },
    });
    expect(status).not.toHaveBeenCalled();
  });

  it('runs the handler when the sender is one of our windows', async () => {
    registerIpc(createHandlers(engine, { exportDir: async () => '/x' }), new Set([1]), vi.fn());
    expect(await registered.get('status:get')!({ sender: { id: 1 } })).toEqual({
      ok: true,
      value: { watches: 1 },
    });
  });

  it('sees windows added to the trusted set after registration', async () => {
    const trusted = new Set<number>();
    registerIpc(createHandlers(engine, { exportDir: async () => '/x' }), trusted, vi.fn());
    trusted.add(5);
    expect((await registered.get('status:get')!({ sender: { id: 5 } })).ok).toBe(true);
  });

  it('validates the arguments of a trusted sender', async () => {
    registerIpc(createHandlers(engine, { exportDir: async () => '/x' }), new Set([1]), vi.fn());
    const result = await registered.get('status:get')!({ sender: { id: 1 } }, 'extra');
    expect(result).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'status:get: takes 0 argument(s), got 1' },
    });
  });

  it('removes every handler when unregistered', () => {
    const unregister = registerIpc(
      createHandlers(engine, { exportDir: async () => '/x' }),
      new Set(),
      vi.fn(),
    );
    unregister();
    expect(registered.size).toBe(0);
  });
});
