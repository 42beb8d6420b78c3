// DTOs of the Overview's activity chart and of the first run's catch-up (plain JSON values).

/** How far back the activity chart looks. */
export type ActivityRange = '24h' | '7d' | '30d';
export const ACTIVITY_RANGES: readonly ActivityRange[] = ['24h', '7d', '30d'];

/** What scanned batches did in one bucket (an hour or a UTC day), every log summed. */
export interface ActivityBucket {
  /** Start of the bucket, epoch ms (UTC hour or UTC day). */
  readonly startMs: number;
  /** Log entries fetched, proven in a verified tree and matched against the watchlist. */
  readonly entriesVerified: number;
  /** Matches recorded (expected, unexpected or untrusted). */
  readonly matches: number;
}

export interface ActivityView {
  readonly range: ActivityRange;
  /** The range: [fromMs, toMs), whole UTC hours; 7d and 30d start at a UTC midnight. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Every hour of the range, oldest first, hours without activity as zeros. */
  readonly hours: readonly ActivityBucket[];
  /** Every UTC day the range touches, oldest first (the first may be partial). */
  readonly days: readonly ActivityBucket[];
  readonly totals: { readonly entriesVerified: number; readonly matches: number };
  /** Totals per log over the range, by origin; logs without activity are absent. */
  readonly logs: readonly {
    readonly origin: string;
    readonly entriesVerified: number;
    readonly matches: number;
  }[];
}

/** Where the first watch starts: from now on, or back over the last 24 hours or 7 days. */
export type CatchUpSince = 'now' | '24h' | '7d';
export const CATCH_UP_SINCES: readonly CatchUpSince[] = ['now', '24h', '7d'];

/** One log's part of a catch-up: entries [fromIndex, toIndex) scanned again for the watchlist. */
export interface CatchUpLog {
  readonly origin: string;
  readonly apiVersion: 1 | 2;
  readonly fromIndex: number;
  readonly toIndex: number;
  /** Entries of the range scanned so far. */
  readonly scanned: number;
  /** Why this log is not caught up (a Rekor v2 log has no time index), or its error. */
  readonly note?: string;
}

export interface CatchUpView {
  readonly since: CatchUpSince;
  /** Epoch ms the catch-up reaches back to; null for 'now'. */
  readonly sinceMs: number | null;
  readonly state: 'running' | 'done' | 'failed';
  readonly startedAtMs: number;
  readonly logs: readonly CatchUpLog[];
  /** Entries to scan and scanned, every log summed (0 of 0 when there is nothing to do). */
  readonly total: number;
  readonly scanned: number;
  /** Matches the catch-up recorded. */
  readonly matches: number;
}
