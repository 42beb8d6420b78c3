import { describe, expect, it } from 'vitest';
import type { AlertListPage, AlertView, SignerView } from '../../../../shared/domain';
import { fail, ok, type Result } from '../../../../shared/result';
import { AlertsState, ALERT_PAGE } from '../../../../renderer/src/lib/state/alerts.svelte';
import { deferred, fakeApi } from '../fake-api';

const signer = (file: string, ref: string): SignerView => ({
  type: 'x509',
  sans: [{ type: 'uri', value: `https://github.com/acme/widget/${file}@${ref}` }],
  repository: 'https://github.com/acme/widget',
  workflow: `https://github.com/acme/widget/${file}@${ref}`,
  ref,
  trigger: 'push',
  spkiSha256Hex: 'ab',
  chain: 'trusted',
});

const alert = (id: number, over: Partial<AlertView> = {}): AlertView => ({
  id,
  kind: 'match',
  severity: 'high',
  title: `unexpected signing ${id}`,
  body: 'identity: x',
  raisedAtMs: 1_700_000_000_000 + id,
  state: 'new',
  watch: 'github:acme/widget',
  matchId: id,
  identity: signer('.github/workflows/evil.yml', 'refs/heads/x'),
  ...over,
});

const logAlert = (id: number): AlertView => ({
  id,
  kind: 'log-inconsistent',
  severity: 'critical',
  title: 'log rekor.sigstore.dev is inconsistent',
  body: 'root differs',
  raisedAtMs: 1_700_000_000_000 + id,
  state: 'new',
  origin: 'rekor.sigstore.dev',
});

