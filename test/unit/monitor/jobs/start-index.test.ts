import { describe, expect, it } from 'vitest';
import {
  parseDurationMs,
  parseSince,
  startIndex,
} from '../../../../electron/monitor/jobs/start-index';
import type { FollowedTree } from '../../../../electron/monitor/jobs/tree';

function tree(offset: number, times?: (i: number) => number): FollowedTree {
  return {
    origin: 'log.test',
    apiVersion: times ? 1 : 2,
    indexOffset: offset,
    ...(times && { entryTimeMs: async (i: number) => times(i) }),
  } as unknown as FollowedTree;
}

describe('startIndex', () => {
  it('starts at the head by default', async () => {
    expect(await startIndex(tree(0), 500, { kind: 'head' })).toEqual({ index: 500 });
  });

  it.each([
    { desc: 'inside the tree', offset: 1000, logIndex: 1200, want: 200 },
    { desc: 'before the shard', offset: 1000, logIndex: 10, want: 0 },
    { desc: 'past the verified size', offset: 1000, logIndex: 9999, want: 500 },
  ])('maps a global index $desc to a tree-local one', async ({ offset, logIndex, want }) => {
    expect((await startIndex(tree(offset), 500, { kind: 'index', logIndex })).index).toBe(want);
  });

  it('finds the first entry integrated at or after the time by binary search', async () => {
    const calls: number[] = [];
    const t = tree(0, (i) => (calls.push(i), 1000 + i * 10));
    expect((await startIndex(t, 1000, { kind: 'time', sinceMs: 1000 + 437 * 10 - 5 })).index).toBe(
      437,
    );
    expect(calls.length).toBeLessThanOrEqual(11);
  });

  it('starts at the head with a warning when entries carry no time', async () => {
    const decision = await startIndex(tree(0), 42, { kind: 'time', sinceMs: 0 });
    expect(decision.index).toBe(42);
    expect(decision.warning).toMatch(/no time/);
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 10, 25);
  it.each([
    { text: '90m', want: now - 90 * 60_000 },
    { text: '7d', want: now - 7 * 86_400_000 },
    { text: '2026-11-01', want: Date.UTC(2026, 10, 1) },
    { text: '2026-11-01T12:00:00Z', want: Date.UTC(2026, 10, 1, 12) },
    { text: 'yesterday', want: undefined },
    { text: '7 d', want: undefined },
    { text: '-7d', want: undefined },
  ])('parses $text', ({ text, want }) => expect(parseSince(text, now)).toBe(want));
});

describe('parseDurationMs', () => {
  it.each([
    { text: '5m', want: 300_000 },
    { text: '30s', want: 30_000 },
    { text: '0s', want: undefined },
    { text: '5', want: undefined },
  ])('parses $text', ({ text, want }) => expect(parseDurationMs(text)).toBe(want));
});
