// Shard rollover between `vigil run --once` runs: a Rekor v1 log rotating its active shard
// (once, and twice between two runs), a new Rekor v2 log appearing in the trust material, and a
// retired v2 log. New shards are scanned from 0, retired ones to their final size: no entry
// is lost, none is reported twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import { HOST_PORT_NAMING, type FakeLog } from '../../../electron/demo/fake-log/index';
import {
  EVIL,
  Planter,
  RELEASE,
  WATCHLIST_YAML,
  WIDGET,
  linesOf,
  matchKeysOf,
  runVigil,
  startNamedFakeLog,
  storedMatchKeys,
  writeTrustedRootFor,
  writeWatchlist,
  type RunResult,
} from '../../support/run-helpers';

const logs: FakeLog[] = [];
afterEach(async () => {
  await Promise.all(logs.splice(0).map((l) => l.close()));
});

async function newLog(): Promise<FakeLog> {
  // Two servers on one host: only host:port tells their origins apart.
  const log = await startNamedFakeLog(HOST_PORT_NAMING);
  logs.push(log);
  return log;
}

/** Entries each log origin scanned in a run, from its summary line. */
function scannedBy(result: RunResult): Record<string, number> {
  const summary = linesOf(result, 'summary')[0];
  const perLog = summary?.['logs'] as { origin: string; scanned: number }[];
  return Object.fromEntries(perLog.map((l) => [l.origin, l.scanned]));
}

describe('vigil run --once across shard rollover', () => {
  it('finishes the frozen Rekor v1 shard and scans every new shard from 0', async () => {
    const log = await newLog();
    const ca = createTestCa();
    const p = new Planter(log, ca);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rollover-'));
    const args = [
      'run',
      '--once',
      '--json',
      '--data-dir',
      join(dir, 'data'),
      '--trusted-root',
      writeTrustedRootFor(dir, [log], ca),
      '--log',
      `v1:${log.url}`,
    ];
    log.v1.grow(50);
    const first = await runVigil([...args, '--watchlist', writeWatchlist(dir, WATCHLIST_YAML)]);
    expect(first.code).toBe(0);
    const shardA = log.v1.origin();

    // Appended to A just before it froze, then the new active shard B grows.
    log.v1.grow(5);
    p.v1('hashedrekord@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    const shardB = log.v1.origin(log.v1.rotateShard());
    log.v1.grow(4);
    p.v1('dsse@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
    log.v1.grow(3);
    const second = await runVigil(args);
    expect(second.code).toBe(3);
    expect(matchKeysOf(second.lines).sort()).toEqual([...p.expected].sort());
    expect(scannedBy(second)).toEqual({ [shardA]: 6, [shardB]: 8 });

    // Two rotations between runs: shard C is created and frozen unseen.
    p.v1('intoto@0.0.2', EVIL, 'trusted', [WIDGET, 'unexpected']);
    const shardC = log.v1.origin(log.v1.rotateShard());
    log.v1.grow(2);
    p.v1('hashedrekord@0.0.1', RELEASE, 'self-signed', [WIDGET, 'untrusted']);
    const shardD = log.v1.origin(log.v1.rotateShard());
    p.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    log.v1.grow(1);
    const third = await runVigil(args);
    expect(third.code).toBe(3);
    expect(scannedBy(third)).toEqual({ [shardA]: 0, [shardB]: 1, [shardC]: 3, [shardD]: 2 });

    const quiet = await runVigil(args);
    expect(quiet.code).toBe(0);
    expect(Object.values(scannedBy(quiet))).toEqual([0, 0, 0, 0]);
    const reported = [first, second, third, quiet].flatMap((r) => matchKeysOf(r.lines));
    expect(reported.sort()).toEqual([...p.expected].sort());
    expect(storedMatchKeys(join(dir, 'data'))).toEqual([...p.expected].sort());
  });

  it('scans a Rekor v2 log that appears after the first run from 0, and finishes a retired one', async () => {
    const log = await newLog();
    const next = await newLog();
    const ca = createTestCa();
    const p = new Planter(log, ca);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rollover-'));
    const dataDir = join(dir, 'data');
    const run = (trustedRoot: string, ...more: string[]) =>
      runVigil([
        'run',
        '--once',
        '--json',
        '--data-dir',
        dataDir,
        '--trusted-root',
        trustedRoot,
        ...more,
      ]);
    log.v2.grow(100);
    const first = await run(
      writeTrustedRootFor(dir, [log], ca),
      '--watchlist',
      writeWatchlist(dir, WATCHLIST_YAML),
    );
    expect(first.code).toBe(0);

    // The next shard has been written to for a while before the trust material lists it.
    next.v2.grow(30);
    p.v2(EVIL, 'trusted', [WIDGET, 'unexpected'], next.v2);
    next.v2.grow(10);
    // Its server also serves a Rekor v1 log, new to this data dir: a new log (not a new shard
    // of a followed one) starts at its head, as on a first run.
    next.v1.grow(20);
    new Planter(next, ca).v1('hashedrekord@0.0.1', EVIL, 'trusted', null);
    // The old shard is written to until it is retired.
    p.v2(RELEASE, 'trusted', [WIDGET, 'expected']);
    const retiredAt = Date.now() - 60_000;
    const both = writeTrustedRootFor(dir, [log, next], ca, {
      v2ValidUntilMs: { [log.v2.origin]: retiredAt },
    });
    const second = await run(both);
    expect(second.code).toBe(3);
    expect(matchKeysOf(second.lines).sort()).toEqual([...p.expected].sort());
    expect(scannedBy(second)).toMatchObject({
      [log.v2.origin]: 1,
      [next.v2.origin]: 41,
      [next.v1.origin()]: 0,
    });

    next.v2.grow(3);
    p.v2(EVIL, 'self-signed', [WIDGET, 'untrusted'], next.v2);
    const third = await run(both);
    expect(third.code).toBe(3);
    expect(matchKeysOf(third.lines)).toEqual([p.expected.at(-1)]);
    expect(storedMatchKeys(dataDir)).toEqual([...p.expected].sort());
  });
});
