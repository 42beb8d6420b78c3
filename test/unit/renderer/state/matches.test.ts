import { describe, expect, it } from 'vitest';
import type { MatchDetailView } from '../../../../shared/domain';
import { ok, type Result } from '../../../../shared/result';
import { MatchesState } from '../../../../renderer/src/lib/state/matches.svelte';
import { deferred, fakeApi } from '../fake-api';

const detail = (id: number) => ({ id, origin: 'log.example' }) as unknown as MatchDetailView;

describe('MatchesState', () => {
  it('filters by classification when refreshed with one', async () => {
    const api = fakeApi({ 'matches:list': () => ok({ matches: [] }) });
    const state = new MatchesState(api);
    await state.refresh('untrusted');
    expect(api.calls[0]).toEqual({
      command: 'matches:list',
      args: [{ classification: 'untrusted' }],
    });
  });

  it('opens the match chosen last when two inspections overlap', async () => {
    const first = deferred<Result<MatchDetailView>>();
    const api = fakeApi({ 'matches:get': (id) => (id === 1 ? first.promise : ok(detail(2))) });
    const state = new MatchesState(api);
    const slow = state.select(1);
    await state.select(2);
    first.resolve(ok(detail(1)));
    await slow;
    expect(state.selected?.id).toBe(2);
  });

  it('ignores an inspection that resolves after the inspector was closed', async () => {
    const reply = deferred<Result<MatchDetailView>>();
    const api = fakeApi({ 'matches:get': () => reply.promise });
    const state = new MatchesState(api);
    const pending = state.select(1);
    state.close();
    reply.resolve(ok(detail(1)));
    await pending;
    expect(state.selected).toBeNull();
  });
});
