import { describe, expect, it } from 'vitest';
import type { ScanBatch, Stores } from '../../../../electron/monitor/store/index';
import {
  count,
  realV1Match,
  realV2Match,
  seededStores,
  syntheticV2Match,
  V1_ORIGIN,
  V2_ORIGIN,
} from './fixtures';

const AT = 1_760_000_000_000;

/** Seeded stores with two enabled channels and one disabled, and the v2 cursor at 412110. */
function ready(): Stores {
  const s = seededStores();
  s.channels.upsert({ name: 'desktop', kind: 'desktop', config: {}, enabled: true }, AT);
  s.channels.upsert(
    { name: 'ops', kind: 'webhook', config: { url: 'https://x' }, enabled: true },
    AT,
  );
  s.channels.upsert({ name: 'off', kind: 'slack', config: {}, enabled: false }, AT);
  s.scans.start(V2_ORIGIN, 412_110, AT);
  return s;
}

const batch = (overrides: Partial<ScanBatch> = {}): ScanBatch => ({
  origin: V2_ORIGIN,
  fromIndex: 412_110,
  toIndex: 412_115,
  treeSize: 412_115,
  matches: [
    realV2Match(),
    syntheticV2Match(412_112, { classification: 'expected', reason: 'release workflow' }),
  ],
  atMs: AT + 1,
  ...overrides,
});

/** Everything commitScanBatch may write, to compare before and after. */
const snapshot = (s: Stores) => ({
  cursor: s.scans.get(V2_ORIGIN),
  matches: count(s, 'matches'),
  alerts: count(s, 'alerts'),
  deliveries: count(s, 'alert_deliveries'),
  audit: s.audit.head(),
});

describe('ScanStore.start', () => {
  it('creates the cursor once and audits scan.started', () => {
    const s = seededStores();
    expect(s.scans.start(V2_ORIGIN, 412_000, AT)).toEqual({
      origin: V2_ORIGIN,
      nextIndex: 412_000,
      treeSize: 412_000,
      updatedAtMs: AT,
    });
    expect(s.scans.start(V2_ORIGIN, 0, AT + 1).nextIndex).toBe(412_000);
    expect(s.audit.page({ kind: 'scan.started' }).events).toHaveLength(1);
  });

  it('refuses to start past the verified tree size', () => {
    expect(() => seededStores().scans.start(V2_ORIGIN, 412_116, AT)).toThrowCode('INVALID_INPUT');
  });
});

