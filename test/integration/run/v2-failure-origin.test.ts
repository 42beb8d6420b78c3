// A Rekor v2 log that signs as `host:port` (every private or local deployment on a non-default
// port) and later fails before its checkpoint is read: the failure is recorded on the log the
// data dir follows, under `host:port`, not on a hostname row nobody sees.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import { HOST_PORT_NAMING, type FakeLog } from '../../../electron/demo/fake-log/index';
import { runVigil, startNamedFakeLog, writeTrustedRootFor } from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

interface StatusLog {
  readonly origin: string;
  readonly lastError: { readonly code: string } | null;
}

it("records a host:port v2 log's later discovery failure on that log's own health", async () => {
  log = await startNamedFakeLog(HOST_PORT_NAMING);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-v2-origin-'));
  const data = join(dir, 'data');
  const base = ['run', '--once', '--json', '--data-dir', data];
  const trust = ['--trusted-root', writeTrustedRootFor(dir, [log], createTestCa())];
  log.v2.grow(20);
  const first = await runVigil([...base, ...trust]);
  expect(first.code).toBe(0);
  expect(log.v2.origin).toMatch(/:\d+$/);

  // The tiles log's checkpoint now fails every time: a server error, retried, then reported.
  log.faults.push({ match: /\/checkpoint$/, status: 503 });
  const second = await runVigil([...base, ...trust]);
  expect(second.code).toBe(1);

  const status = await runVigil(['status', '--json', '--data-dir', data]);
  const logs = (JSON.parse(status.out) as { logs: StatusLog[] }).logs;
  const v2 = logs.find((l) => l.origin === log!.v2.origin);
  expect(v2?.lastError?.code).toBeDefined();
  // No row for the bare hostname appeared beside it.
  expect(logs.map((l) => l.origin)).not.toContain(new URL(log.url).hostname);
}, 60_000);
