import { beforeEach, describe, expect, it } from 'vitest';
import { encodeHex } from '../../../../electron/core/bytes';
import type { Match, Stores } from '../../../../electron/monitor/store/index';
import { realV2Match, seededStores, syntheticV2Match, V2_ORIGIN } from './fixtures';

const AT = 1_760_000_000_000;

let s: Stores;
let found: readonly Match[];
beforeEach(() => {
  s = seededStores();
  s.channels.upsert({ name: 'desktop', kind: 'desktop', config: {}, enabled: true }, AT);
  s.scans.start(V2_ORIGIN, 412_100, AT);
  found = s.scans.commitScanBatch({
    origin: V2_ORIGIN,
    fromIndex: 412_100,
    toIndex: 412_115,
    treeSize: 412_115,
    matches: [
      syntheticV2Match(412_101, { watchName: 'github:acme/widget', classification: 'expected' }),
      syntheticV2Match(412_102, { watchName: 'github:acme/widget', classification: 'untrusted' }),
      realV2Match(),
    ],
    atMs: AT,
  }).matches;
});

const alertOf = (matchId: number) => s.alerts.list().alerts.find((a) => a.matchId === matchId);

describe('MatchStore triage', () => {
  it('acknowledges a match, its alert with it, and audits match.triaged', () => {
    const id = found[2]!.id;
    expect(s.matches.acknowledge(id, AT + 5)).toMatchObject({
      triage: 'acknowledged',
      triagedAtMs: AT + 5,
    });
    expect(alertOf(id)?.state).toBe('acknowledged');
    expect(s.audit.page({ kind: 'match.triaged' }).events[0]).toMatchObject({
      origin: V2_ORIGIN,
      detail: { matchId: id, watch: 'key:release', logIndex: 412_114, triage: 'acknowledged' },
    });
  });

  it('marks a match expected', () => {
    const id = found[1]!.id;
    expect(s.matches.markExpected(id, AT + 5).triage).toBe('expected');
    expect(alertOf(id)?.state).toBe('expected');
  });

  it('adds, replaces and removes a note', () => {
    const id = found[0]!.id;
    expect(s.matches.setNote(id, 'release v1.2.3', AT).note).toBe('release v1.2.3');
    expect(s.matches.setNote(id, 'release v1.2.4', AT).note).toBe('release v1.2.4');
    expect(s.matches.setNote(id, '', AT).note).toBeUndefined();
    expect(s.audit.page({ kind: 'match.noted' }).events).toHaveLength(3);
  });

  it('refuses a note that is too long', () => {
    expect(() => s.matches.setNote(found[0]!.id, 'x'.repeat(10_001), AT)).toThrowCode(
      'INVALID_INPUT',
    );
  });

  it.each([
    { op: 'acknowledge', run: (st: Stores) => st.matches.acknowledge(999, AT) },
    { op: 'markExpected', run: (st: Stores) => st.matches.markExpected(999, AT) },
    { op: 'setNote', run: (st: Stores) => st.matches.setNote(999, 'x', AT) },
  ])('$op throws NOT_FOUND for an unknown match', ({ run }) => {
    expect(() => run(s)).toThrowCode('NOT_FOUND');
  });
});

describe('MatchStore.page', () => {
  it('pages newest first by id', () => {
    const first = s.matches.page({ limit: 2 });
    expect(first.matches.map((m) => m.logIndex)).toEqual([412_114, 412_102]);
    const rest = s.matches.page({ limit: 2, beforeId: first.nextBeforeId! });
    expect(rest.matches.map((m) => m.logIndex)).toEqual([412_101]);
    expect(rest.nextBeforeId).toBeUndefined();
  });

  it.each([
    { desc: 'watch', query: { watchName: 'github:acme/widget' }, want: [412_102, 412_101] },
    { desc: 'classification', query: { classification: 'untrusted' as const }, want: [412_102] },
    { desc: 'origin', query: { origin: 'other.example' }, want: [] },
    { desc: 'triage', query: { triage: 'acknowledged' as const }, want: [412_101] },
  ])('filters by $desc', ({ query, want }) => {
    s.matches.acknowledge(found[0]!.id, AT);
    expect(s.matches.page(query).matches.map((m) => m.logIndex)).toEqual(want);
  });

  it('returns the stored evidence byte for byte', () => {
    const stored = s.matches.get(found[2]!.id)!;
    const real = realV2Match();
    expect(stored.entryBytes).toEqual(real.entryBytes);
    expect(stored.leafHash).toEqual(real.leafHash);
    expect(stored.inclusionProof).toEqual(real.inclusionProof);
    expect(stored.checkpoint).toEqual(real.checkpoint);
    expect(stored.signer).toEqual(real.signer);
  });
});

describe('MatchStore.summariesAfter and getSummary', () => {
  it('returns every match after afterId through throughId, oldest first, without evidence', () => {
    s.matches.setNote(found[1]!.id, 'seen in CI', AT);
    s.matches.acknowledge(found[1]!.id, AT + 1);
    const summaries = s.matches.summariesAfter(0, found[2]!.id, 500);
    const want = found.map((m) => {
      const { entryBytes, leafHash, inclusionProof, checkpoint, ...rest } = s.matches.get(m.id)!;
      expect(entryBytes.length).toBeGreaterThan(0);
      expect(inclusionProof.length).toBeGreaterThan(0);
      return {
        ...rest,
        leafHashHex: encodeHex(leafHash),
        checkpoint: { treeSize: checkpoint.treeSize },
      };
    });
    expect(summaries).toEqual(want);
    expect(summaries[1]).toMatchObject({ note: 'seen in CI', triage: 'acknowledged' });
    expect(found.map((m) => s.matches.getSummary(m.id))).toEqual(want);
  });

  it('has no summary for an unknown id', () => {
    expect(s.matches.getSummary(99)).toBeUndefined();
  });

  it.each([
    { desc: 'starts after afterId', afterId: 1, throughId: 3, limit: 10, want: [2, 3] },
    { desc: 'stops at throughId', afterId: 0, throughId: 2, limit: 10, want: [1, 2] },
    { desc: 'returns at most limit', afterId: 0, throughId: 3, limit: 2, want: [1, 2] },
    { desc: 'is empty past the newest', afterId: 3, throughId: 9, limit: 10, want: [] },
  ])('$desc', ({ afterId, throughId, limit, want }) => {
    expect(found.map((m) => m.id)).toEqual([1, 2, 3]);
    const got = s.matches.summariesAfter(afterId, throughId, limit).map((m) => m.id);
    expect(got).toEqual(want);
  });

  it.each([
    { desc: 'a negative afterId', afterId: -1, throughId: 3, limit: 10 },
    { desc: 'a fractional throughId', afterId: 0, throughId: 1.5, limit: 10 },
    { desc: 'a limit of 0', afterId: 0, throughId: 3, limit: 0 },
    { desc: 'a limit over 500', afterId: 0, throughId: 3, limit: 501 },
  ])('rejects $desc', ({ afterId, throughId, limit }) => {
    expect(() => s.matches.summariesAfter(afterId, throughId, limit)).toThrowCode('INVALID_INPUT');
  });
});
