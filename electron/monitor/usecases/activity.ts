// Activity: what the scans did per hour and per day over the last 24 hours, 7 or 30 days, read
// from the aggregate commitScanBatch keeps (store/activity-store.ts): at most 744 rows, never a
// walk of the audit log.
import {
  ACTIVITY_RANGES,
  type ActivityBucket,
  type ActivityRange,
  type ActivityView,
} from '../../../shared/activity';
import { HOUR_MS } from '../store/activity-store';
import type { UseCaseContext } from './context';
import { readEnum, readRecord } from './input';

const DAY_MS = 24 * HOUR_MS;

export class Activity {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /**
   * Entries verified and matches per hour and per UTC day. 24h: the 24 hours up to and including
   * the current one; 7d and 30d: that many UTC days, today included.
   */
  get(query: { range: ActivityRange }): ActivityView {
    const q = readRecord(query, 'query', ['range']);
    const range = readEnum(q.range, ACTIVITY_RANGES, 'query.range');
    const now = this.#ctx.now();
    const toMs = now - (now % HOUR_MS) + HOUR_MS;
    const today = now - (now % DAY_MS);
    const fromMs =
      range === '24h' ? toMs - 24 * HOUR_MS : today - (range === '7d' ? 6 : 29) * DAY_MS;
    const stored = new Map(
      this.#ctx.stores.activity.hours(fromMs, toMs).map((h) => [h.hourMs, h] as const),
    );
    const hours: ActivityBucket[] = [];
    const days: ActivityBucket[] = [];
    for (let hourMs = fromMs; hourMs < toMs; hourMs += HOUR_MS) {
      const h = stored.get(hourMs);
      const bucket = {
        startMs: hourMs,
        entriesVerified: h?.entriesVerified ?? 0,
        matches: h?.matches ?? 0,
      };
      hours.push(bucket);
      const dayMs = hourMs - (hourMs % DAY_MS);
      const last = days.at(-1);
      if (last?.startMs === dayMs) {
        days[days.length - 1] = {
          startMs: dayMs,
          entriesVerified: last.entriesVerified + bucket.entriesVerified,
          matches: last.matches + bucket.matches,
        };
      } else days.push({ ...bucket, startMs: dayMs });
    }
    const totals = hours.reduce(
      (t, h) => ({
        entriesVerified: t.entriesVerified + h.entriesVerified,
        matches: t.matches + h.matches,
      }),
      { entriesVerified: 0, matches: 0 },
    );
    return {
      range,
      fromMs,
      toMs,
      hours,
      days,
      totals,
      logs: this.#ctx.stores.activity.byLog(fromMs, toMs),
    };
  }
}
