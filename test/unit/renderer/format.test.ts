import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDuration,
  formatRelative,
  formatTime,
  middleTruncate,
  plural,
} from '../../../renderer/src/lib/format';

const NOW = Date.UTC(2026, 11, 4, 22, 0, 0);

describe('format', () => {
  it('formats counts with separators and times in UTC', () => {
    expect(formatCount(1_633_569_325)).toBe('1,633,569,325');
    expect(formatCount(null)).toBe('—');
    expect(plural(1, 'watch', 'watches')).toBe('1 watch');
    expect(plural(1200, 'alert')).toBe('1,200 alerts');
    expect(formatTime(NOW)).toBe('2026-12-04 22:00:00 UTC');
  });

  it.each([
    [NOW - 30_000, 'just now'],
    [NOW - 5 * 60_000 - 59_000, '5 min ago'],
    [NOW - 3_600_000, '1 hour ago'],
    [NOW - 59 * 60_000, '59 min ago'],
    [NOW - 3 * 86_400_000, '3 days ago'],
    [NOW - 8 * 86_400_000, '1 week ago'],
    [NOW + 10 * 60_000, 'in 10 min'],
  ])('reads %d as "%s" relative to now', (ms, want) => {
    expect(formatRelative(ms, NOW)).toBe(want);
  });

  it.each([
    [-1, 'unknown'],
    [Infinity, 'unknown'],
    [20_000, 'under a minute'],
    [6 * 60_000, '~6 min'],
    [130 * 60_000, '~2 h 10 min'],
    [120 * 60_000, '~2 h'],
    [72 * 3_600_000, '~3 days'],
  ])('says duration %d as "%s"', (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });

  it('cuts long identities in the middle, keeping both ends and whole code points', () => {
    const san = 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3';
    const short = middleTruncate(san, 30);
    expect(Array.from(short)).toHaveLength(30);
    expect(short.startsWith('https://github.')).toBe(true);
    expect(short.endsWith('tags/v1.2.3')).toBe(true);
    expect(middleTruncate('short', 30)).toBe('short');
    expect(middleTruncate('😀😀😀😀😀', 4)).toBe('😀😀…😀');
    expect(middleTruncate('abc', 1)).toBe('…');
  });
});
