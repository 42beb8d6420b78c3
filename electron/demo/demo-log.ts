// The simulated Sigstore of `vigil demo`, on 127.0.0.1: a Rekor v1 log and a Rekor v2
// (tlog-tiles) log with their own keys, a Fulcio-like CA, and the trusted_root.json that names
// them, so the monitor runs its real trust, verification and matching pipeline against them.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa, type TestCa } from './cert-factory';
import { startFakeLog, type FakeLog } from './fake-log/index';
import { fakeTrustedRoot } from './fake-trust';

export interface DemoLog {
  readonly log: FakeLog;
  readonly ca: TestCa;
  /** The trusted_root.json written into the data dir. */
  readonly trustedRootPath: string;
}

export async function startDemoLog(dataDir: string, nowS: () => number): Promise<DemoLog> {
  const log = await startFakeLog({
    v1: (url) => ({ host: new URL(url).host, integratedTime: () => nowS() }),
    v2: (url) => ({ origin: new URL(url).host, prefix: '/v2' }),
  });
  // Some history before the monitor starts, so the first checkpoint is not empty.
  log.v1.grow(200);
  log.v2.grow(500);
  const ca = createTestCa();
  const trustedRootPath = join(dataDir, 'demo-trusted_root.json');
  writeFileSync(trustedRootPath, JSON.stringify(fakeTrustedRoot(log, ca), null, 2));
  return { log, ca, trustedRootPath };
}
