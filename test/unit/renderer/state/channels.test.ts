import { describe, expect, it } from 'vitest';
import type { ChannelView } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/result';
import { ChannelsState } from '../../../../renderer/src/lib/state/channels.svelte';
import { fakeApi } from '../fake-api';

const channel = (name: string, enabled = true): ChannelView => ({
  name,
  kind: 'desktop',
  enabled,
  settings: {},
  consecutiveFailures: 0,
});

describe('ChannelsState', () => {
  it('keeps channels sorted by name when one is added', async () => {
    const api = fakeApi({
      'channels:list': () => ok([channel('b'), channel('d')]),
      'channels:add': (c) => ok(channel(c.name)),
    });
    const state = new ChannelsState(api);
    await state.refresh();
    expect(await state.add({ name: 'c', kind: 'desktop', config: {} })).toBe(true);
    expect(state.channels.map((c) => c.name)).toEqual(['b', 'c', 'd']);
  });

  it('replaces the channel with the one the engine returns when toggled', async () => {
    const api = fakeApi({
      'channels:list': () => ok([channel('desk')]),
      'channels:set-enabled': (name, enabled) => ok(channel(name, enabled)),
    });
    const state = new ChannelsState(api);
    await state.refresh();
    await state.setEnabled('desk', false);
    expect(state.channels).toEqual([channel('desk', false)]);
  });

  it('says a test was sent when the channel delivered it', async () => {
    const api = fakeApi({ 'channels:test': () => ok(undefined) });
    const state = new ChannelsState(api);
    await state.test('ops-webhook');
    expect(state.notice).toBe('test sent through ops-webhook');
    expect(state.error).toBeNull();
  });

  it('shows why when the test fails', async () => {
    const api = fakeApi({
      'channels:test': () => fail('CHANNEL_FAILED', 'secret "slack-url" is not set'),
    });
    const state = new ChannelsState(api);
    await state.test('slack');
    expect(state.notice).toBeNull();
    expect(state.error).toEqual({
      code: 'CHANNEL_FAILED',
      message: 'secret "slack-url" is not set',
    });
  });

  it('shows the exported files when an export succeeds', async () => {
    const result = { files: [], manifest: '/data/exports/csv/manifest.json' };
    const api = fakeApi({ 'export:data': () => ok(result) });
    const state = new ChannelsState(api);
    await state.exportData('csv');
    expect(api.calls[0]).toEqual({ command: 'export:data', args: ['csv'] });
    expect(state.exported).toEqual(result);
  });
});
