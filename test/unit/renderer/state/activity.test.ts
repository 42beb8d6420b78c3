import { describe, expect, it } from 'vitest';
import type { ActivityView, CatchUpView } from '../../../../shared/activity';
import { ok } from '../../../../shared/result';
import {
  ACTIVITY_REFRESH_MS,
  ActivityState,
} from '../../../../renderer/src/lib/state/activity.svelte';
import { CatchUpState } from '../../../../renderer/src/lib/state/catch-up.svelte';
import { followMonitorEvents } from '../../../../renderer/src/lib/state/live';
import { fakeApi } from '../fake-api';

const view = (range: ActivityView['range']): ActivityView => ({
  range,
  fromMs: 0,
  toMs: 3_600_000,
  hours: [],
  days: [],
  totals: { entriesVerified: 0, matches: 0 },
  logs: [],
});

const catchUp = (scanned: number): CatchUpView => ({
  since: '24h',
  sinceMs: 1,
  state: scanned === 10 ? 'done' : 'running',
  startedAtMs: 5,
  logs: [],
  total: 10,
  scanned,
  matches: 0,
});

const idle = { refresh: async () => undefined };

describe('ActivityState', () => {
  it('fetches the range chosen, and refreshes once per burst of scan events', async () => {
    const api = fakeApi({ 'activity:get': (q) => ok(view(q.range)) });
    const timers: { fn: () => void; ms: number }[] = [];
    const activity = new ActivityState(api, {
      setTimeout: (fn, ms) => timers.push({ fn, ms }),
    });
    await activity.show('7d');
    expect(activity.view?.range).toBe('7d');
    followMonitorEvents(api, { status: idle, alerts: idle, matches: idle, activity });
    for (let i = 0; i < 5; i++) {
      api.emit('monitor:event', {
        type: 'scan.progress',
        origin: 'o',
        nextIndex: i,
        treeSize: 9,
        scanned: i,
      });
    }
    expect(timers.map((t) => t.ms)).toEqual([ACTIVITY_REFRESH_MS]);
    timers[0]!.fn();
    await Promise.resolve();
    expect(api.calls.map((c) => c.args)).toEqual([[{ range: '7d' }], [{ range: '7d' }]]);
  });
});

describe('CatchUpState', () => {
  it('starts a catch-up and follows its progress events to the end', async () => {
    const api = fakeApi({ 'catchup:start': () => ok(catchUp(0)) });
    const state = new CatchUpState(api);
    followMonitorEvents(api, { status: idle, alerts: idle, matches: idle, catchUp: state });
    expect(await state.start('24h')).toBe(true);
    expect(api.calls[0]?.args).toEqual([{ since: '24h' }]);
    api.emit('monitor:event', { type: 'catchup.progress', catchUp: catchUp(4) });
    expect(state.view?.scanned).toBe(4);
    api.emit('monitor:event', { type: 'catchup.progress', catchUp: catchUp(10) });
    expect(state.view).toMatchObject({ state: 'done', scanned: 10 });
  });
});
