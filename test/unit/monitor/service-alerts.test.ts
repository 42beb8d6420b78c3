import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubSigner, notPlainJson, openHarness, T0, type Harness } from './service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.service.watchlist.add({
    github: 'acme/widget',
    expect: { workflows: ['.github/workflows/ci.yml'] },
  });
});
afterEach(() => h.close());

/** One unexpected signing (alert 1, match 1) and a log-inconsistent alert (alert 2). */
function seed() {
  const { alerts, matches } = h.seed([
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ ref: 'refs/tags/v2.0.0', trigger: 'release' }),
    },
  ]);
  const logAlert = h.service.stores.alerts.raise({
    kind: 'log-inconsistent',
    dedupeKey: 'inconsistent|1',
    origin: h.log.origin,
    summary: 'root hash differs at size 4',
    atMs: T0 + 1,
  })!;
  return { matchAlert: alerts[0]!, match: matches[0]!, logAlert };
}

describe('MonitorService.listAlerts', () => {
  it('lists alerts newest first, match alerts with their match', () => {
    const { matchAlert, match, logAlert } = seed();
    const page = h.service.alerts.list();
    expect(page.alerts.map((a) => a.id)).toEqual([logAlert.id, matchAlert.id]);
    expect(page.alerts[1]).toMatchObject({
      kind: 'match',
      severity: 'high',
      matchId: match.id,
      logIndex: match.logIndex,
      watch: 'github:acme/widget',
      classification: 'unexpected',
      state: 'new',
    });
    expect(page.alerts[0]).toMatchObject({ kind: 'log-inconsistent', severity: 'critical' });
    expect(page.alerts[0]).not.toHaveProperty('matchId');
    expect(notPlainJson(page)).toBeUndefined();
  });

  it('filters by state and pages by id', () => {
    const { matchAlert, logAlert } = seed();
    h.service.alerts.acknowledge(logAlert.id);
    expect(h.service.alerts.list({ state: 'new' }).alerts.map((a) => a.id)).toEqual([
      matchAlert.id,
    ]);
    const first = h.service.alerts.list({ limit: 1 });
    expect(first.nextBeforeId).toBe(logAlert.id);
    expect(h.service.alerts.list({ beforeId: first.nextBeforeId! }).alerts).toHaveLength(1);
  });

  it.each([{ state: 'seen' }, { limit: 1000 }, { beforeId: 0 }, { kind: 'match' }])(
    'rejects query %j with INVALID_INPUT',
    (query) => {
      expect(() => h.service.alerts.list(query as never)).toThrowCode('INVALID_INPUT');
    },
  );
});

describe('MonitorService.acknowledgeAlert', () => {
  it('acknowledges the alert and its match, and audits it', () => {
    const { matchAlert, match } = seed();
    expect(h.service.alerts.acknowledge(matchAlert.id).state).toBe('acknowledged');
    expect(h.service.matches.get(match.id).triage).toBe('acknowledged');
    expect(h.service.audit.page({ kind: 'alert.triaged' }).events).toHaveLength(1);
  });

  it('throws NOT_FOUND for an unknown alert', () => {
    expect(() => h.service.alerts.acknowledge(42)).toThrowCode('NOT_FOUND');
  });
});

describe('MonitorService.expectAlert', () => {
  it("adds the signing's workflow and trigger to the watch and reports them", () => {
    const { matchAlert, match } = seed();
    const result = h.service.alerts.expect(matchAlert.id);
    expect(result.alert).toMatchObject({ id: matchAlert.id, state: 'expected' });
    expect(result.added).toEqual({
      workflows: ['.github/workflows/release.yml'],
      refs: [],
      triggers: [],
    });
    expect(result.watch?.item.expect).toEqual({
      workflows: ['.github/workflows/ci.yml', '.github/workflows/release.yml'],
    });
    expect(h.service.matches.get(match.id).triage).toBe('expected');
    expect(notPlainJson(result)).toBeUndefined();
  });

  it('refuses a log alert: log misbehaviour is never expected', () => {
    const { logAlert } = seed();
    expect(() => h.service.alerts.expect(logAlert.id)).toThrowCode('INVALID_INPUT');
    expect(h.service.alerts.list({ state: 'expected' }).alerts).toEqual([]);
  });
});

describe('MonitorService.noteAlert', () => {
  it('keeps the note on the match, and removes it with an empty note', () => {
    const { matchAlert, match } = seed();
    expect(h.service.alerts.note(matchAlert.id, 'release by Alice').note).toBe('release by Alice');
    expect(h.service.matches.get(match.id).note).toBe('release by Alice');
    expect(h.service.alerts.list().alerts.find((a) => a.id === matchAlert.id)?.note).toBe(
      'release by Alice',
    );
    expect(h.service.alerts.note(matchAlert.id, '')).not.toHaveProperty('note');
    expect(h.service.matches.get(match.id)).not.toHaveProperty('note');
  });

  it.each([
    { desc: 'a note over 10000 characters', note: 'x'.repeat(10_001) },
    { desc: 'a non-string note', note: 5 },
    { desc: 'a lone surrogate', note: '\udc00' },
  ])('rejects $desc with INVALID_INPUT', ({ note }) => {
    const { matchAlert } = seed();
    expect(() => h.service.alerts.note(matchAlert.id, note as never)).toThrowCode('INVALID_INPUT');
  });

  it('keeps the note of a log alert on the alert, and audits it', () => {
    const { logAlert } = seed();
    expect(h.service.alerts.note(logAlert.id, 'operator says: rollback')).toMatchObject({
      id: logAlert.id,
      note: 'operator says: rollback',
    });
    expect(h.service.alerts.list().alerts.find((a) => a.id === logAlert.id)?.note).toBe(
      'operator says: rollback',
    );
    expect(h.service.alerts.note(logAlert.id, '')).not.toHaveProperty('note');
    const noted = h.service.stores.audit.page({ kind: 'alert.noted' }).events;
    expect(noted.map((e) => e.detail)).toEqual([
      { alertId: logAlert.id, note: '' },
      { alertId: logAlert.id, note: 'operator says: rollback' },
    ]);
    expect(() => h.service.alerts.note(logAlert.id, 'x'.repeat(10_001))).toThrowCode(
      'INVALID_INPUT',
    );
  });

  it('reports an unknown alert as NOT_FOUND', () => {
    seed();
    expect(() => h.service.alerts.note(999, 'seen')).toThrowCode('NOT_FOUND');
  });
});
