// Crash safety: a real `vigil run --once` child process (real SQLite file) is killed with
// SIGKILL at seeded random moments while the fake log grows, and rerun with the same command
// line each time. At the end, the data dir holds exactly the matches of an uninterrupted run on
// a fresh data dir, none twice, and its audit chain verifies.
//
// CRASH_KILLS (default 20) sets how many kills to land; CRASH_SEED replays a failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../../electron/monitor/paths';
import { createTestCa } from '../../../electron/demo/cert-factory';
import type { FakeLog } from '../../../electron/demo/fake-log/index';
import {
  ALICE,
  EVIL,
  LOOK_ALIKE,
  Planter,
  RELEASE,
  WATCHLIST_YAML,
  WIDGET,
  ALICE_WATCH,
  matchKeysOf,
  parseJsonLines,
  runVigil,
  startNamedFakeLog,
  storedMatchKeys,
  withStores,
  writeTrustedRootFor,
  writeWatchlist,
} from '../../support/run-helpers';

const KILLS = Number(process.env['CRASH_KILLS'] ?? 20);
const SEED = Number(process.env['CRASH_SEED'] ?? 0x5eed);
const BATCH = 50;
const LAUNCHER = join(import.meta.dirname, '../../../electron/cli/vigil.mjs');

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** When to kill a child: after a delay from spawn, or just after its k-th committed batch. */
type KillPlan =
  { readonly afterMs: number } | { readonly afterBatch: number; readonly jitterMs: number };

interface ChildRun {
  /** Killed while running (false: it exited on its own first). */
  readonly killed: boolean;
  readonly code: number | null;
  /** Complete stdout lines; a killed child's last line may be cut and is dropped. */
  readonly lines: ReturnType<typeof parseJsonLines>;
  readonly batches: number;
  readonly stderr: string;
}

/** Runs `vigil <args>` as a child process, killing it with SIGKILL as `plan` says. */
function runChild(args: readonly string[], plan: KillPlan | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let batches = 0;
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) killed = child.kill('SIGKILL');
    };
    if (plan && 'afterMs' in plan) timer = setTimeout(kill, plan.afterMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      if (!plan || !('afterBatch' in plan) || timer) return;
      batches = (out.match(/"type":"scan\.progress"/g) ?? []).length;
      if (batches >= plan.afterBatch) timer = setTimeout(kill, plan.jitterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve({
        killed,
        code,
        lines: parseJsonLines(complete),
        batches: (complete.match(/"type":"scan\.progress"/g) ?? []).length,
        stderr,
      });
    });
  });
}

let log: FakeLog | undefined;
afterAll(async () => {
  await log?.close();
});

describe('vigil run --once killed with SIGKILL', () => {
  it(`yields exactly the matches of an uninterrupted run after ${KILLS} kills (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    log = await startNamedFakeLog();
    const ca = createTestCa();
    const p = new Planter(log, ca);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
    const trustedRoot = writeTrustedRootFor(dir, [log], ca);
    const watchlist = writeWatchlist(dir, WATCHLIST_YAML);
    const argsFor = (dataDir: string) => [
      'run',
      '--once',
      '--json',
      '--from-index',
      '0',
      '--batch-size',
      String(BATCH),
      '--concurrency',
      '4',
      '--data-dir',
      dataDir,
      '--trusted-root',
      trustedRoot,
      '--watchlist',
      watchlist,
    ];
    const plantings = [
      () => p.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']),
      () => p.v1('hashedrekord@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']),
      () => p.v1('intoto@0.0.2', RELEASE, 'self-signed', [WIDGET, 'untrusted']),
      () => p.v1('hashedrekord@0.0.1', LOOK_ALIKE, 'trusted', null),
      () => p.v2(EVIL, 'trusted', [WIDGET, 'unexpected']),
      () => p.v2(ALICE, 'trusted', [ALICE_WATCH, 'unexpected']),
      () => p.v2(LOOK_ALIKE, 'trusted', null),
    ];
    /**
     * Grows both trees by about `v1`/`v2` entries with a planting every 30 or so (dense, so a
     * skipped batch almost surely loses a match).
     */
    const grow = (v1: number, v2: number) => {
      for (let i = 0; i < (v1 + v2) / 30; i++) {
        log!.v1.grow(Math.floor(random() * 30 * (v1 / (v1 + v2))));
        log!.v2.grow(Math.floor(random() * 30 * (v2 / (v1 + v2))));
        plantings[Math.floor(random() * plantings.length)]!();
      }
    };
    /** Batches the next run has to commit: what the trees hold past the stored cursors. */
    const pendingBatches = (dataDir: string) => {
      const trees = [
        { origin: log!.v1.origin(), size: log!.v1.size },
        { origin: log!.v2.origin, size: log!.v2.size },
      ];
      const cursors = existsSync(databasePath(dataDir))
        ? withStores(dataDir, (s) => trees.map((t) => s.scans.get(t.origin)?.nextIndex ?? 0))
        : trees.map(() => 0);
      return trees.reduce((sum, t, i) => sum + Math.ceil((t.size - cursors[i]!) / BATCH), 0);
    };

    grow(3000, 6000);
    const crashDir = join(dir, 'crashed');
    const printed: string[] = [];
    const kills = { beforeFirstBatch: 0, midScan: 0 };
    let runs = 0;
    while (kills.beforeFirstBatch + kills.midScan < KILLS) {
      expect(runs++, 'too many runs finished before their kill').toBeLessThan(KILLS * 3);
      const pending = pendingBatches(crashDir);
      const plan: KillPlan =
        random() < 0.3
          ? { afterMs: Math.floor(random() * 700) }
          : { afterBatch: 1 + Math.floor(random() * pending), jitterMs: Math.floor(random() * 30) };
      const child = await runChild(argsFor(crashDir), plan);
      printed.push(...matchKeysOf(child.lines));
      if (child.killed) {
        if (child.batches === 0) kills.beforeFirstBatch++;
        else kills.midScan++;
      } else {
        expect(child.stderr).toBe('');
        expect([0, 3]).toContain(child.code);
      }
      grow(200, 500);
    }
    const last = await runChild(argsFor(crashDir), null);
    expect(last.stderr).toBe('');
    expect([0, 3]).toContain(last.code);
    printed.push(...matchKeysOf(last.lines));

    const fresh = await runVigil(argsFor(join(dir, 'fresh')));
    expect(fresh.code).toBe(3);
    const want = [...p.expected].sort();
    expect(storedMatchKeys(join(dir, 'fresh'))).toEqual(want);
    expect(storedMatchKeys(crashDir)).toEqual(want);
    // Reported at most once; a match committed just before a kill may never have been printed.
    expect(new Set(printed).size).toBe(printed.length);
    for (const key of printed) expect(want).toContain(key);
    // One alert per alerting match, however often its batch was re-scanned.
    const alerting = want.filter((k) => !k.endsWith(' expected')).length;
    const matchAlerts = withStores(crashDir, (s) =>
      s.alerts.list({ limit: 500 }).alerts.filter((a) => a.kind === 'match'),
    );
    expect(matchAlerts).toHaveLength(alerting);
    expect(kills.midScan).toBeGreaterThan(0);
    const audit = await runVigil(['audit', 'verify', '--json', '--data-dir', crashDir]);
    expect(audit.code).toBe(0);
    expect(audit.lines[0]).toMatchObject({ intact: true });
  }, 600_000);
});
