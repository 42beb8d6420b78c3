// Child process serving the fake log for a benchmark, so its CPU (signing checkpoints, building
// bundles) is not charged to the scanner it feeds: a real log is another machine. Started by
// startLogProcess (log-handle.ts); talks over the IPC channel; exits when the parent goes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeLog } from '../../electron/demo/fake-log/index';
import { writeFakeTrustedRoot } from '../../electron/demo/fake-trust';
import type { LogCommand, LogConfig, LogReady } from './log-handle';
import { createWorkload } from './workload';

const config = JSON.parse(process.argv[2] ?? '{}') as LogConfig;
const workload = createWorkload({ lookAlikes: config.lookAlikes ?? false });
const log = await startFakeLog({
  v1: (url) => ({ host: new URL(url).host, signedEntryTimestamps: true }),
  v2: (url) => ({ origin: new URL(url).host, prefix: '/v2' }),
});
log.v1.grow(config.v1Entries, workload.v1Entry);
log.v2.grow(config.v2Entries, workload.v2Entry);
const trustedRootFile = writeFakeTrustedRoot(
  mkdtempSync(join(tmpdir(), 'vigil-bench-trust-')),
  log,
  workload.ca,
);

process.on('message', (command: LogCommand) => {
  if (command.type === 'latency') {
    log.faults.splice(0);
    if (command.delayMs > 0) log.faults.push({ match: /./, delayMs: command.delayMs });
    process.send?.({ type: 'ok' });
  }
});
process.on('disconnect', () => {
  void log.close().finally(() => process.exit(0));
});

const ready: LogReady = {
  type: 'ready',
  url: log.url,
  v2Url: `${log.url}${log.v2.prefix}`,
  trustedRootFile,
  plantedV1: workload.planted(config.v1Entries),
  plantedV2: workload.planted(config.v2Entries),
};
process.send?.(ready);
