// A fake log with a history in time, for the first run's catch-up: Rekor v1 entry i is
// integrated one minute after entry i - 1, the newest just now, so the last 24 hours are the
// last 1,440 entries. Two watched signings by acme/widget's release workflow are planted: one
// 8 hours ago (inside 24 h) and one 33 hours ago (inside 7 days only). A MonitorService on a
// fresh data dir follows it (its v1 log and its tlog-tiles log) on a manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, entryBodyFor } from '../../electron/demo/cert-factory';
import { startFakeLog, type FakeLog } from '../../electron/demo/fake-log/index';
import { signingCertificate } from '../../electron/demo/signers';
import { MonitorService } from '../../electron/monitor/service';
import { writeTrustedRootFor } from './run-helpers';

/** Entries in the v1 log: 50 hours of one a minute. */
export const V1_SIZE = 3000;
/** Where the two signings sit: 8 hours and 33 hours before the newest entry. */
export const RECENT_INDEX = V1_SIZE - 1 - 8 * 60;
export const OLDER_INDEX = V1_SIZE - 1 - 33 * 60;

export interface CatchUpLog {
  readonly log: FakeLog;
  readonly dir: string;
  readonly service: MonitorService;
  readonly clock: { nowMs: number };
  close(): Promise<void>;
}

export async function startCatchUpLog(): Promise<CatchUpLog> {
  // Now, so that the browser journeys show the times as a user would see them.
  const nowS = Math.floor(Date.now() / 1000);
  const atS = (i: number) => nowS - (V1_SIZE - 1 - i) * 60;
  const log = await startFakeLog({
    v1: (url) => ({ host: new URL(url).host, integratedTime: atS }),
    v2: (url) => ({ origin: new URL(url).host, prefix: '/v2' }),
  });
  const ca = createTestCa();
  const release = {
    repo: 'acme/widget',
    workflow: '.github/workflows/release.yml',
    ref: 'refs/tags/v1.2.3',
  };
  log.v1.grow(OLDER_INDEX);
  log.v1.append([
    entryBodyFor(
      signingCertificate(ca, release, 'trusted', atS(OLDER_INDEX)),
      'hashedrekord@0.0.1',
    ),
  ]);
  log.v1.grow(RECENT_INDEX - OLDER_INDEX - 1);
  log.v1.append([
    entryBodyFor(
      signingCertificate(ca, release, 'trusted', atS(RECENT_INDEX)),
      'hashedrekord@0.0.1',
    ),
  ]);
  log.v1.grow(V1_SIZE - RECENT_INDEX - 1);
  log.v2.grow(300);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-catch-up-'));
  const clock = { nowMs: nowS * 1000 + 30_000 };
  const service = MonitorService.open({
    dataDir: dir,
    trust: { trustedRootFile: writeTrustedRootFor(dir, [log], ca) },
    now: () => clock.nowMs,
  });
  return {
    log,
    dir,
    service,
    clock,
    close: async () => {
      await service.catchUp.settled();
      service.close();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
