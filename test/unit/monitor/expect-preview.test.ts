import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubSigner, notPlainJson, openHarness, T0, type Harness } from './service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.service.watchlist.add({
    github: 'acme/widget',
    expect: { workflows: ['.github/workflows/ci.yml'], triggers: ['push'] },
  });
});
afterEach(() => h.close());

function seedTwoReleases() {
  return h.seed([
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ ref: 'refs/tags/v2.0.0', trigger: 'release' }),
    },
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ ref: 'refs/tags/v2.0.1', trigger: 'release' }),
    },
  ]);
}

describe('MonitorService.previewExpect', () => {
  it('says what marking the alerts expected would add, counting each value once, and changes nothing', () => {
    const { alerts } = seedTwoReleases();
    const before = h.service.watchlist.list();
    const preview = h.service.alerts.previewExpect(alerts.map((a) => a.id));
    expect(preview).toEqual({
      watches: [
        {
          watch: 'github:acme/widget',
          alertIds: alerts.map((a) => a.id),
          added: { workflows: ['.github/workflows/release.yml'], refs: [], triggers: ['release'] },
          notAdded: [],
        },
      ],
      skipped: [],
    });
    expect(notPlainJson(preview)).toBeUndefined();
    expect(h.service.watchlist.list()).toEqual(before);
    expect(h.service.alerts.list({ state: 'new' }).alerts).toHaveLength(2);
  });

  it('previews exactly what expectAlert then adds', () => {
    const { alerts } = seedTwoReleases();
    const ids = alerts.map((a) => a.id);
    const preview = h.service.alerts.previewExpect(ids);
    const results = ids.map((id) => h.service.alerts.expect(id));
    const applied = {
      workflows: results.flatMap((r) => r.added.workflows),
      refs: results.flatMap((r) => r.added.refs),
      triggers: results.flatMap((r) => r.added.triggers),
    };
    expect(preview.watches[0]?.added).toEqual(applied);
  });

  it('skips log alerts and alerts already expected, saying why', () => {
    const { alerts } = seedTwoReleases();
    const logAlert = h.service.stores.alerts.raise({
      kind: 'log-inconsistent',
      dedupeKey: 'inconsistent|1',
      origin: h.log.origin,
      summary: 'root hash differs at size 4',
      atMs: T0 + 1,
    })!;
    h.service.alerts.expect(alerts[0]!.id);
    const preview = h.service.alerts.previewExpect([alerts[0]!.id, logAlert.id, alerts[1]!.id]);
    expect(preview.skipped).toEqual([
      { alertId: alerts[0]!.id, why: 'already marked expected' },
      { alertId: logAlert.id, why: 'log alerts are acknowledged, never expected' },
    ]);
    // The first release already taught the watch its workflow and trigger.
    expect(preview.watches[0]?.added).toEqual({ workflows: [], refs: [], triggers: [] });
  });

  it('reports an unknown alert as NOT_FOUND', () => {
    expect(() => h.service.alerts.previewExpect([99])).toThrowCode('NOT_FOUND');
  });
});

describe('MonitorService.listAlerts identity', () => {
  it("carries a match alert's signer and reason, for grouping by workflow@ref", () => {
    const { alerts } = seedTwoReleases();
    const view = h.service.alerts.list().alerts.find((a) => a.id === alerts[0]!.id);
    expect(view?.identity).toMatchObject({
      type: 'x509',
      ref: 'refs/tags/v2.0.0',
      trigger: 'release',
      chain: 'trusted',
    });
    expect(view?.identity?.workflow).toContain('.github/workflows/release.yml');
    expect(view?.reason).toEqual(expect.any(String));
  });
});
