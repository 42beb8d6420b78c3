// A MonitorService on a real temp data dir, with a manual clock, a recording notifier, secrets
// from a plain object, and a synthetic log to seed matches and alerts through the real stores.
// Shared by the service and CLI tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertView } from '../../../shared/domain';
import { jsonLines, runCli as runSupportCli, type CliResult } from '../../support/cli';
import type { Notifier } from '../../../electron/monitor/alerts/channel';
import { envSecretStore } from '../../../electron/monitor/alerts/env-secret-store';
import { MonitorService } from '../../../electron/monitor/service';
import type { ScanCommit } from '../../../electron/monitor/store/types';
import {
  githubSigner,
  seedMatches,
  syntheticLog,
  T0,
  type SeedMatch,
  type SyntheticLog,
} from './export/synthetic-log';

export interface Harness {
  readonly dir: string;
  readonly service: MonitorService;
  readonly log: SyntheticLog;
  /** The manual clock; advance it with `clock.nowMs += …`. */
  readonly clock: { nowMs: number };
  /** Alerts the desktop notifier was asked to show. */
  readonly notified: AlertView[];
  /** The environment the SecretStore reads (VIGIL_SECRET_<NAME>). */
  readonly env: Record<string, string | undefined>;
  /** A trusted_root.json naming the synthetic log, for MonitorOptions.trust.trustedRootFile. */
  readonly trustedRootFile: string;
  /** Opens another service on the same data dir (as a second process would). */
  reopen(): MonitorService;
  seed(seeds: readonly SeedMatch[]): ScanCommit;
  close(): void;
}

/** A fresh data dir and service following a synthetic Rekor v2 log (or v1 shard). */
export function openHarness(apiVersion: 1 | 2 = 2): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-service-'));
  const log = syntheticLog(apiVersion);
  const trustedRootFile = join(dir, 'trusted_root.json');
  writeFileSync(trustedRootFile, JSON.stringify(log.trustedRootJson));
  const clock = { nowMs: T0 + 3_600_000 };
  const notified: AlertView[] = [];
  const env: Record<string, string | undefined> = {};
  const notifier: Notifier = {
    notify: async (alert) => {
      notified.push(alert);
    },
  };
  const open = () =>
    MonitorService.open({
      dataDir: dir,
      trust: { trustedRootFile },
      now: () => clock.nowMs,
      notifier,
      secrets: envSecretStore(env),
    });
  const service = open();
  const opened = [service];
  return {
    dir,
    service,
    log,
    clock,
    notified,
    env,
    trustedRootFile,
    reopen: () => {
      const again = open();
      opened.push(again);
      return again;
    },
    seed: (seeds) => seedMatches(service.stores, log, seeds, T0),
    close: () => {
      for (const s of opened) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The first thing in `value` that is not plain JSON (bytes, undefined, a class instance, a
 * non-finite number), as a path; undefined when it is all plain JSON.
 */
export function notPlainJson(value: unknown, path = '$'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object') return path;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype) return path;
  for (const [key, v] of Object.entries(value)) {
    const bad = notPlainJson(v, `${path}.${key}`);
    if (bad) return bad;
  }
  return undefined;
}

export { githubSigner, T0 };

/** Runs `vigil args` in-process against every registered command, with `env` as environment. */
export const runCli = (
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliResult> => runSupportCli(args, { env });

export { jsonLines, type CliResult };
