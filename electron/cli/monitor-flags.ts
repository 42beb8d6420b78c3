// Flags shared by the commands that open the monitor's data dir: where the state lives, which
// trust material to use, which logs to follow.
import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { UsageError } from './command';
import type { CliIo } from './command';
import { InputError } from '../core/errors';
import { parseDurationMs } from '../monitor/jobs/start-index';
import { parseLogSelector, type LogSelector } from '../monitor/logs-from-trust';
import { resolveDataDir } from '../monitor/paths';
import { envSecretStore } from '../monitor/alerts/env-secret-store';
import { MonitorService, type MonitorOptions } from '../monitor/service';

export const DATA_DIR_FLAGS = { 'data-dir': 'string' } as const;

export const TRUST_FLAGS = {
  'trusted-root': 'string',
  'tuf-mirror': 'string',
  'tuf-root': 'string',
  log: 'multi',
} as const;

export const DATA_DIR_USAGE = `  --data-dir DIR        state folder (default: $VIGIL_DATA_DIR, else the app's user-data folder)`;

export const TRUST_USAGE = `  --trusted-root FILE   use this trusted_root.json and never contact TUF (private Sigstore)
  --tuf-mirror URL      TUF repository to refresh trust from (default Sigstore's);
  --tuf-root FILE         with the private repository's root.json to start from
  --log URL             follow only this log (repeatable); prefix v1: or v2: to force the API`;

interface Flags {
  readonly 'data-dir'?: string;
  readonly 'trusted-root'?: string;
  readonly 'tuf-mirror'?: string;
  readonly 'tuf-root'?: string;
  readonly log?: readonly string[];
}

/** The data dir the flags and environment select (created if missing). */
export function dataDirFrom(flags: Flags, io: CliIo): string {
  const dataDir = resolveDataDir({
    ...(flags['data-dir'] !== undefined && { dataDir: flags['data-dir'] }),
    env: io.env,
    platform: process.platform,
  });
  mkdirSync(dataDir, { recursive: true });
  return dataDir;
}

/** Monitor options from the shared flags. Throws UsageError for inconsistent trust flags. */
export function monitorOptionsFrom(flags: Flags, io: CliIo): MonitorOptions {
  if (
    flags['trusted-root'] !== undefined &&
    (flags['tuf-mirror'] ?? flags['tuf-root']) !== undefined
  ) {
    throw new UsageError('--trusted-root excludes --tuf-mirror and --tuf-root');
  }
  if ((flags['tuf-mirror'] === undefined) !== (flags['tuf-root'] === undefined)) {
    throw new UsageError('--tuf-mirror and --tuf-root go together');
  }
  let logs: LogSelector[];
  try {
    logs = (flags.log ?? []).map(parseLogSelector);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  let tufRootJson: Uint8Array | undefined;
  if (flags['tuf-root'] !== undefined) {
    try {
      tufRootJson = readFileSync(flags['tuf-root']);
    } catch (err) {
      throw new InputError(
        'FILE_UNREADABLE',
        `--tuf-root ${flags['tuf-root']}: ${(err as Error).message}`,
      );
    }
  }
  return {
    dataDir: dataDirFrom(flags, io),
    trust: {
      ...(flags['trusted-root'] !== undefined && { trustedRootFile: flags['trusted-root'] }),
      ...(flags['tuf-mirror'] !== undefined && { tufMirror: flags['tuf-mirror'] }),
      ...(tufRootJson && { tufRootJson }),
    },
    logs,
    secrets: envSecretStore(io.env),
    matchWorker: io.runtime?.matchWorker ?? MATCH_WORKER,
  };
}

/** The matching worker run from the sources: a launcher that loads match-worker.ts through tsx. */
export const MATCH_WORKER = new URL('./match-worker.cjs', import.meta.url);

/** Opens the monitor for a command and closes it when `fn` settles. */
export async function withMonitor<T>(
  options: MonitorOptions,
  fn: (service: MonitorService) => Promise<T> | T,
): Promise<T> {
  const service = MonitorService.open(options);
  try {
    return await fn(service);
  } finally {
    service.close();
  }
}

/** `--interval`: the time between monitoring passes, default 5 minutes. Throws UsageError. */
export function intervalFrom(text: string | undefined): number {
  if (text === undefined) return 300_000;
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new UsageError(`--interval ${text}: want e.g. 30s, 5m, 1h`);
  return ms;
}
