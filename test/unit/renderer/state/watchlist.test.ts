import { describe, expect, it } from 'vitest';
import type { WatchView } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/result';
import { WatchlistState } from '../../../../renderer/src/lib/state/watchlist.svelte';
import { deferred, fakeApi } from '../fake-api';

const watch = (name: string): WatchView => ({
  name,
  kind: 'github',
  target: name.slice('github:'.length),
  enabled: true,
  item: { github: name.slice('github:'.length), name },
  createdAtMs: 1,
});

describe('WatchlistState', () => {
  it('shares one request between concurrent refreshes', async () => {
    const reply = deferred<ReturnType<typeof ok<WatchView[]>>>();
    const api = fakeApi({ 'watchlist:list': () => reply.promise });
    const state = new WatchlistState(api);
    const a = state.refresh();
    const b = state.refresh();
    reply.resolve(ok([watch('github:acme/widget')]));
    await Promise.all([a, b]);
    expect(api.calls).toHaveLength(1);
    expect(state.watches.map((w) => w.name)).toEqual(['github:acme/widget']);
  });

  it('adds the watch the engine returns and replaces the list when it accepts', async () => {
    const api = fakeApi({ 'watchlist:add': () => ok(watch('github:acme/widget')) });
    const state = new WatchlistState(api);
    const before = state.watches;
    expect(await state.add({ github: 'acme/widget' })).toBe(true);
    expect(state.watches).not.toBe(before);
    expect(state.watches.map((w) => w.name)).toEqual(['github:acme/widget']);
  });

  it('keeps the list and shows why when the engine rejects the watch', async () => {
    const api = fakeApi({
      'watchlist:add': () => fail('WATCHLIST_INVALID', 'github: "acme" is not owner/repo'),
    });
    const state = new WatchlistState(api);
    expect(await state.add({ github: 'acme' })).toBe(false);
    expect(state.watches).toEqual([]);
    expect(state.error?.code).toBe('WATCHLIST_INVALID');
  });

  it('removes the watch from the list when removed', async () => {
    const api = fakeApi({
      'watchlist:list': () => ok([watch('github:a/b'), watch('github:c/d')]),
      'watchlist:remove': () => ok(undefined),
    });
    const state = new WatchlistState(api);
    await state.refresh();
    await state.remove('github:a/b');
    expect(state.watches.map((w) => w.name)).toEqual(['github:c/d']);
  });

  it('summarises an import and reloads the list', async () => {
    const api = fakeApi({
      'watchlist:import': () => ok({ added: ['github:a/b'], changed: [], removed: ['x', 'y'] }),
      'watchlist:list': () => ok([watch('github:a/b')]),
    });
    const state = new WatchlistState(api);
    expect(await state.import('version: 1\nwatches: []\n', 'yaml', 'replace')).toBe(true);
    expect(api.calls[0]).toEqual({
      command: 'watchlist:import',
      args: ['version: 1\nwatches: []\n', 'yaml', 'replace'],
    });
    expect(state.notice).toBe('imported: 1 added, 0 changed, 2 removed');
    expect(state.watches.map((w) => w.name)).toEqual(['github:a/b']);
  });
});
