// `vigil run --once` against a log that misbehaves: a forked (split) view, a rewritten history,
// entries from another view than the checkpoint, a checkpoint signed by the wrong key. Each
// exits 4 with evidence, raises an alert, and never moves the stored checkpoint.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa, entryBodyFor, type TestCa } from '../../../electron/demo/cert-factory';
import type { FakeLog } from '../../../electron/demo/fake-log/index';
import {
  ecdsaNoteSigner,
  ed25519NoteSigner,
  generateEcdsaP256,
  generateEd25519,
  signNote,
  type NoteSigner,
} from '../../../electron/demo/note-signer';
import {
  EVIL,
  WATCHLIST_YAML,
  linesOf,
  runVigil,
  signingCertificate,
  startNamedFakeLog,
  withStores,
  writeTrustedRootFor,
  writeWatchlist,
  type JsonLine,
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

interface Setup {
  log: FakeLog;
  ca: TestCa;
  dataDir: string;
  run(): ReturnType<typeof runVigil>;
}

/** A fake log of 100 v1 and 100 v2 entries, and a data dir whose first run verified both. */
async function firstRunAt100(): Promise<Setup> {
  log = await startNamedFakeLog();
  const ca = createTestCa();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-integrity-'));
  const dataDir = join(dir, 'data');
  log.v1.grow(100);
  log.v2.grow(100);
  const args = ['run', '--once', '--json', '--data-dir', dataDir];
  const trust = ['--trusted-root', writeTrustedRootFor(dir, [log], ca)];
  const first = await runVigil([
    ...args,
    ...trust,
    '--watchlist',
    writeWatchlist(dir, WATCHLIST_YAML),
  ]);
  expect(first.code).toBe(0);
  expect(linesOf(first, 'checkpoint.verified')).toHaveLength(2);
  const l = log;
  return { log: l, ca, dataDir, run: () => runVigil([...args, ...trust]) };
}

/** Other entries than the log's own: a signing the watchlist matches, then filler. */
function otherEntries(ca: TestCa, count: number): Uint8Array[] {
  const planted = entryBodyFor(signingCertificate(ca, EVIL, 'trusted'), 'hashedrekord@0.0.2');
  return [planted, ...Array.from({ length: count - 1 }, (_, i) => Buffer.from(`other ${i}`))];
}

function storedCheckpoint(dataDir: string, origin: string) {
  return withStores(dataDir, (s) => s.checkpoints.latest(origin));
}

function alertsOf(dataDir: string, kind: string) {
  return withStores(dataDir, (s) => s.alerts.list({ limit: 100 }).alerts).filter(
    (a) => a.kind === kind,
  );
}

/** Asserts the consistency.failed line carries both checkpoints' notes and the proof. */
function expectEvidence(line: JsonLine | undefined, storedNote: string, receivedSize: number) {
  expect(line).toMatchObject({
    type: 'consistency.failed',
    stored: { treeSize: 100, note: storedNote },
    received: { treeSize: receivedSize },
  });
  const received = line?.['received'] as { note: string };
  expect(received.note).toContain(`\n${receivedSize}\n`);
  expect(received.note).toMatch(/\n\n\u2014 /);
  expect(Array.isArray(line?.['proof'])).toBe(true);
  for (const hash of line?.['proof'] as unknown[]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
}

describe('vigil run --once against a misbehaving log', () => {
  it('exits 4 with both checkpoints and the proof when a Rekor v1 log forks, and keeps failing', async () => {
    const { log, ca, dataDir, run } = await firstRunAt100();
    const origin = log.v1.origin();
    const before = storedCheckpoint(dataDir, origin)!;
    log.v1.fork({ at: 90, entries: otherEntries(ca, 15) });

    const forked = await run();
    expect(forked.code).toBe(4);
    const failed = linesOf(forked, 'consistency.failed');
    expect(failed).toHaveLength(1);
    expectEvidence(failed[0], before.signedNote, 105);
    expect((failed[0]?.['proof'] as unknown[]).length).toBeGreaterThan(0);
    expect(storedCheckpoint(dataDir, origin)).toEqual(before);
    expect(alertsOf(dataDir, 'log-inconsistent')).toEqual([
      expect.objectContaining({ origin, state: 'new' }),
    ]);
    expect(linesOf(forked, 'match')).toEqual([]);

    // The forked log grows on: later runs fail again and never adopt its history.
    log.v1.grow(20);
    const again = await run();
    expect(again.code).toBe(4);
    expect(linesOf(again, 'consistency.failed')).toHaveLength(1);
    expect(storedCheckpoint(dataDir, origin)).toEqual(before);
    expect(withStores(dataDir, (s) => s.scans.get(origin)?.nextIndex)).toBe(100);
  });

  it('exits 4 when a Rekor v1 log rewrites an entry, at the same size and after growing', async () => {
    const { log, ca, dataDir, run } = await firstRunAt100();
    const origin = log.v1.origin();
    const before = storedCheckpoint(dataDir, origin)!;
    log.v1.rewriteHistory({ index: 50, entry: otherEntries(ca, 1)[0]! });

    const sameSize = await run();
    expect(sameSize.code).toBe(4);
    expectEvidence(linesOf(sameSize, 'consistency.failed')[0], before.signedNote, 100);

    log.v1.grow(10);
    const grown = await run();
    expect(grown.code).toBe(4);
    expectEvidence(linesOf(grown, 'consistency.failed')[0], before.signedNote, 110);
    expect(storedCheckpoint(dataDir, origin)).toEqual(before);
    expect(alertsOf(dataDir, 'log-inconsistent')).toHaveLength(2);
  });

  it('exits 4 on a split view of a Rekor v2 log, then accepts the honest view with the alert kept', async () => {
    const { log, ca, dataDir, run } = await firstRunAt100();
    const origin = log.v2.origin;
    const before = storedCheckpoint(dataDir, origin)!;
    let lie = true;
    log.v2.fork({ at: 95, entries: otherEntries(ca, 10), when: () => lie });
    log.v2.grow(7);

    const split = await run();
    expect(split.code).toBe(4);
    expectEvidence(linesOf(split, 'consistency.failed')[0], before.signedNote, 105);
    expect(storedCheckpoint(dataDir, origin)).toEqual(before);
    expect(linesOf(split, 'match')).toEqual([]);

    lie = false;
    const honest = await run();
    expect(honest.code).toBe(0);
    expect(linesOf(honest, 'checkpoint.verified')).toEqual([
      expect.objectContaining({ origin, treeSize: 107, previousTreeSize: 100 }),
    ]);
    expect(alertsOf(dataDir, 'log-inconsistent')).toEqual([
      expect.objectContaining({ origin, state: 'new' }),
    ]);
  });

  it('exits 4 and does not move the cursor when Rekor v1 entries come from another view', async () => {
    const { log, ca, dataDir, run } = await firstRunAt100();
    const origin = log.v1.origin();
    log.v1.fork({
      at: 100,
      entries: otherEntries(ca, 20),
      when: (req) => req.path.startsWith('/api/v1/log/entries'),
    });
    log.v1.grow(20);

    const result = await run();
    expect(result.code).toBe(4);
    expect(linesOf(result, 'error')).toEqual([
      expect.objectContaining({ origin, code: 'CONSISTENCY_PROOF_INVALID' }),
    ]);
    expect(linesOf(result, 'match')).toEqual([]);
    expect(withStores(dataDir, (s) => s.scans.get(origin)?.nextIndex)).toBe(100);
    expect(alertsOf(dataDir, 'verification-failed')).toEqual([expect.objectContaining({ origin })]);
  });

  it.each([
    { api: 'Rekor v1', route: /^GET \/api\/v1\/log$/ },
    { api: 'Rekor v2', route: /^GET \/v2\/checkpoint$/ },
  ])('exits 4 when the $api checkpoint is signed by another key', async ({ api, route }) => {
    const { log, dataDir, run } = await firstRunAt100();
    const origin = api === 'Rekor v1' ? log.v1.origin() : log.v2.origin;
    const before = storedCheckpoint(dataDir, origin)!;
    log.v1.grow(5);
    log.v2.grow(5);
    const impostor: NoteSigner =
      api === 'Rekor v1'
        ? ecdsaNoteSigner(log.v1.keyName, generateEcdsaP256().privateKey)
        : ed25519NoteSigner(log.v2.origin, generateEd25519().privateKey);
    log.faults.push({
      match: route,
      transform: (body) =>
        api === 'Rekor v1'
          ? JSON.stringify({
              ...(JSON.parse(body) as Record<string, unknown>),
              signedTreeHead: resign(
                (JSON.parse(body) as { signedTreeHead: string }).signedTreeHead,
                impostor,
              ),
            })
          : resign(body, impostor),
    });

    const result = await run();
    expect(result.code).toBe(4);
    // A Rekor v1 log's shards are discovered from that checkpoint's response: the failure is
    // the log's (named by its URL), not one shard's.
    const reportedAs = api === 'Rekor v1' ? log.url : origin;
    expect(linesOf(result, 'error')).toEqual([
      expect.objectContaining({ origin: reportedAs, code: 'NOTE_UNTRUSTED' }),
    ]);
    expect(storedCheckpoint(dataDir, origin)).toEqual(before);
    expect(alertsOf(dataDir, 'verification-failed')).toEqual([
      expect.objectContaining({ origin: reportedAs }),
    ]);
  });
});

/** The note's text signed by `signer` alone. */
function resign(note: string, signer: NoteSigner): string {
  return signNote(note.slice(0, note.indexOf('\n\n') + 1), [signer]);
}
