import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../electron/monitor/scheduler';

/** A manual timer queue: tests advance time explicitly, nothing sleeps. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimer: (fn: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id: unknown) => void timers.delete(id as number),
    /** Runs every timer due by `now + ms`, in time order, letting jobs settle in between. */
    get now() {
      return now;
    },
    async advance(ms: number) {
      const end = now + ms;
      for (let i = 0; i < 10; i++) await Promise.resolve();
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        for (let i = 0; i < 10; i++) await Promise.resolve();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}

describe('Scheduler', () => {
  it('runs each log at once, then every interval', async () => {
    const t = fakeTimers();
    const runs: string[] = [];
    const s = new Scheduler(async (key) => (runs.push(key), true), {
      intervalMs: 1000,
      jitter: 0,
      ...t,
    });
    s.setLogs(['a', 'b']);
    await t.advance(0);
    expect(runs).toEqual(['a', 'b']);
    await t.advance(1000);
    expect(runs).toEqual(['a', 'b', 'a', 'b']);
  });

  it('backs off exponentially per log after failures and resets after a success', async () => {
    const t = fakeTimers();
    const times: number[] = [];
    const s = new Scheduler(
      async () => {
        times.push(t.now);
        return times.length > 5;
      },
      { intervalMs: 100, jitter: 0, maxBackoffMs: 1000, ...t },
    );
    s.setLogs(['a']);
    await t.advance(200 + 400 + 800 + 1000 + 1000 + 100);
    // after failures 1..5 the waits are 200, 400, 800, then capped at 1000; the sixth run
    // succeeds and the next wait is the plain interval
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    expect(gaps).toEqual([200, 400, 800, 1000, 1000, 100]);
  });

  it('keeps the jitter within the configured fraction', () => {
    const low = new Scheduler(async () => true, { intervalMs: 1000, jitter: 0.1, random: () => 0 });
    const high = new Scheduler(async () => true, {
      intervalMs: 1000,
      jitter: 0.1,
      random: () => 1,
    });
    expect(low.delayAfter(0)).toBe(900);
    expect(high.delayAfter(0)).toBe(1100);
  });

  it('runs nothing while paused and catches up on resume', async () => {
    const t = fakeTimers();
    const runs: string[] = [];
    const s = new Scheduler(async (key) => (runs.push(key), true), {
      intervalMs: 1000,
      jitter: 0,
      ...t,
    });
    s.setLogs(['a']);
    await t.advance(0);
    s.pause();
    await t.advance(5000);
    expect(runs).toEqual(['a']);
    s.resume();
    await t.advance(0);
    expect(runs).toEqual(['a', 'a']);
  });

  it('runs again right after the current run when asked to check now', async () => {
    const t = fakeTimers();
    let release!: () => void;
    let runs = 0;
    const s = new Scheduler(
      () =>
        new Promise<boolean>((resolve) => {
          runs++;
          release = () => resolve(true);
        }),
      { intervalMs: 60_000, jitter: 0, ...t },
    );
    s.setLogs(['a']);
    await t.advance(0);
    expect(runs).toBe(1);
    s.checkNow(); // while running: never two runs of one log at once
    expect(runs).toBe(1);
    release();
    await t.advance(0);
    expect(runs).toBe(2);
  });

  it('stops scheduling a log that is no longer followed', async () => {
    const t = fakeTimers();
    const runs: string[] = [];
    const s = new Scheduler(async (key) => (runs.push(key), true), {
      intervalMs: 1000,
      jitter: 0,
      ...t,
    });
    s.setLogs(['a', 'b']);
    await t.advance(0);
    s.setLogs(['b']);
    await t.advance(1000);
    expect(runs).toEqual(['a', 'b', 'b']);
  });
});
