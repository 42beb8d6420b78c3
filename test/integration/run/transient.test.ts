// `vigil run --once` raises an integrity failure only on cryptographic evidence. Answers cut in
// half (with a Content-Length that agrees), 5xx and 429 answers, and a first hash mismatch are
// transient: retried, and the run reports exactly the planted signings. An answer that keeps
// not parsing is an operational error (exit 1, RESPONSE_MALFORMED on the log's health, no
// critical alert). A contradiction that persists on a fresh connection is exit 4, with what the
// log sent as evidence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa, entryBodyFor } from '../../../electron/demo/cert-factory';
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
  signingCertificate,
  startNamedFakeLog,
  withStores,
  writeTrustedRootFor,
  writeWatchlist,
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

interface Setup {
  log: FakeLog;
  p: Planter;
  dataDir: string;
  /** Global index of the second Rekor v1 shard's first entry. */
  shardB: number;
  /** `vigil run --once --json --from-index 0` over the logs `select` names (default: all). */
  run(select?: string[], extra?: string[]): ReturnType<typeof runVigil>;
}

/**
 * Two Rekor v1 shards with planted signings in each, and a Rekor v2 log of two full tiles and a
 * partial one with planted signings in a full and in the partial bundle.
 */
async function plantedLogs(): Promise<Setup> {
  log = await startNamedFakeLog();
  const ca = createTestCa();
  const p = new Planter(log, ca);
  log.v1.grow(33);
  p.v1('hashedrekord@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
  log.v1.grow(20);
  const shardB = log.v1.size;
  log.v1.rotateShard();
  log.v1.grow(17);
  p.v1('dsse@0.0.1', RELEASE, 'self-signed', [WIDGET, 'untrusted']);
  p.v1('hashedrekord@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
  log.v1.grow(25);
  log.v2.grow(300);
  p.v2(EVIL, 'trusted', [WIDGET, 'unexpected']);
  p.v2(LOOK_ALIKE, 'trusted', null);
  log.v2.grow(230);
  p.v2(RELEASE, 'self-signed', [WIDGET, 'untrusted']);
  log.v2.grow(9);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-transient-'));
  const dataDir = join(dir, 'data');
  const base = [
    'run',
    '--once',
    '--json',
    '--from-index',
    '0',
    '--data-dir',
    dataDir,
    '--trusted-root',
    writeTrustedRootFor(dir, [log], ca),
    '--watchlist',
    writeWatchlist(dir, WATCHLIST_YAML),
  ];
  return {
    log,
    p,
    dataDir,
    shardB,
    run: (select = [], extra = []) => runVigil([...base, ...select, ...extra]),
  };
}

const v1Only = (l: FakeLog) => ['--log', `v1:${l.url}`];
const v2Only = (l: FakeLog) => ['--log', `v2:${l.url}/v2`];
const forV1 = (p: Planter, l: FakeLog) =>
  p.expected.filter((k) => !k.startsWith(`${l.v2.origin}#`));
const forV2 = (p: Planter, l: FakeLog) => p.expected.filter((k) => k.startsWith(`${l.v2.origin}#`));

function alertKinds(dataDir: string): string[] {
  return withStores(dataDir, (s) => s.alerts.list({ limit: 100 }).alerts).map((a) => a.kind);
}

/** Every 7th answer a 500, every 11th a 429 with Retry-After: 1, every 13th cut in half. */
function flakyProxy(): Fault[] {
  return [
    { match: /./, every: 7, status: 500 },
    { match: /./, every: 11, status: 429, headers: { 'retry-after': '1' } },
    { match: /./, every: 13, halve: true },
  ];
}

describe('vigil run --once behind a flaky proxy', () => {
  // One request in flight (--concurrency 1) makes the fault sequence the same on every run: a
  // request's attempts then get consecutive answers, and no 4 in a row are faulty (7, 11 and
  // 13 each hit at most one of any 4 consecutive answers), so the retry budget always suffices.
  it.each([
    { api: 'Rekor v1, two shards', select: v1Only, want: forV1, path: /entries\/retrieve/ },
    { api: 'Rekor v2 tiles and bundles', select: v2Only, want: forV2, path: /\/v2\/tile\// },
  ])('exits 3 with exactly the planted signings: $api', async ({ select, want, path }) => {
    const { log, p, dataDir, run } = await plantedLogs();
    const faults = flakyProxy();
    log.faults.push(...faults);

    const result = await run(select(log), ['--concurrency', '1', '--batch-size', '40']);

    expect(linesOf(result, 'error')).toEqual([]);
    expect(matchKeysOf(result.lines).sort()).toEqual(want(p, log).sort());
    expect(result.code).toBe(3);
    expect(result.lines.at(-1)).toMatchObject({ type: 'summary', integrityFailures: 0 });
    expect(alertKinds(dataDir).filter((k) => k.startsWith('log') || k.startsWith('verif'))).toEqual(
      [],
    );
    // Each kind of fault was served, and cut answers hit the entries and tiles themselves.
    for (const fault of faults) expect(fault.applied ?? 0).toBeGreaterThan(0);
    const cut = log.stats.requests.filter((r) => (r.seq + 1) % 13 === 0 && (r.seq + 1) % 7 !== 0);
    expect(cut.some((r) => path.test(r.path))).toBe(true);
  });

  it('exits 3 with every planted signing when both logs are read at full concurrency', async () => {
    const { log, p, run } = await plantedLogs();
    // Here attempts interleave, so only the cuts are periodic: they alone cannot use up the budget.
    log.faults.push({ match: /./, every: 13, halve: true });

    const result = await run();

    expect(linesOf(result, 'error')).toEqual([]);
    expect(matchKeysOf(result.lines).sort()).toEqual([...p.expected].sort());
    expect(result.code).toBe(3);
  });
});

describe('an answer that keeps not parsing', () => {
  it.each([
    {
      api: 'Rekor v1',
      // The second shard's retrieve answers, from its first batch on, are cut.
      fault: (shardB: number): Fault => ({
        match: (r) => r.path.endsWith('/retrieve') && r.body.includes(`[${shardB},`),
        halve: true,
      }),
      origin: (l: FakeLog) => l.v1.origin(),
    },
    {
      api: 'Rekor v2',
      // An HTML page where the bundle after the first full one should be.
      fault: (): Fault => ({
        match: /\/v2\/tile\/entries\/001$/,
        body: '<html><body>Sign in to the Wi-Fi</body></html>',
        headers: { 'content-type': 'text/html' },
      }),
      origin: (l: FakeLog) => l.v2.origin,
    },
  ])(
    'is an operational error for $api: exit 1, RESPONSE_MALFORMED health, no critical alert',
    async ({ fault, origin }) => {
      const { log, p, dataDir, shardB, run } = await plantedLogs();
      log.faults.push(fault(shardB));
      const failing = origin(log);

      const result = await run([], ['--batch-size', '40']);

      expect(linesOf(result, 'error')).toEqual([
        expect.objectContaining({ origin: failing, code: 'RESPONSE_MALFORMED' }),
      ]);
      expect(result.code).toBe(3); // the other logs' news still comes first
      expect(result.lines.at(-1)).toMatchObject({ integrityFailures: 0, errors: 1 });
      expect(
        alertKinds(dataDir).filter((k) => k.startsWith('log') || k.startsWith('verif')),
      ).toEqual([]);
      const health = withStores(dataDir, (s) => s.logs.get(failing)?.lastError);
      expect(health).toMatchObject({ code: 'RESPONSE_MALFORMED' });
      expect(health?.message).toContain('serving malformed responses');
      // The batches before the failing one stay committed; every other log was scanned.
      const next = withStores(dataDir, (s) => s.scans.get(failing)?.nextIndex);
      expect(next).toBe(failing === log.v2.origin ? 240 : 0);
      const reported = matchKeysOf(result.lines);
      for (const key of p.expected.filter((k) => !k.startsWith(`${failing}#`))) {
        expect(reported).toContain(key);
      }

      // Only that log selected: exit 1.
      const alone = await run(failing === log.v2.origin ? v2Only(log) : v1Only(log));
      expect(alone.code).toBe(1);
    },
  );
});

describe('a hash mismatch', () => {
  it.each([
    {
      api: 'Rekor v1',
      route: /\/retrieve$/,
      corrupt: (body: string) => {
        // One entry's inclusion proof hash flipped.
        const at = body.indexOf('"hashes":["') + '"hashes":["'.length;
        return `${body.slice(0, at)}${body[at] === '0' ? '1' : '0'}${body.slice(at + 1)}`;
      },
    },
    {
      api: 'Rekor v2',
      route: /\/v2\/tile\/entries\/000$/,
      corruptBytes: (body: Uint8Array) => sameLengthEdit(body, 'hashedrekord', 'hashedrek0rd'),
    },
  ])('that a re-read on a fresh connection clears is transient: $api', async (c) => {
    const { log, p, run } = await plantedLogs();
    log.faults.push({
      match: c.route,
      ...('corrupt' in c ? { transform: c.corrupt } : { transformBytes: c.corruptBytes }),
      times: 1,
    });

    const result = await run();

    expect(linesOf(result, 'error')).toEqual([]);
    expect(matchKeysOf(result.lines).sort()).toEqual([...p.expected].sort());
    expect(result.code).toBe(3);
  });

  it.each([
    {
      api: 'Rekor v1',
      origin: (l: FakeLog) => l.v1.origin(),
      route:
        (shardB: number): Fault['match'] =>
        (r) =>
          r.path.endsWith('/retrieve') && r.body.includes(`[${shardB},`),
    },
    {
      api: 'Rekor v2',
      origin: (l: FakeLog) => l.v2.origin,
      route: (): Fault['match'] => /\/v2\/tile\/entries\/001$/,
    },
  ])(
    'that persists on a fresh connection is an integrity failure with evidence: $api',
    async (c) => {
      const { log, dataDir, shardB, run } = await plantedLogs();
      const failing = c.origin(log);
      const planted = entryBodyFor(
        signingCertificate(createTestCa(), EVIL, 'trusted'),
        'hashedrekord@0.0.2',
      );
      const other = Buffer.from(planted).toString('base64');
      const fault: Fault = {
        match: c.route(shardB),
        ...(failing === log.v2.origin
          ? {
              transformBytes: (body: Uint8Array) =>
                sameLengthEdit(body, 'hashedrekord', 'hashedrek0rd'),
            }
          : { transform: (body: string) => body.replace(/"body":"[^"]+"/, `"body":"${other}"`) }),
      };
      log.faults.push(fault);

      const result = await run([], ['--batch-size', '40']);

      expect(result.code).toBe(4);
      expect(linesOf(result, 'error')).toEqual([
        expect.objectContaining({ origin: failing, code: expect.any(String) }),
      ]);
      // Read twice, the second time on a connection never used before.
      const hits = log.stats.requests.filter((r) =>
        fault.match instanceof RegExp ? fault.match.test(r.path) : fault.match(r),
      );
      expect(hits.length).toBeGreaterThanOrEqual(2);
      const last = hits.at(-1)!;
      expect(
        log.stats.requests.filter((r) => r.seq < last.seq).map((r) => r.connection),
      ).not.toContain(last.connection);
      const alerts = withStores(dataDir, (s) => s.alerts.list({ limit: 100 }).alerts).filter(
        (a) => a.kind === 'verification-failed',
      );
      expect(alerts).toEqual([expect.objectContaining({ origin: failing })]);
      const evidence = (alerts[0]?.evidence as { evidence: Record<string, unknown> }).evidence;
      expect(evidence).toMatchObject({
        confirmedOnFreshConnection: true,
        firstAttempt: { code: expect.any(String) },
      });
      // What the log sent: the entry bytes (v2), the entry with its proof (v1).
      if (failing === log.v2.origin) {
        const entry = Buffer.from(evidence['entry'] as string, 'base64').toString();
        expect(entry).toContain('hashedrek0rd');
      } else {
        expect(evidence['received']).toContain(`"body":"${other}"`);
      }
    },
  );
});

/** `body` with the first `from` replaced by `to` (as long), byte for byte; throws if absent. */
function sameLengthEdit(body: Uint8Array, from: string, to: string): Uint8Array {
  const at = Buffer.from(body).indexOf(from);
  if (at < 0 || from.length !== to.length) throw new Error(`no ${from} to replace`);
  const out = Uint8Array.from(body);
  out.set(Buffer.from(to), at);
  return out;
}
