import { describe, expect, it, vi } from 'vitest';
import type { WatchView } from '../../../shared/domain';
import { InputError } from '../../../electron/core/errors';
import { createHandlers, dispatch, type Engine } from '../../../electron/web/handlers';

const watch: WatchView = {
  name: 'github:acme/widget',
  kind: 'github',
  target: 'acme/widget',
  enabled: true,
  item: { github: 'acme/widget', name: 'github:acme/widget' },
  createdAtMs: 1,
};

type FakeEngine = { readonly [U in keyof Engine]?: Partial<Engine[U]> };

/** An engine whose every use-case method fails the test unless the test replaces it. */
function fakeEngine(over: FakeEngine = {}): Engine {
  return new Proxy(over as Engine, {
    get: (target, useCase: string) =>
      new Proxy((target as unknown as Record<string, object>)[useCase] ?? {}, {
        get: (methods, key: string) =>
          (methods as Record<string, unknown>)[key] ??
          (() => {
            throw new Error(`unexpected engine call ${useCase}.${key}`);
          }),
      }),
  });
}

describe('dispatch', () => {
  it('passes validated arguments to the engine and wraps the value when they are valid', async () => {
    const addWatch = vi.fn(() => watch);
    const handlers = createHandlers(fakeEngine({ watchlist: { add: addWatch } }), {
      exportDir: async () => '/x',
    });
    const result = await dispatch(handlers, 'watchlist:add', [{ github: 'acme/widget' }], vi.fn());
    expect(result).toEqual({ ok: true, value: watch });
    expect(addWatch).toHaveBeenCalledWith({ github: 'acme/widget' });
  });

  it('refuses without calling the engine when an argument is invalid', async () => {
    const addWatch = vi.fn(() => watch);
    const handlers = createHandlers(fakeEngine({ watchlist: { add: addWatch } }), {
      exportDir: async () => '/x',
    });
    const result = await dispatch(
      handlers,
      'watchlist:add',
      [{ github: 'acme/widget', shell: 'rm -rf /' }],
      vi.fn(),
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'watchlist:add: argument 1 has unknown key "shell"',
      },
    });
    expect(addWatch).not.toHaveBeenCalled();
  });

  it("returns the engine's code and message when it throws an AppError", async () => {
    const handlers = createHandlers(
      fakeEngine({
        matches: {
          get: () => {
            throw new InputError('NOT_FOUND', 'match 7 not found');
          },
        },
      }),
      { exportDir: async () => '/x' },
    );
    expect(await dispatch(handlers, 'matches:get', [7], vi.fn())).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'match 7 not found' },
    });
  });

  it('logs and hides the detail when the engine throws something else', async () => {
    const log = vi.fn();
    const bug = new TypeError('cannot read properties of undefined (/home/me/secret/path)');
    const handlers = createHandlers(
      fakeEngine({
        monitoring: {
          status: () => {
            throw bug;
          },
        },
      }),
      { exportDir: async () => '/x' },
    );
    expect(await dispatch(handlers, 'status:get', [], log)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal error' },
    });
    expect(log).toHaveBeenCalledWith(bug);
  });
});

describe('createHandlers', () => {
  it('exports into the folder the host chooses when export:data runs', async () => {
    const exportData = vi.fn(async () => ({
      files: [],
      manifest: '/data/exports/x/manifest.json',
    }));
    const handlers = createHandlers(fakeEngine({ exports: { write: exportData } }), {
      exportDir: async (format) => `/data/exports/${format}`,
    });
    await handlers['export:data']('csv');
    expect(exportData).toHaveBeenCalledWith({ format: 'csv', dir: '/data/exports/csv' });
  });

  it('fails with INVALID_INPUT when the user cancels the export folder choice', async () => {
    const handlers = createHandlers(fakeEngine(), { exportDir: async () => undefined });
    expect(await dispatch(handlers, 'export:data', ['csv'], vi.fn())).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'export cancelled' },
    });
  });

  it('refuses secrets:set with FORBIDDEN when the host cannot store secrets', async () => {
    const handlers = createHandlers(fakeEngine(), { exportDir: async () => '/x' });
    const result = await dispatch(handlers, 'secrets:set', ['slack-url', 'https://x'], vi.fn());
    expect(result.ok === false && result.error.code).toBe('FORBIDDEN');
  });

  it('hands the secret to the host when it can store secrets', async () => {
    const setSecret = vi.fn(async () => undefined);
    const handlers = createHandlers(fakeEngine(), { exportDir: async () => '/x', setSecret });
    expect(await dispatch(handlers, 'secrets:set', ['gh-token', 'ghp_x'], vi.fn())).toEqual({
      ok: true,
      value: undefined,
    });
    expect(setSecret).toHaveBeenCalledWith('gh-token', 'ghp_x');
  });
});
