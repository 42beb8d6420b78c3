import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/result';
import { StatusState } from '../../../../renderer/src/lib/state/status.svelte';
import { followMonitorEvents } from '../../../../renderer/src/lib/state/live';
import { fakeApi } from '../fake-api';

const status = (paused: boolean): StatusView => ({
  dataDir: '/data',
  trust: null,
  logs: [],
  watches: 0,
  alerts: { new: 0 },
  paused,
});

describe('StatusState', () => {
  it('pauses, then shows the status the engine reports', async () => {
    let paused = false;
    const api = fakeApi({
      'monitor:pause': () => {
        paused = true;
        return ok(undefined);
      },
      'status:get': () => ok(status(paused)),
    });
    const state = new StatusState(api);
    await state.setPaused(true);
    expect(api.calls.map((c) => c.command)).toEqual(['monitor:pause', 'status:get']);
    expect(state.status?.paused).toBe(true);
  });

  it('keeps the last status and shows the error when a refresh fails', async () => {
    let up = true;
    const api = fakeApi({
      'status:get': () => (up ? ok(status(false)) : fail('DB_LOCKED', 'database is locked')),
    });
    const state = new StatusState(api);
    await state.refresh();
    up = false;
    await state.refresh();
    expect(state.status).toEqual(status(false));
    expect(state.error?.code).toBe('DB_LOCKED');
  });
});

describe('followMonitorEvents', () => {
  it('refreshes the inbox and matches on a match, and only the status on a checkpoint', () => {
    const api = fakeApi({});
    const refreshed: string[] = [];
    const spy = (name: string) => ({
      refresh: async () => void refreshed.push(name),
    });
    const stop = followMonitorEvents(api, {
      status: spy('status'),
      alerts: spy('alerts'),
      matches: spy('matches'),
    });
    api.emit('monitor:event', {
      type: 'checkpoint.verified',
      origin: 'log.example',
      treeSize: 5,
      rootHashHex: '00',
      previousTreeSize: 4,
    });
    expect(refreshed).toEqual(['status']);
    api.emit('monitor:event', {
      type: 'match',
      origin: 'log.example',
      logIndex: 3,
      watch: 'github:acme/widget',
      classification: 'unexpected',
      reason: 'r',
      matchId: 1,
    });
    expect(refreshed).toEqual(['status', 'status', 'alerts', 'matches']);
    api.emit('monitor:event', {
      type: 'scan.progress',
      origin: 'log.example',
      nextIndex: 1,
      treeSize: 5,
      scanned: 1,
    });
    stop();
    api.emit('monitor:event', { type: 'warning', message: 'late' });
    expect(refreshed).toHaveLength(4);
  });
});
