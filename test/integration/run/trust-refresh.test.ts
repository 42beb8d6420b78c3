import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../shared/events';
import { parseWatchlist } from '../../../electron/core/watch/watchlist';
import { MonitorService } from '../../../electron/monitor/service';
import { createTestCa } from '../../../electron/demo/cert-factory';
import { HOST_PORT_NAMING, type FakeLog } from '../../../electron/demo/fake-log/index';
import {
  EVIL,
  Planter,
  WATCHLIST_YAML,
  WIDGET,
  startNamedFakeLog,
  writeTrustedRootFor,
} from '../../support/run-helpers';

const logs: FakeLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
});

describe('MonitorService.start', () => {
  it('follows a log the refreshed trust material adds, from its first entry', async () => {
    // Two logs on one host: only host:port tells their origins apart.
    const a = await startNamedFakeLog(HOST_PORT_NAMING);
    const b = await startNamedFakeLog(HOST_PORT_NAMING);
    logs.push(a, b);
    const ca = createTestCa();
    a.v2.grow(10);
    b.v2.grow(30);
    const planted = new Planter(b, ca);
    planted.v2(EVIL, 'trusted', [WIDGET, 'unexpected']);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-refresh-'));
    // Only log A at first.
    const trustedRoot = writeTrustedRootFor(dir, [a], ca);
    const service = MonitorService.open({
      dataDir: join(dir, 'data'),
      trust: { trustedRootFile: trustedRoot },
    });
    service.watchlist.replace(parseWatchlist(WATCHLIST_YAML).watches);
    const stop = new AbortController();
    const giveUp = setTimeout(() => stop.abort(), 20_000);
    const events: MonitorEvent[] = [];
    let refreshed = false;
    service.on((e) => {
      events.push(e);
      if (e.type === 'checkpoint.verified' && e.origin === a.v2.origin && !refreshed) {
        refreshed = true;
        // The trust material now lists B's shard too (a new shard appearing in TUF).
        writeTrustedRootFor(dir, [a, b], ca);
      }
      if (e.type === 'match' && e.origin === b.v2.origin) stop.abort();
    });
    await service.monitoring.start({
      intervalMs: 3_600_000,
      trustRefreshMs: 200,
      signal: stop.signal,
    });
    clearTimeout(giveUp);
    service.close();

    const matches = events.filter((e) => e.type === 'match');
    expect(matches).toEqual([
      expect.objectContaining({ origin: b.v2.origin, logIndex: 30, watch: WIDGET }),
    ]);
  });
});
