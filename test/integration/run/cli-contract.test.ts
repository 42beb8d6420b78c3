// The `vigil run` command line: --since places a Rekor v1 backfill by integrated time, --json
// prints only typed lines ending in a summary, and bad arguments exit 2.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import { KEY_NAMINGS, type FakeLog } from '../../../electron/demo/fake-log/index';
import {
  EVIL,
  Planter,
  RELEASE,
  T0_S,
  WATCHLIST_YAML,
  WIDGET,
  linesOf,
  matchKeysOf,
  runVigil,
  startNamedFakeLog,
  writeTrustedRootFor,
  writeWatchlist,
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

const EVENT_TYPES = [
  'trust.loaded',
  'checkpoint.verified',
  'consistency.failed',
  'scan.progress',
  'match',
  'alert.delivered',
  'alert.failed',
  'channel.disabled',
  'error',
  'warning',
  'summary',
];

describe.each(KEY_NAMINGS)('vigil run --since ($label)', (naming) => {
  it('backfills Rekor v1 from the first entry integrated at or after the date', async () => {
    log = await startNamedFakeLog(naming);
    const ca = createTestCa();
    const p = new Planter(log, ca);
    log.v1.grow(50);
    p.v1('hashedrekord@0.0.1', EVIL, 'trusted', null); // index 50: before the date
    log.v1.grow(49);
    p.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']); // index 100: at the date
    log.v1.grow(30);
    p.v1('hashedrekord@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
    log.v1.grow(9);
    log.v2.grow(40);
    p.v2(EVIL, 'trusted', null); // Rekor v2 entries carry no time: v2 starts at its head
    const dir = mkdtempSync(join(tmpdir(), 'vigil-since-'));
    const since = new Date((T0_S + 100) * 1000).toISOString().replace('.000Z', 'Z');

    const result = await runVigil([
      'run',
      '--once',
      '--json',
      '--since',
      since,
      '--data-dir',
      join(dir, 'data'),
      '--trusted-root',
      writeTrustedRootFor(dir, [log], ca),
      '--watchlist',
      writeWatchlist(dir, WATCHLIST_YAML),
    ]);

    expect(matchKeysOf(result.lines).sort()).toEqual([...p.expected].sort());
    expect(result.code).toBe(3);
    expect(linesOf(result, 'warning')).toEqual([
      expect.objectContaining({
        origin: log.v2.origin,
        message: expect.stringContaining('--since'),
      }),
    ]);

    // Every line is typed; the last is the summary, with what each log scanned and the
    // matches by classification.
    for (const line of result.lines) expect(EVENT_TYPES).toContain(line.type);
    expect(result.lines.at(-1)).toEqual({
      type: 'summary',
      logs: [
        { origin: log.v1.origin(), scanned: 41, nextIndex: 141, treeSize: 141 },
        { origin: log.v2.origin, scanned: 0, nextIndex: 41, treeSize: 41 },
      ],
      matches: { expected: 1, unexpected: 1, untrusted: 0 },
      integrityFailures: 0,
      errors: 0,
    });
    expect(linesOf(result, 'match')[0]).toEqual({
      type: 'match',
      origin: log.v1.origin(),
      logIndex: 100,
      watch: WIDGET,
      classification: 'unexpected',
      reason: expect.stringContaining('.github/workflows/evil.yml'),
      matchId: expect.any(Number),
    });
  });
});

describe('vigil run (continuous)', () => {
  it('backfills on its first pass, then stops with a summary when interrupted', async () => {
    log = await startNamedFakeLog();
    const ca = createTestCa();
    const p = new Planter(log, ca);
    log.v1.grow(20);
    p.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    log.v2.grow(20);
    p.v2(RELEASE, 'trusted', [WIDGET, 'expected']);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-continuous-'));
    const stop = new AbortController();
    // Stop once both logs are scanned to their size (or give up, and let the asserts fail).
    const caughtUp = new Set<string>();
    const giveUp = setTimeout(() => stop.abort(), 20_000);
    const onLine = (text: string) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      if (line['type'] === 'scan.progress' && line['nextIndex'] === line['treeSize']) {
        caughtUp.add(line['origin'] as string);
        if (caughtUp.size === 2) stop.abort();
      }
    };

    const result = await runVigil(
      [
        'run',
        '--json',
        '--from-index',
        '0',
        '--interval',
        '1h',
        '--data-dir',
        join(dir, 'data'),
        '--trusted-root',
        writeTrustedRootFor(dir, [log], ca),
        '--watchlist',
        writeWatchlist(dir, WATCHLIST_YAML),
      ],
      { signal: stop.signal, onLine },
    );
    clearTimeout(giveUp);

    expect(matchKeysOf(result.lines).sort()).toEqual([...p.expected].sort());
    expect(result.lines.at(-1)).toMatchObject({
      type: 'summary',
      matches: { expected: 1, unexpected: 1, untrusted: 0 },
    });
    expect(result.code).toBe(0);
  });
});

describe('vigil run usage errors', () => {
  it.each([
    { desc: 'a --since that is neither a duration nor a date', args: ['--since', 'yesterday'] },
    { desc: '--since with --from-index', args: ['--since', '7d', '--from-index', '3'] },
    { desc: 'a negative --from-index', args: ['--from-index', '-1'] },
    { desc: 'a non-canonical --from-index', args: ['--from-index', '007'] },
    { desc: 'an --interval under a second', args: ['--interval', '0s'] },
    { desc: 'a zero --batch-size', args: ['--batch-size', '0'] },
    { desc: 'a positional argument', args: ['now'] },
    { desc: 'an unknown flag', args: ['--bogus'] },
    {
      desc: '--trusted-root with --tuf-mirror',
      args: ['--trusted-root', 'a', '--tuf-mirror', 'b'],
    },
    { desc: 'a --log that is not a URL', args: ['--log', 'rekor'] },
  ])('exits 2 for $desc', async ({ args }) => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-usage-'));
    const result = await runVigil(['run', '--once', '--json', '--data-dir', dir, ...args]);
    expect(result.code).toBe(2);
    expect(result.err).not.toBe('');
  });
});
