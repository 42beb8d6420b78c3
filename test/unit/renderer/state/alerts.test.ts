import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/result';
import { AlertsState } from '../../../../renderer/src/lib/state/alerts.svelte';
import { deferred, fakeApi } from '../fake-api';

const alert = (id: number, over: Partial<AlertView> = {}): AlertView => ({
  id,
  kind: 'match',
  severity: 'high',
  title: `unexpected signing ${id}`,
  body: 'identity: x',
  raisedAtMs: 1_700_000_000_000 + id,
  state: 'new',
  ...over,
});

describe('AlertsState', () => {
  it('loads untriaged alerts first when refreshed without a filter argument', async () => {
    const api = fakeApi({ 'alerts:list': () => ok({ alerts: [alert(2), alert(1)] }) });
    const state = new AlertsState(api);
    await state.refresh();
    expect(api.calls).toEqual([{ command: 'alerts:list', args: [{ state: 'new' }] }]);
    expect(state.alerts.map((a) => a.id)).toEqual([2, 1]);
    expect(state.nextBeforeId).toBeNull();
  });

  it('appends the next page with the cursor when more is called', async () => {
    const api = fakeApi({
      'alerts:list': (q) =>
        q.beforeId === undefined
          ? ok({ alerts: [alert(3)], nextBeforeId: 3 })
          : ok({ alerts: [alert(2), alert(1)] }),
    });
    const state = new AlertsState(api);
    await state.refresh(null);
    await state.more();
    expect(api.calls[1]).toEqual({ command: 'alerts:list', args: [{ beforeId: 3 }] });
    expect(state.alerts.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(state.nextBeforeId).toBeNull();
  });

  it('keeps the newest answer when an older request resolves last', async () => {
    const slow = deferred<ReturnType<typeof ok<{ alerts: AlertView[] }>>>();
    const api = fakeApi({
      'alerts:list': (q) => (q.state === 'new' ? slow.promise : ok({ alerts: [alert(9)] })),
    });
    const state = new AlertsState(api);
    const first = state.refresh('new');
    await state.refresh(null);
    slow.resolve(ok({ alerts: [alert(1)] }));
    await first;
    expect(state.filter).toBeNull();
    expect(state.alerts.map((a) => a.id)).toEqual([9]);
  });

  it('shows the saved note on the alert, and clears it', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(1), alert(2, { kind: 'log-inconsistent' })] }),
      'alerts:note': (id, note) =>
        ok(alert(id, { kind: 'log-inconsistent', ...(note !== '' && { note }) })),
    });
    const state = new AlertsState(api);
    await state.refresh(null);
    await state.note(2, 'the operator is on it');
    expect(api.calls.at(-1)).toEqual({
      command: 'alerts:note',
      args: [2, 'the operator is on it'],
    });
    expect(state.alerts.find((a) => a.id === 2)?.note).toBe('the operator is on it');
    expect(state.notice).toBe('note saved on alert 2');
    await state.note(2, '');
    expect(state.alerts.find((a) => a.id === 2)).not.toHaveProperty('note');
    expect(state.notice).toBe('note of alert 2 cleared');
  });

  it('replaces the alert with the acknowledged one when acknowledge succeeds', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(1), alert(2)] }),
      'alerts:acknowledge': (id) => ok(alert(id, { state: 'acknowledged' })),
    });
    const state = new AlertsState(api);
    await state.refresh();
    const before = state.alerts;
    await state.acknowledge(2);
    expect(state.alerts).not.toBe(before);
    expect(state.alerts.map((a) => a.state)).toEqual(['new', 'acknowledged']);
    expect(state.notice).toBe('alert 2 acknowledged');
  });

  it('says what the watch now accepts when an alert is marked expected', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(1)] }),
      'alerts:expect': (id) =>
        ok({
          alert: alert(id, { state: 'expected' }),
          added: { workflows: ['.github/workflows/release.yml'], refs: [], triggers: ['push'] },
          notAdded: [],
        }),
    });
    const state = new AlertsState(api);
    await state.refresh();
    await state.expect(1);
    expect(state.alerts[0]?.state).toBe('expected');
    expect(state.notice).toBe(
      'alert 1 marked expected; the watch now accepts .github/workflows/release.yml, push',
    );
  });

  it('keeps the list and shows the error when triage fails', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(1)] }),
      'alerts:expect': () => fail('INVALID_INPUT', 'a log alert cannot be marked expected'),
    });
    const state = new AlertsState(api);
    await state.refresh();
    await state.expect(1);
    expect(state.alerts[0]?.state).toBe('new');
    expect(state.error).toEqual({
      code: 'INVALID_INPUT',
      message: 'a log alert cannot be marked expected',
    });
  });
});
