import { afterEach, describe, expect, it } from 'vitest';
import { openHarness, type Harness } from './service-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Wednesday 2026-12-02, 10:20 UTC.
const NOW = Date.UTC(2026, 11, 2, 10, 20);
const THIS_HOUR = Date.UTC(2026, 11, 2, 10);
const TODAY = Date.UTC(2026, 11, 2);

let h: Harness | undefined;
afterEach(() => h?.close());

function harness(): Harness {
  h = openHarness();
  h.clock.nowMs = NOW;
  const a = h.service.stores.activity;
  a.add('log-a', NOW - 5 * 60_000, 400, 1); // this hour
  a.add('log-b', NOW - HOUR, 100, 0); // the hour before
  a.add('log-a', NOW - 23 * HOUR, 7, 0); // 23 hours ago: the first hour of 24h
  a.add('log-a', NOW - 24 * HOUR, 50, 2); // 24 hours ago: outside 24h, yesterday
  a.add('log-a', TODAY - 6 * DAY + 1, 9, 3); // the first day of 7d
  a.add('log-a', TODAY - 6 * DAY - 1, 11, 4); // 7 days ago: outside 7d, inside 30d
  return h;
}

describe('Activity.get', () => {
  it('gives the last 24 hours, every hour present, with the UTC days they touch', () => {
    const view = harness().service.activity.get({ range: '24h' });
    expect(view.fromMs).toBe(THIS_HOUR - 23 * HOUR);
    expect(view.toMs).toBe(THIS_HOUR + HOUR);
    expect(view.hours).toHaveLength(24);
    expect(view.hours.map((b) => b.startMs)).toEqual(
      Array.from({ length: 24 }, (_, i) => view.fromMs + i * HOUR),
    );
    expect(view.hours[0]).toEqual({ startMs: view.fromMs, entriesVerified: 7, matches: 0 });
    expect(view.hours.at(-2)).toEqual({
      startMs: THIS_HOUR - HOUR,
      entriesVerified: 100,
      matches: 0,
    });
    expect(view.hours.at(-1)).toEqual({ startMs: THIS_HOUR, entriesVerified: 400, matches: 1 });
    expect(view.days).toEqual([
      { startMs: TODAY - DAY, entriesVerified: 7, matches: 0 },
      { startMs: TODAY, entriesVerified: 500, matches: 1 },
    ]);
    expect(view.totals).toEqual({ entriesVerified: 507, matches: 1 });
    expect(view.logs).toEqual([
      { origin: 'log-a', entriesVerified: 407, matches: 1 },
      { origin: 'log-b', entriesVerified: 100, matches: 0 },
    ]);
  });

  it('gives 7 and 30 UTC days, today included, up to the end of the current hour', () => {
    const week = harness().service.activity.get({ range: '7d' });
    expect(week.fromMs).toBe(TODAY - 6 * DAY);
    expect(week.hours).toHaveLength(6 * 24 + 11);
    expect(week.days.map((d) => d.startMs)).toEqual(
      Array.from({ length: 7 }, (_, i) => TODAY - (6 - i) * DAY),
    );
    expect(week.days.map((d) => d.matches)).toEqual([3, 0, 0, 0, 0, 2, 1]);
    expect(week.totals).toEqual({ entriesVerified: 566, matches: 6 });
    const month = h!.service.activity.get({ range: '30d' });
    expect(month.days).toHaveLength(30);
    expect(month.totals).toEqual({ entriesVerified: 577, matches: 10 });
  });

  it('refuses a range it does not offer', () => {
    expect(() => harness().service.activity.get({ range: '1y' as '7d' })).toThrowCode(
      'INVALID_INPUT',
    );
    expect(() => h!.service.activity.get(undefined as never)).toThrowCode('INVALID_INPUT');
  });
});
