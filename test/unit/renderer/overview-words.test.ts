import { describe, expect, it } from 'vitest';
import type { LogHealth } from '../../../shared/domain';
import { dayLabel, hourLabel, totalsInWords } from '../../../renderer/src/lib/overview/chart-words';
import { errorInWords, scanLine } from '../../../renderer/src/lib/overview/log-line';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 5, 10);

const log = (over: Partial<LogHealth & { catchUpEtaSeconds: number | null }>) => ({
  origin: 'rekor.sigstore.dev - 1193050959916656506',
  apiVersion: 1 as const,
  state: 'active' as const,
  verifiedTreeSize: 1_633_569_325,
  verifiedAtMs: T,
  nextIndex: 1_633_500_000,
  backlog: 69_325,
  lastError: null,
  paused: false,
  checkpointKeyName: 'rekor.sigstore.dev',
  ...over,
});

describe('log card line', () => {
  it('says how far behind the scan is, and when it will be caught up when the engine knows', () => {
    expect(scanLine(log({}))).toBe('69,325 entries behind');
    expect(scanLine(log({ catchUpEtaSeconds: 390 }))).toBe(
      '69,325 entries behind · caught up in ~7 min',
    );
    expect(scanLine(log({ backlog: 1, catchUpEtaSeconds: null }))).toBe('1 entry behind');
    expect(scanLine(log({ backlog: 0 }))).toBe('caught up');
    expect(scanLine(log({ backlog: null }))).toBe('waiting for its first checkpoint');
    expect(scanLine(log({ paused: true }))).toBe('paused');
    expect(scanLine(log({ state: 'finished' }))).toBe('frozen shard, read to its end');
  });

  it('puts the last error in words, keeping the message, and the code for the rare ones', () => {
    expect(errorInWords({ code: 'LOG_UNREACHABLE', message: 'connect ECONNREFUSED' })).toBe(
      'The log could not be reached: connect ECONNREFUSED',
    );
    expect(errorInWords({ code: 'TILE_MALFORMED', message: 'tile 0/x is 3 bytes' })).toBe(
      'tile 0/x is 3 bytes (TILE_MALFORMED)',
    );
  });
});

describe('activity chart words', () => {
  const bucket = (startMs: number, entriesVerified: number, matches = 0) => ({
    startMs,
    entriesVerified,
    matches,
  });

  it('labels hours and days in UTC', () => {
    expect(hourLabel(T)).toBe('Dec 5, 10:00 UTC');
    expect(dayLabel(T)).toBe('Dec 5');
  });

  it('gives the total and the busiest bucket as the text alternative', () => {
    const hours = [bucket(T - 2 * HOUR, 1_000), bucket(T - HOUR, 12_345, 2), bucket(T, 0)];
    expect(totalsInWords(hours, 'entriesVerified', '24h', 'hour')).toBe(
      '13,345 entries verified over the last 24 hours; the busiest hour, Dec 5, 09:00 UTC, had 12,345.',
    );
    expect(totalsInWords(hours, 'matches', '7d', 'day')).toBe(
      '2 matches over the last 7 days, all on Dec 5.',
    );
    expect(totalsInWords([bucket(T, 0)], 'matches', '30d', 'day')).toBe(
      'No matches over the last 30 days.',
    );
  });
});
