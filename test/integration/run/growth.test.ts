// `vigil run --once` repeated while the fake log grows: every planted signing is reported
// exactly once, with the right classification, and nothing else is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import { KEY_NAMINGS, type FakeLog } from '../../../electron/demo/fake-log/index';
import {
  ALICE,
  ALICE_LOOK_ALIKE,
  ALICE_WATCH,
  EVIL,
  LOOK_ALIKE,
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
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

/** Plants one of every kind of signing the run must (or must not) report, on v1 and v2. */
function plantRound(p: Planter): void {
  p.v1('hashedrekord@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
  p.log.v1.grow(7);
  p.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
  p.v1('intoto@0.0.2', RELEASE, 'self-signed', [WIDGET, 'untrusted']);
  p.v1('hashedrekord@0.0.1', RELEASE, 'expired', [WIDGET, 'untrusted']);
  p.v1('hashedrekord@0.0.1', LOOK_ALIKE, 'trusted', null);
  p.v1('dsse@0.0.1', ALICE, 'trusted', [ALICE_WATCH, 'unexpected']);
  p.v1('intoto@0.0.2', ALICE_LOOK_ALIKE, 'trusted', null);
  p.log.v1.grow(3);
  p.v2(RELEASE, 'trusted', [WIDGET, 'expected']);
  p.log.v2.grow(250);
  p.v2(EVIL, 'trusted', [WIDGET, 'unexpected']);
  p.v2(RELEASE, 'self-signed', [WIDGET, 'untrusted']);
  p.v2(LOOK_ALIKE, 'trusted', null);
  p.v2(ALICE, 'trusted', [ALICE_WATCH, 'unexpected']);
  p.log.v2.grow(5);
}

describe.each(KEY_NAMINGS)('vigil run --once across log growth ($label)', (naming) => {
  it('reports exactly the planted signings, each once, when the log grows between runs', async () => {
    log = await startNamedFakeLog(naming);
    const ca = createTestCa();
    const p = new Planter(log, ca);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-growth-'));
    const base = [
      'run',
      '--once',
      '--json',
      '--batch-size',
      '16',
      '--data-dir',
      join(dir, 'data'),
      '--trusted-root',
      writeTrustedRootFor(dir, [log], ca),
    ];

    // Before the first run: the first run starts at the head, so none of these may be reported.
    log.v1.grow(40);
    p.v1('hashedrekord@0.0.1', EVIL, 'trusted', null);
    log.v2.grow(300);
    p.v2(EVIL, 'trusted', null);
    const first = await runVigil([...base, '--watchlist', writeWatchlist(dir, WATCHLIST_YAML)]);
    expect(first.err).toBe('');
    expect(matchKeysOf(first.lines)).toEqual([]);
    expect(first.code).toBe(0);

    const reported = [...matchKeysOf(first.lines)];
    const codes: number[] = [];
    for (let round = 0; round < 3; round++) {
      log.v1.grow(round * 37);
      log.v2.grow(round * 131);
      plantRound(p);
      const run = await runVigil(base);
      expect(run.err).toBe('');
      codes.push(run.code);
      reported.push(...matchKeysOf(run.lines));
    }
    // A run with nothing new reports nothing and exits clean.
    log.v1.grow(3);
    const last = await runVigil(base);
    expect(matchKeysOf(last.lines)).toEqual([]);
    expect(last.code).toBe(0);

    expect(codes).toEqual([3, 3, 3]);
    expect([...reported].sort()).toEqual([...p.expected].sort());
    expect(new Set(reported).size).toBe(reported.length);
    expect(storedMatchKeys(join(dir, 'data'))).toEqual([...p.expected].sort());
    // The summary counts what the run scanned: everything since the previous run's head.
    const summary = linesOf(last, 'summary')[0];
    expect(summary?.['logs']).toEqual(
      expect.arrayContaining([expect.objectContaining({ origin: log.v1.origin(), scanned: 3 })]),
    );
    // `vigil status` names the key each log signed under.
    const status = await runVigil(['status', '--json', '--data-dir', join(dir, 'data')]);
    const logs = (
      JSON.parse(status.out) as { logs: { origin: string; checkpointKeyName: string }[] }
    ).logs;
    expect(logs.map((l) => [l.origin, l.checkpointKeyName]).sort()).toEqual(
      [
        [log.v1.origin(), log.v1.keyName],
        [log.v2.origin, log.v2.origin],
      ].sort(),
    );
  });
});