describe('ScanStore.commitScanBatch', () => {
  it('stores the matches, alerts for unexpected ones with outbox rows, and advances the cursor', () => {
    const s = ready();
    const commit = s.scans.commitScanBatch(batch());

    expect(commit.cursor).toMatchObject({
      nextIndex: 412_115,
      treeSize: 412_115,
      updatedAtMs: AT + 1,
    });
    expect(s.scans.get(V2_ORIGIN)).toEqual(commit.cursor);
    expect(commit.matches.map((m) => [m.logIndex, m.classification, m.triage])).toEqual([
      [412_114, 'unexpected', 'new'],
      [412_112, 'expected', 'new'],
    ]);
    expect(s.matches.get(commit.matches[0]!.id)).toEqual(commit.matches[0]);
    expect(commit.matches[0]).toMatchObject({
      ...realV2Match(),
      origin: V2_ORIGIN,
      foundAtMs: AT + 1,
    });

    // Only the unexpected match alerts, once per enabled channel.
    expect(commit.alerts).toEqual([
      expect.objectContaining({
        kind: 'match',
        matchId: commit.matches[0]!.id,
        dedupeKey: `${V2_ORIGIN}|412114|key:release`,
        state: 'new',
      }),
    ]);
    const deliveries = s.alerts.deliveriesOf(commit.alerts[0]!.id);
    expect(deliveries.map((d) => [d.channel.name, d.state, d.nextAttemptAtMs])).toEqual([
      ['desktop', 'pending', AT + 1],
      ['ops', 'pending', AT + 1],
    ]);
    expect(
      s.audit
        .page({ limit: 4 })
        .events.map((e) => e.kind)
        .reverse(),
    ).toEqual(['match.found', 'alert.raised', 'match.found', 'scan.advanced']);
  });

  it('alerts on expected matches too when the batch asks for it', () => {
    const quiet = ready().scans.commitScanBatch(batch());
    expect(quiet.alerts.map((a) => a.matchId)).toEqual([quiet.matches[0]!.id]);
    const loud = ready().scans.commitScanBatch(
      batch({ alertOn: ['expected', 'unexpected', 'untrusted'] }),
    );
    expect(loud.alerts.map((a) => a.matchId)).toEqual(loud.matches.map((m) => m.id));
  });

  it('inserts nothing twice when the same batch is committed again', () => {
    const s = ready();
    s.scans.commitScanBatch(batch());
    const before = snapshot(s);
    const again = s.scans.commitScanBatch(batch({ atMs: AT + 2 }));
    expect(again.matches).toEqual([]);
    expect(again.alerts).toEqual([]);
    const after = snapshot(s);
    expect(after.matches).toBe(before.matches);
    expect(after.alerts).toBe(before.alerts);
    expect(after.deliveries).toBe(before.deliveries);
    expect(after.cursor?.nextIndex).toBe(412_115);
  });

  it('leaves cursor, matches and alerts unchanged when the batch fails part-way', () => {
    const s = ready();
    const before = snapshot(s);
    // The first match is inserted (and alerts) before the second is found invalid.
    const bad = syntheticV2Match(412_113, { leafHash: new Uint8Array(32) });
    expect(() => s.scans.commitScanBatch(batch({ matches: [realV2Match(), bad] }))).toThrowCode(
      'INVALID_INPUT',
    );
    expect(snapshot(s)).toEqual(before);
  });

  it('rolls back with an enclosing transaction that throws after it', () => {
    const s = ready();
    const before = snapshot(s);
    expect(() =>
      s.transaction(() => {
        s.scans.commitScanBatch(batch());
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(snapshot(s)).toEqual(before);
  });

  it('re-scans below the cursor without moving it back, finding matches of a new watch', () => {
    const s = ready();
    s.scans.commitScanBatch(batch({ matches: [] }));
    const backfill = s.scans.commitScanBatch(
      batch({
        fromIndex: 412_100,
        toIndex: 412_113,
        matches: [syntheticV2Match(412_112, { watchName: 'new' })],
      }),
    );
    expect(backfill.matches).toHaveLength(1);
    expect(backfill.cursor.nextIndex).toBe(412_115);
  });

  it('accepts a Rekor v1 match whose shard index plus offset is its log index', () => {
    const s = ready();
    s.scans.start(V1_ORIGIN, 7_696_950, AT);
    const commit = s.scans.commitScanBatch({
      origin: V1_ORIGIN,
      fromIndex: 7_696_950,
      toIndex: 7_696_953,
      treeSize: 7_696_953,
      matches: [realV1Match()],
      atMs: AT,
    });
    expect(commit.matches[0]).toMatchObject({ logIndex: 129_601_213, shardIndex: 7_696_951 });
    expect(commit.alerts).toHaveLength(1); // untrusted alerts too
  });

  it.each([
    { desc: 'a v1 match without a shard index', match: realV1Match({ shardIndex: undefined }) },
    {
      desc: 'a v1 shard index that does not add up',
      match: realV1Match({ shardIndex: 7_696_950 }),
    },
  ])('refuses $desc', ({ match }) => {
    const s = ready();
    s.scans.start(V1_ORIGIN, 7_696_950, AT);
    expect(() =>
      s.scans.commitScanBatch({
        origin: V1_ORIGIN,
        fromIndex: 7_696_950,
        toIndex: 7_696_953,
        treeSize: 7_696_953,
        matches: [match],
        atMs: AT,
      }),
    ).toThrowCode('INVALID_INPUT');
  });

  it.each([
    { desc: 'a batch that starts past the cursor', change: { fromIndex: 412_111 } },
    {
      desc: 'a batch that ends past its tree size',
      change: { toIndex: 412_116, treeSize: 412_115 },
    },
    {
      desc: 'a tree size beyond the latest checkpoint',
      change: { toIndex: 412_116, treeSize: 412_116 },
    },
    { desc: 'a match outside the batch', change: { toIndex: 412_114 } },
    {
      desc: 'a v2 match with a shard index',
      change: { matches: [realV2Match({ shardIndex: 1 })] },
    },
    {
      desc: 'a checkpoint note for another size',
      change: {
        matches: [
          realV2Match({
            checkpoint: { treeSize: 412_116, signedNote: realV2Match().checkpoint.signedNote },
          }),
        ],
      },
    },
    {
      desc: 'a proof hash of the wrong length',
      change: { matches: [realV2Match({ inclusionProof: [new Uint8Array(31)] })] },
    },
  ])('refuses $desc and changes nothing', ({ change }) => {
    const s = ready();
    const before = snapshot(s);
    expect(() => s.scans.commitScanBatch(batch(change))).toThrowCode('INVALID_INPUT');
    expect(snapshot(s)).toEqual(before);
  });

  it('refuses a batch for a log whose scan has not started', () => {
    const s = seededStores();
    expect(() => s.scans.commitScanBatch(batch())).toThrowCode('NOT_FOUND');
  });
});
