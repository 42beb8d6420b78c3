// The activity chart's labels and its text alternative: what the bars say, in words.
import type { ActivityBucket, ActivityRange } from '../../../../shared/activity';
import { formatCount, plural } from '../format';

export const RANGE_WORDS: Readonly<Record<ActivityRange, string>> = {
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
  '30d': 'the last 30 days',
};

/** `Dec 5, 10:00 UTC` for an hour bucket. */
export function hourLabel(ms: number): string {
  return `${dayLabel(ms)}, ${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** `Dec 5` for a UTC day. */
export function dayLabel(ms: number): string {
  return new Date(ms).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * `12,345 entries verified over the last 24 hours; the busiest hour, Dec 5, 10:00 UTC, had
 * 1,024.`, `1 match over the last 7 days, all on Dec 5.` or `No entries verified over the
 * last 7 days.`
 */
export function totalsInWords(
  buckets: readonly ActivityBucket[],
  key: 'entriesVerified' | 'matches',
  range: ActivityRange,
  unit: 'hour' | 'day',
): string {
  const label = unit === 'hour' ? hourLabel : dayLabel;
  const total = buckets.reduce((n, b) => n + b[key], 0);
  const what = key === 'matches' ? 'match' : 'entry';
  const whats = key === 'matches' ? 'matches' : 'entries';
  const counted = key === 'matches' ? '' : ' verified';
  if (total === 0) return `No ${whats}${counted} over ${RANGE_WORDS[range]}.`;
  const busiest = buckets.reduce((a, b) => (b[key] > a[key] ? b : a));
  const over = `${plural(total, what, whats)}${counted} over ${RANGE_WORDS[range]}`;
  if (busiest[key] === total) {
    return `${over}, all ${unit === 'hour' ? 'in the hour of' : 'on'} ${label(busiest.startMs)}.`;
  }
  return (
    `${over}; ` +
    `the busiest ${unit}, ${label(busiest.startMs)}, had ${formatCount(busiest[key])}.`
  );
}
