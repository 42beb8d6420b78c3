// scanLog reads a batch in parts of READ_ENTRIES with the next part in flight, and commits
// whole batches only: a failed read never commits part of a batch, nor loses an earlier one.
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../../../electron/core/errors';
import type { VerifiedCheckpoint } from '../../../../electron/core/tlog/checkpoint';
import {
  matchOnThisThread,
  type EntryMatching,
} from '../../../../electron/monitor/jobs/entry-matching';
import { createEntryMatcher } from '../../../../electron/monitor/jobs/match-entry';
import { READ_ENTRIES, scanLog } from '../../../../electron/monitor/jobs/scan-log';
import type { FollowedTree, ScannedEntry } from '../../../../electron/monitor/jobs/tree';
import type { Stores } from '../../../../electron/monitor/store/index';
import type { ScanBatch } from '../../../../electron/monitor/store/types';

const ORIGIN = 'log.test';
const TREE_SIZE = 5000;
const checkpoint = { treeSize: TREE_SIZE } as VerifiedCheckpoint;
const matcher = matchOnThisThread(createEntryMatcher([], { certificateAuthorities: [] }));

/** A tree whose reads resolve on the next turn, recording each range and the reads in flight. */
function fakeTree(failAt?: number) {
  const reads: [number, number][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const tree = {
    origin: ORIGIN,
    apiVersion: 2,
    indexOffset: 0,
    readEntries: async (start: number, end: number): Promise<ScannedEntry[]> => {
      reads.push([start, end]);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (failAt !== undefined && start <= failAt && failAt < end) {
        throw new FetchError('LOG_UNREACHABLE', `entries ${start}..${end}: unreachable`);
      }
      return Array.from({ length: end - start }, (_, i) => ({
        index: start + i,
        bytes: new Uint8Array([1, 2, 3]),
        leafHash: new Uint8Array(32),
      }));
    },
  } as Partial<FollowedTree> as FollowedTree;
  return { tree, reads, maxInFlight: () => maxInFlight };
}

/** Stores that keep the cursor and the committed batches in memory. */
function fakeStores() {
  const batches: [number, number][] = [];
  let nextIndex = 0;
  const stores = {
    transaction: <T>(fn: () => T) => fn(),
    audit: { append: () => undefined },
    scans: {
      get: () => ({ origin: ORIGIN, nextIndex, treeSize: TREE_SIZE, updatedAtMs: 0 }),
      commitScanBatch: (batch: ScanBatch) => {
        batches.push([batch.fromIndex, batch.toIndex]);
        nextIndex = batch.toIndex;
        return { cursor: {}, matches: [], alerts: [] };
      },
    },
  } as unknown as Stores;
  return { stores, batches };
}

const deps = (stores: Stores) => ({ stores, now: () => 0, emit: () => undefined });

describe('scanLog', () => {
  it('reads each batch in parts of READ_ENTRIES and commits whole batches', async () => {
    expect(READ_ENTRIES).toBe(1024);
    const { tree, reads, maxInFlight } = fakeTree();
    const { stores, batches } = fakeStores();
    const outcome = await scanLog(tree, checkpoint, matcher, deps(stores), { batchSize: 3000 });
    expect(reads).toEqual([
      [0, 1024],
      [1024, 2048],
      [2048, 3000],
      [3000, 4024],
      [4024, 5000],
    ]);
    expect(batches).toEqual([
      [0, 3000],
      [3000, 5000],
    ]);
    expect(outcome).toMatchObject({ scanned: 5000, nextIndex: 5000 });
    // One read at a time: the next part, while this one is matched.
    expect(maxInFlight()).toBe(1);
  });

  it('reads a batch smaller than READ_ENTRIES in one part', async () => {
    const { tree, reads } = fakeTree();
    const { stores, batches } = fakeStores();
    await scanLog(tree, checkpoint, matcher, deps(stores), { batchSize: 2000, stopAt: 2500 });
    expect(reads).toEqual([
      [0, 1024],
      [1024, 2000],
      [2000, 2500],
    ]);
    expect(batches).toEqual([
      [0, 2000],
      [2000, 2500],
    ]);
  });

  it('commits no part of a batch whose later part fails, and keeps the batches before it', async () => {
    const { tree } = fakeTree(4500);
    const { stores, batches } = fakeStores();
    await expect(
      scanLog(tree, checkpoint, matcher, deps(stores), { batchSize: 3000 }),
    ).rejects.toBeInstanceOf(FetchError);
    // [4024, 5000), the second part of the second batch, failed after [3000, 4024) was read.
    expect(batches).toEqual([[0, 3000]]);
  });

  it('commits a batch before reporting that the next one could not be read', async () => {
    const { tree } = fakeTree(3000);
    const { stores, batches } = fakeStores();
    await expect(
      scanLog(tree, checkpoint, matcher, deps(stores), { batchSize: 3000 }),
    ).rejects.toBeInstanceOf(FetchError);
    expect(batches).toEqual([[0, 3000]]);
  });
});

describe('scanLog with matching off this thread', () => {
  /** Matching that answers each part after `delayMs(part)`, calling every entry unreadable. */
  function slowMatching(delayMs: (part: number) => number, failPart?: number) {
    let parts = 0;
    const started: number[] = [];
    const matching: EntryMatching = {
      match: async (entries) => {
        const part = parts++;
        started.push(entries[0]!.index);
        await new Promise((resolve) => setTimeout(resolve, delayMs(part)));
        if (part === failPart) throw new Error('the matching worker exited with code 1');
        return entries.map((_, position) => ({
          position,
          result: {
            matches: [],
            identities: [],
            problem: `unreadable ${entries[position]!.index}`,
          },
        }));
      },
    };
    return { matching, started };
  }

  it('hands every part of a batch over as it is read, and commits it once all are matched', async () => {
    const { tree } = fakeTree();
    const { stores, batches } = fakeStores();
    const audited: Record<string, unknown>[] = [];
    (
      stores.audit as unknown as { append: (e: { detail: Record<string, unknown> }) => void }
    ).append = (e) => void audited.push(e.detail);
    // The first part of each batch is answered last.
    const { matching, started } = slowMatching((part) => (part % 3 === 0 ? 30 : 1));
    const outcome = await scanLog(tree, checkpoint, matching, deps(stores), { batchSize: 3000 });
    expect(started).toEqual([0, 1024, 2048, 3000, 4024]);
    expect(batches).toEqual([
      [0, 3000],
      [3000, 5000],
    ]);
    expect(outcome).toMatchObject({ scanned: 5000, unreadable: 5000 });
    // In index order whatever the order of the answers: the first 20 of each batch, then a count.
    expect(audited.slice(0, 20).map((d) => d['logIndex'])).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(audited[21]).toMatchObject({ logIndex: 3000, message: 'unreadable 3000' });
  });

  it('commits no part of a batch whose matching fails, and keeps the batches before it', async () => {
    const { tree } = fakeTree();
    const { stores, batches } = fakeStores();
    const { matching } = slowMatching(() => 1, 4);
    await expect(
      scanLog(tree, checkpoint, matching, deps(stores), { batchSize: 3000 }),
    ).rejects.toThrow('the matching worker exited with code 1');
    expect(batches).toEqual([[0, 3000]]);
  });
});

describe('scanLog with unreadable entries', () => {
  it('audits the first unreadable entries of a batch one by one and the rest as a count', async () => {
    const { tree } = fakeTree();
    const { stores } = fakeStores();
    const audited: Record<string, unknown>[] = [];
    (
      stores.audit as unknown as { append: (e: { detail: Record<string, unknown> }) => void }
    ).append = (e) => void audited.push(e.detail);
    const watching = matchOnThisThread(
      createEntryMatcher(
        [
          {
            name: 'github:acme/widget',
            rule: { kind: 'github', repository: 'acme/widget' },
            enabled: true,
          },
        ],
        { certificateAuthorities: [] },
      ),
    );
    const outcome = await scanLog(tree, checkpoint, watching, deps(stores), {
      batchSize: 100,
      stopAt: 100,
    });
    expect(outcome.unreadable).toBe(100);
    expect(audited).toHaveLength(21);
    expect(audited[0]).toMatchObject({ code: 'ENTRY_MALFORMED', logIndex: 0 });
    expect(audited[20]).toMatchObject({
      code: 'ENTRY_MALFORMED',
      message: expect.stringMatching(/^80 more unreadable entries in \[0, 100\)/),
    });
  });
});
