// `vigil run --once` against a flaky log: 5xx, 429 with Retry-After, slow and truncated
// responses on every endpoint it reads are retried, and the run still reports exactly the
// planted signings. A log that cannot be reached at all is an operational error (exit 1).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa, type TestCa } from '../../../electron/demo/cert-factory';
import type { Fault, FakeLog } from '../../../electron/demo/fake-log/index';
import {
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
  writeTrustedRootFor,
  writeWatchlist,
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

/** A log with planted signings on v1 and v2 (v2 past a full tile), and run arguments for it. */
async function plantedLog(): Promise<{ log: FakeLog; ca: TestCa; p: Planter; args: string[] }> {
  log = await startNamedFakeLog();
  const ca = createTestCa();
  const p = new Planter(log, ca);
  log.v1.grow(45);
  p.v1('hashedrekord@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
  p.v1('dsse@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
  log.v1.grow(30);
  log.v2.grow(300);
  p.v2(EVIL, 'trusted', [WIDGET, 'unexpected']);
  p.v2(LOOK_ALIKE, 'trusted', null);
  log.v2.grow(20);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-faults-'));
  const args = [
    'run',
    '--once',
    '--json',
    '--from-index',
    '0',
    '--batch-size',
    '40',
    '--data-dir',
    join(dir, 'data'),
    '--trusted-root',
    writeTrustedRootFor(dir, [log], ca),
    '--watchlist',
    writeWatchlist(dir, WATCHLIST_YAML),
  ];
  return { log, ca, p, args };
}

const RETRIEVE = /^POST \/api\/v1\/log\/entries\/retrieve$/;
const LOG_INFO = /^GET \/api\/v1\/log$/;
const PROOF = /^GET \/api\/v1\/log\/proof/;
const V2_CHECKPOINT = /^GET \/v2\/checkpoint$/;
const V2_BUNDLE = /^GET \/v2\/tile\/entries\//;
const V2_HASHES = /^GET \/v2\/tile\/[0-9]/;

describe('vigil run --once against a flaky log', () => {
  it.each<{ desc: string; faults: Fault[] }>([
    {
      desc: '500s on every endpoint',
      faults: [LOG_INFO, RETRIEVE, V2_CHECKPOINT, V2_BUNDLE, V2_HASHES].map((match) => ({
        match,
        status: 500,
        times: 2,
      })),
    },
    {
      desc: '429 with Retry-After',
      faults: [
        { match: RETRIEVE, status: 429, headers: { 'retry-after': '1' }, times: 1 },
        { match: V2_BUNDLE, status: 429, headers: { 'retry-after': '1' }, times: 1 },
      ],
    },
    {
      desc: 'slow responses',
      faults: [
        { match: LOG_INFO, delayMs: 150, times: 1 },
        { match: RETRIEVE, delayMs: 150, times: 3 },
        { match: V2_CHECKPOINT, delayMs: 150, times: 1 },
        { match: V2_BUNDLE, delayMs: 150, times: 2 },
      ],
    },
    {
      desc: 'truncated bodies',
      faults: [LOG_INFO, RETRIEVE, V2_CHECKPOINT, V2_BUNDLE, V2_HASHES].map((match) => ({
        match,
        truncate: true,
        times: 2,
      })),
    },
  ])('reports exactly the planted signings despite $desc', async ({ faults }) => {
    const { log, p, args } = await plantedLog();
    log.faults.push(...faults.map((f) => ({ ...f })));

    const result = await runVigil(args);
    expect(result.err).toBe('');
    expect(matchKeysOf(result.lines).sort()).toEqual([...p.expected].sort());
    expect(linesOf(result, 'error')).toEqual([]);
    expect(result.code).toBe(3);
    // Every fault was met (and survived), not skipped.
    expect(log.faults.map((f) => f.times ?? 0)).toEqual(faults.map(() => 0));
  });

  it('survives a failed consistency proof request on the second run', async () => {
    const { log, p, args } = await plantedLog();
    expect((await runVigil(args)).code).toBe(3);
    p.v1('intoto@0.0.2', RELEASE, 'self-signed', [WIDGET, 'untrusted']);
    log.v1.grow(3);
    log.faults.push({ match: PROOF, status: 503, times: 2 });

    const second = await runVigil(args);
    expect(linesOf(second, 'checkpoint.verified')).toEqual([
      expect.objectContaining({ origin: log.v1.origin(), previousTreeSize: 77, treeSize: 81 }),
    ]);
    expect(matchKeysOf(second.lines)).toEqual([p.expected.at(-1)]);
    expect(second.code).toBe(3);
  });

  it('reports a log that stays down in an error line, and catches up once it is back', async () => {
    const { log, p, args } = await plantedLog();
    // More failures than the client retries: this run gives up on v2 (v1 answers).
    log.faults.push({ match: V2_CHECKPOINT, status: 502, times: 5 });

    const down = await runVigil(args);
    expect(linesOf(down, 'error')).toEqual([
      expect.objectContaining({ origin: log.v2.origin, code: 'LOG_HTTP_STATUS' }),
    ]);
    // v1's unexpected signing is news; the unreachable log does not hide it.
    expect(down.code).toBe(3);

    const back = await runVigil(args);
    expect([...matchKeysOf(down.lines), ...matchKeysOf(back.lines)].sort()).toEqual(
      [...p.expected].sort(),
    );
    expect(linesOf(back, 'error')).toEqual([]);
  });

  it('exits 1 with an error line when the log cannot be reached at all', async () => {
    const { log: closed, args } = await plantedLog();
    await closed.close();
    log = undefined;
    const origin = closed.v2.origin;
    const selectV2 = ['--log', `v2:${closed.url}/v2`];

    const result = await runVigil([...args, ...selectV2]);
    expect(result.code).toBe(1);
    expect(linesOf(result, 'error')).toEqual([
      expect.objectContaining({ origin, code: 'LOG_UNREACHABLE' }),
    ]);
    expect(result.lines.at(-1)).toMatchObject({ type: 'summary', errors: 1 });
  });
});