describe('AlertsState', () => {
  it('loads every page of untriaged alerts, and groups them by watch then workflow@ref', async () => {
    const api = fakeApi({
      'alerts:list': (q) =>
        q.beforeId === undefined
          ? ok({ alerts: [alert(5), alert(4)], nextBeforeId: 4 })
          : ok({
              alerts: [
                alert(3, { identity: signer('.github/workflows/release.yml', 'refs/tags/v1') }),
                logAlert(2),
                alert(1),
              ],
            }),
    });
    const state = new AlertsState(api);
    await state.refresh();
    expect(api.calls).toEqual([
      { command: 'alerts:list', args: [{ state: 'new', limit: ALERT_PAGE }] },
      { command: 'alerts:list', args: [{ state: 'new', beforeId: 4, limit: ALERT_PAGE }] },
    ]);
    // The critical log alert first; then the watch's identities, the one with most recent first.
    expect(
      state.rows.map((r) => [r.group.label, r.identity.label, r.identity.alerts.length]),
    ).toEqual([
      ['Log rekor.sigstore.dev', 'log rekor.sigstore.dev is inconsistent', 1],
      ['github:acme/widget', '.github/workflows/evil.yml@refs/heads/x', 3],
      ['github:acme/widget', '.github/workflows/release.yml@refs/tags/v1', 1],
    ]);
    expect(state.groups.find((g) => g.key === 'github:acme/widget')?.count).toBe(4);
    expect(state.selectedRow?.group.kind).toBe('log');
  });

  it('shows the first page while the rest load, then the real first row selected', async () => {
    const rest = deferred<Result<AlertListPage>>();
    const api = fakeApi({
      'alerts:list': (q) =>
        q.beforeId === undefined
          ? ok({ alerts: [alert(5), alert(4)], nextBeforeId: 4 })
          : rest.promise,
    });
    const state = new AlertsState(api);
    const loading = state.refresh();
    await expect.poll(() => state.alerts.length).toBe(2);
    expect(state.loading).toBe(true);
    expect(state.selectedRow?.group.key).toBe('github:acme/widget');
    rest.resolve(ok({ alerts: [logAlert(3)] }));
    await loading;
    expect(state.loading).toBe(false);
    expect(state.alerts.map((a) => a.id)).toEqual([5, 4, 3]);
    // Nobody chose the watch row: the critical log alert, now first, is selected.
    expect(state.selectedRow?.group.kind).toBe('log');
  });

  it('keeps a row the user chose while the rest loaded', async () => {
    const rest = deferred<Result<AlertListPage>>();
    const api = fakeApi({
      'alerts:list': (q) =>
        q.beforeId === undefined
          ? ok({ alerts: [alert(5), alert(4)], nextBeforeId: 4 })
          : rest.promise,
    });
    const state = new AlertsState(api);
    const loading = state.refresh();
    await expect.poll(() => state.alerts.length).toBe(2);
    const chosen = state.rows[0]!.key;
    state.select(chosen, 4);
    rest.resolve(ok({ alerts: [logAlert(3)] }));
    await loading;
    expect(state.selectedKey).toBe(chosen);
  });

  it('filters by severity, watch and text without asking the engine again', async () => {
    const api = fakeApi({ 'alerts:list': () => ok({ alerts: [alert(3), logAlert(2), alert(1)] }) });
    const state = new AlertsState(api);
    await state.refresh();
    await state.setFilters({ severity: 'critical' });
    expect(state.rows.map((r) => r.group.kind)).toEqual(['log']);
    await state.setFilters({ severity: null, watch: 'github:acme/widget' });
    expect(state.rows.map((r) => r.identity.alerts.length)).toEqual([2]);
    await state.setFilters({ watch: null, text: 'INCONSISTENT' });
    expect(state.rows).toHaveLength(1);
    expect(api.calls).toHaveLength(1);
    await state.setFilters({ text: '', state: null });
    expect(api.calls.at(-1)).toEqual({ command: 'alerts:list', args: [{ limit: ALERT_PAGE }] });
  });

  it('moves the selection with up and down, staying inside the list', async () => {
    const api = fakeApi({
      'alerts:list': () =>
        ok({
          alerts: [
            alert(3),
            alert(2, { identity: signer('.github/workflows/b.yml', 'refs/heads/b') }),
            logAlert(1),
          ],
        }),
    });
    const state = new AlertsState(api);
    await state.refresh();
    const keys = state.rows.map((r) => r.key);
    expect(state.selectedKey).toBe(keys[0]);
    state.move(1);
    state.move(1);
    state.move(1);
    expect(state.selectedKey).toBe(keys[2]);
    state.move(-1);
    expect(state.selectedKey).toBe(keys[1]);
  });

  it('acknowledges every alert of the checked rows, and hands the selection on', async () => {
    const api = fakeApi({
      'alerts:list': () =>
        ok({
          alerts: [
            alert(3),
            alert(2),
            alert(1, { identity: signer('.github/workflows/b.yml', 'refs/heads/b') }),
          ],
        }),
      'alerts:acknowledge': (id) => ok(alert(id, { state: 'acknowledged' })),
    });
    const state = new AlertsState(api);
    await state.refresh();
    const [first, second] = state.rows;
    state.toggleChecked(first!.key);
    expect(state.targets.map((a) => a.id)).toEqual([3, 2]);
    const outcome = await state.acknowledge();
    expect(outcome.done).toBe(2);
    expect(api.calls.filter((c) => c.command === 'alerts:acknowledge').map((c) => c.args)).toEqual([
      [3],
      [2],
    ]);
    expect(state.notice).toBe('2 alerts acknowledged');
    // Acknowledged alerts leave the inbox of new ones; the remaining row is selected.
    expect(state.rows.map((r) => r.key)).toEqual([second!.key]);
    expect(state.selectedKey).toBe(second!.key);
    expect(state.checked.size).toBe(0);
  });

  it('shift-click checks the range from the selected row', async () => {
    const api = fakeApi({
      'alerts:list': () =>
        ok({
          alerts: [
            alert(3),
            alert(2, { identity: signer('.github/workflows/b.yml', 'refs/heads/b') }),
            alert(1, { identity: signer('.github/workflows/c.yml', 'refs/heads/c') }),
          ],
        }),
    });
    const state = new AlertsState(api);
    await state.refresh();
    state.checkRange(state.rows[2]!.key);
    expect(state.checked.size).toBe(3);
  });

  it('previews, then marks expected only the match alerts, and says what the watch learnt', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(3), logAlert(2), alert(1)] }),
      'alerts:expect-preview': (ids) =>
        ok({
          watches: [
            {
              watch: 'github:acme/widget',
              alertIds: [...ids],
              added: { workflows: ['.github/workflows/evil.yml'], refs: [], triggers: [] },
              notAdded: [],
            },
          ],
          skipped: [],
        }),
      'alerts:expect': (id) =>
        ok({
          alert: alert(id, { state: 'expected' }),
          added: {
            workflows: id === 3 ? ['.github/workflows/evil.yml'] : [],
            refs: [],
            triggers: [],
          },
          notAdded: [],
        }),
    });
    const state = new AlertsState(api);
    await state.refresh();
    state.setAllChecked(true);
    const preview = await state.previewExpect();
    expect(api.calls.at(-1)).toEqual({ command: 'alerts:expect-preview', args: [[3, 1]] });
    expect(preview?.watches[0]?.added.workflows).toEqual(['.github/workflows/evil.yml']);
    await state.expect();
    expect(api.calls.filter((c) => c.command === 'alerts:expect').map((c) => c.args)).toEqual([
      [3],
      [1],
    ]);
    expect(state.notice).toBe(
      '2 alerts marked expected; the watch now accepts .github/workflows/evil.yml',
    );
  });

  it('opens the alert a notification names, looking in every state when it is triaged', async () => {
    const api = fakeApi({
      'alerts:list': (q) =>
        q.state === 'new'
          ? ok({ alerts: [alert(3)] })
          : ok({ alerts: [alert(3), alert(1, { state: 'acknowledged' })] }),
    });
    const state = new AlertsState(api);
    await state.open(1);
    expect(state.filters.state).toBeNull();
    expect(state.selectedAlert?.id).toBe(1);
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
    expect(state.filters.state).toBeNull();
    expect(state.alerts.map((a) => a.id)).toEqual([9]);
  });

  it('saves the note, and keeps the list and shows the error when triage fails', async () => {
    const api = fakeApi({
      'alerts:list': () => ok({ alerts: [alert(1)] }),
      'alerts:note': (id, note) => ok(alert(id, { note })),
      'alerts:acknowledge': () => fail('NOT_FOUND', 'alert 1 not found'),
    });
    const state = new AlertsState(api);
    await state.refresh();
    expect(await state.note(1, 'cut by Alice')).toBe(true);
    expect(state.alerts[0]?.note).toBe('cut by Alice');
    const outcome = await state.acknowledge([1]);
    expect(outcome.failed).toHaveLength(1);
    expect(state.alerts[0]?.state).toBe('new');
    expect(state.error).toEqual({ code: 'NOT_FOUND', message: 'alert 1 not found' });
  });
});
