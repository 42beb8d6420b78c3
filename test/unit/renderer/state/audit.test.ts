import { describe, expect, it } from 'vitest';
import type { AuditEventView, AuditPageQuery } from '../../../../shared/domain';
import { ok } from '../../../../shared/result';
import { AUDIT_PAGE_SIZE, AuditState } from '../../../../renderer/src/lib/state/audit.svelte';
import { fakeApi } from '../fake-api';

const event = (seq: number): AuditEventView => ({
  seq,
  atMs: seq * 1000,
  kind: 'checkpoint.verified',
  detail: {},
  prevHashHex: '00',
  hashHex: '11',
});

/** A timeline of `total` events served in pages of 2, newest first, like the store. */
function timeline(total: number) {
  return (q: AuditPageQuery) => {
    const top = (q.beforeSeq ?? total + 1) - 1;
    const seqs = [top, top - 1].filter((s) => s >= 1);
    const last = seqs[seqs.length - 1]!;
    return ok({
      events: seqs.map(event),
      ...(last > 1 && { nextBeforeSeq: last }),
    });
  };
}

describe('AuditState', () => {
  it('pages older and back newer with keyset cursors', async () => {
    const api = fakeApi({ 'audit:page': timeline(5) });
    const state = new AuditState(api);
    await state.refresh();
    expect(state.events.map((e) => e.seq)).toEqual([5, 4]);
    expect(state.page).toBe(1);
    await state.older();
    expect(state.events.map((e) => e.seq)).toEqual([3, 2]);
    await state.older();
    expect(state.events.map((e) => e.seq)).toEqual([1]);
    expect(state.hasOlder).toBe(false);
    expect(state.page).toBe(3);
    await state.newer();
    expect(state.events.map((e) => e.seq)).toEqual([3, 2]);
    await state.newer();
    expect(state.events.map((e) => e.seq)).toEqual([5, 4]);
    expect(state.page).toBe(1);
  });

  it('asks for nothing when paging past either end', async () => {
    const api = fakeApi({ 'audit:page': timeline(1) });
    const state = new AuditState(api);
    await state.refresh();
    await state.older();
    await state.newer();
    expect(api.calls).toHaveLength(1);
  });

  it('sends only the filters given and restarts at the newest page when filtered', async () => {
    const api = fakeApi({ 'audit:page': timeline(5) });
    const state = new AuditState(api);
    await state.refresh();
    await state.older();
    await state.refresh({ kind: 'match.found', text: '' });
    expect(api.calls.at(-1)?.args).toEqual([{ limit: AUDIT_PAGE_SIZE, kind: 'match.found' }]);
    expect(state.page).toBe(1);
  });

  it('shows where the chain breaks when verified', async () => {
    const api = fakeApi({
      'audit:verify': () => ok({ intact: false, brokenAtSeq: 7, reason: 'hash mismatch' }),
    });
    const state = new AuditState(api);
    await state.verify();
    expect(state.verification).toEqual({ intact: false, brokenAtSeq: 7, reason: 'hash mismatch' });
  });
});
