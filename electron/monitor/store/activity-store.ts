// The activity aggregate (schema 6, activity_hourly): per log and UTC hour, the entries that
// committed scan batches proved and matched, and the matches they recorded. Written by
// commitScanBatch inside its transaction; read by the Overview's chart a range at a time.
import type { Database } from 'better-sqlite3';
import { checkName, checkUint } from './rows';

export const HOUR_MS = 3_600_000;

/** One hour of one log, or of every log summed. */
export interface ActivityHour {
  /** Start of the UTC hour, epoch ms. */
  readonly hourMs: number;
  readonly entriesVerified: number;
  readonly matches: number;
}

export interface ActivityStore {
  /**
   * Adds `entries` verified entries and `matches` new matches to `origin`'s hour of `atMs`.
   * Called by commitScanBatch in the batch's transaction; does nothing for zero and zero.
   */
  add(origin: string, atMs: number, entries: number, matches: number): void;
  /**
   * The hours in [fromMs, toMs) that have activity, every log summed, oldest first; hours
   * without activity are absent.
   */
  hours(fromMs: number, toMs: number): ActivityHour[];
  /** Per log, the totals over [fromMs, toMs), by origin. */
  byLog(
    fromMs: number,
    toMs: number,
  ): { origin: string; entriesVerified: number; matches: number }[];
}

export function createActivityStore(db: Database): ActivityStore {
  const upsert = db.prepare(
    `INSERT INTO activity_hourly (origin, hour_ms, entries_verified, matches)
     VALUES (@origin, @hourMs, @entries, @matches)
     ON CONFLICT (origin, hour_ms) DO UPDATE SET
       entries_verified = entries_verified + excluded.entries_verified,
       matches = matches + excluded.matches`,
  );
  const selectHours = db.prepare<[number, number], ActivityHour>(
    `SELECT hour_ms AS hourMs, sum(entries_verified) AS entriesVerified, sum(matches) AS matches
     FROM activity_hourly WHERE hour_ms >= ? AND hour_ms < ?
     GROUP BY hour_ms ORDER BY hour_ms`,
  );
  const selectByLog = db.prepare<
    [number, number],
    { origin: string; entriesVerified: number; matches: number }
  >(
    `SELECT origin, sum(entries_verified) AS entriesVerified, sum(matches) AS matches
     FROM activity_hourly WHERE hour_ms >= ? AND hour_ms < ?
     GROUP BY origin ORDER BY origin`,
  );
  const range = (fromMs: number, toMs: number): [number, number] => {
    checkUint(fromMs, 'fromMs');
    checkUint(toMs, 'toMs');
    return [fromMs, toMs];
  };
  return {
    add(origin, atMs, entries, matches) {
      checkName(origin, 'origin');
      checkUint(atMs, 'atMs');
      checkUint(entries, 'entries');
      checkUint(matches, 'matches');
      if (entries === 0 && matches === 0) return;
      upsert.run({ origin, hourMs: atMs - (atMs % HOUR_MS), entries, matches });
    },
    hours: (fromMs, toMs) => selectHours.all(...range(fromMs, toMs)),
    byLog: (fromMs, toMs) => selectByLog.all(...range(fromMs, toMs)),
  };
}
