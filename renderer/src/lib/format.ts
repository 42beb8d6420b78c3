// Display helpers shared by the screens. Every value shown is rendered as text, never HTML.

/** Epoch ms as `2026-11-25 20:15:00 UTC`, or an em dash for null/undefined. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A count with thousands separators (1,633,569,325), or an em dash for null/undefined. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** `1 watch`, `2 watches`: a formatted count and its noun, plural unless the count is 1. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(n)} ${n === 1 ? noun : nouns}`;
}

const UNITS: readonly (readonly [number, string])[] = [
  [365 * 86_400_000, 'year'],
  [30 * 86_400_000, 'month'],
  [7 * 86_400_000, 'week'],
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
];

/**
 * How long ago `ms` was, seen at `nowMs`: `just now` (under a minute), `5 min ago`, `3 hours
 * ago`, `2 days ago`; a time in the future (a clock skew) reads `in 5 min`. Whole units, rounded
 * down, so "1 hour ago" never means 59 minutes.
 */
export function formatRelative(ms: number, nowMs: number): string {
  const delta = nowMs - ms;
  const abs = Math.abs(delta);
  if (abs < 60_000) return 'just now';
  const [size, unit] = UNITS.find(([s]) => abs >= s) ?? [60_000, 'min'];
  const n = Math.floor(abs / size);
  const word = unit === 'min' || n === 1 ? unit : `${unit}s`;
  return delta >= 0 ? `${n} ${word} ago` : `in ${n} ${word}`;
}

/**
 * A duration in words for an estimate: `under a minute`, `~6 min`, `~2 h 10 min`, `~3 days`.
 * Negative or non-finite durations read `unknown`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 60_000) return 'under a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `~${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 ? `~${hours} h` : `~${hours} h ${rest} min`;
  }
  return `~${Math.round(hours / 24)} days`;
}

/**
 * `text` shortened to at most `max` characters by cutting out its middle (an ellipsis keeps
 * both ends: the scheme and host of a SAN, and the file and ref at its end). Counts code points,
 * so a surrogate pair is never split. Text that fits is returned as it is.
 */
export function middleTruncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return '…';
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}
