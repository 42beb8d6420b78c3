// The first run's catch-up against the fake log: the last 24 hours or 7 days of Rekor v1 are
// scanned again for a watch added after the logs were followed; Rekor v2 says why it cannot.
import { afterEach, describe, expect, it } from 'vitest';
import type { CatchUpView } from '../../../shared/activity';
import { NO_TIME_INDEX } from '../../../electron/monitor/usecases/catch-up';
import {
  OLDER_INDEX,
  RECENT_INDEX,
  startCatchUpLog,
  V1_SIZE,
  type CatchUpLog,
} from '../../support/catch-up-log';

let c: CatchUpLog | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** A service that followed both logs from their heads, then got its first watch. */
async function followedThenWatched(): Promise<CatchUpLog> {
  c = await startCatchUpLog();
  const summary = await c.service.monitoring.runOnce();
  expect(summary.errors).toBe(0);
  c.service.watchlist.add({
    github: 'acme/widget',
    expect: { workflows: ['.github/workflows/release.yml'], refs: ['refs/tags/v*'] },
  });
  return c;
}

const matchedIndexes = (s: CatchUpLog) =>
  s.service.matches
    .list({})
    .matches.map((m) => m.logIndex)
    .sort((a, b) => a - b);

describe('catch-up', () => {
  it('re-scans the last 24 hours of Rekor v1, finding the signing made 8 hours ago, and reports progress to 100%', async () => {
    const s = await followedThenWatched();
    const progress: CatchUpView[] = [];
    s.service.on((e) => {
      if (e.type === 'catchup.progress') progress.push(e.catchUp);
    });
    const plan = await s.service.catchUp.start({ since: '24h' });
    const v1 = plan.logs.find((l) => l.apiVersion === 1)!;
    // Entry i is one minute after i - 1, the newest 30 s before now: 24 h back is 1,440 entries.
    expect(v1).toMatchObject({ fromIndex: V1_SIZE - 1440, toIndex: V1_SIZE, scanned: 0 });
    expect(plan.logs.find((l) => l.apiVersion === 2)).toMatchObject({ note: NO_TIME_INDEX });
    expect(plan).toMatchObject({ state: 'running', total: 1440, scanned: 0 });
    await s.service.catchUp.settled();

    const done = s.service.catchUp.get()!;
    expect(done).toMatchObject({ state: 'done', total: 1440, scanned: 1440, matches: 1 });
    expect(progress.at(-1)).toEqual(done);
    const scanned = progress.map((p) => p.scanned);
    expect(scanned).toEqual([...scanned].sort((a, b) => a - b));
    expect(matchedIndexes(s)).toEqual([RECENT_INDEX]);
    // The cursor stays at the head: the regular runs go on from there.
    expect(s.service.monitoring.status().logs.find((l) => l.apiVersion === 1)?.nextIndex).toBe(
      V1_SIZE,
    );
  });

  it('reaches back 7 days for both signings, and counts the re-scanned entries as verified', async () => {
    const s = await followedThenWatched();
    await s.service.catchUp.start({ since: '7d' });
    await s.service.catchUp.settled();
    expect(s.service.catchUp.get()).toMatchObject({
      state: 'done',
      total: V1_SIZE,
      scanned: V1_SIZE,
    });
    expect(matchedIndexes(s)).toEqual([OLDER_INDEX, RECENT_INDEX]);
    const activity = s.service.activity.get({ range: '24h' });
    expect(activity.totals.matches).toBe(2);
    // Both logs' heads (the first run) plus the 3,000 entries of the catch-up.
    expect(activity.totals.entriesVerified).toBeGreaterThanOrEqual(V1_SIZE);
  });

  it('does nothing for "from now", and refuses a second catch-up while one runs', async () => {
    const s = await followedThenWatched();
    expect(await s.service.catchUp.start({ since: 'now' })).toMatchObject({
      state: 'done',
      total: 0,
      sinceMs: null,
    });
    await s.service.catchUp.start({ since: '24h' });
    await expect(s.service.catchUp.start({ since: '7d' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await s.service.catchUp.settled();
    await expect(s.service.catchUp.start({ since: '1y' as never })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
