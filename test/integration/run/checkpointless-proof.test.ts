// `vigil run --once` against a Rekor v1 log whose entries come with inclusion proofs but no
// checkpoint (as Rekor served them before sigstore/rekor#1015). `vigil verify` accepts such old
// evidence on its SET; the monitor does not: an entry is scanned only once proven in a verified
// tree, so such a response is malformed and nothing is scanned past it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa, entryBodyFor } from '../../../electron/demo/cert-factory';
import type { FakeLog } from '../../../electron/demo/fake-log/index';
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
} from '../../support/run-helpers';

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Drops (or nulls) `checkpoint` from every inclusion proof of a LogEntry or retrieve answer. */
function withoutCheckpoints(body: string, asNull: boolean): string {
  const json = JSON.parse(body) as Json | Json[];
  for (const entryMap of Array.isArray(json) ? json : [json]) {
    for (const value of Object.values(entryMap) as Json[]) {
      const proof = value.verification?.inclusionProof as Json | undefined;
      if (proof === undefined) continue;
      if (asNull) proof.checkpoint = null;
      else delete proof.checkpoint;
    }
  }
  return JSON.stringify(json);
}

describe('vigil run on a Rekor v1 log serving proofs without checkpoints', () => {
  it.each([
    { how: 'absent', asNull: false },
    { how: 'null', asNull: true },
  ])(
    'reports RESPONSE_MALFORMED and scans nothing when the checkpoint is $how',
    async ({ asNull }) => {
      log = await startNamedFakeLog();
      const ca = createTestCa();
      const dir = mkdtempSync(join(tmpdir(), 'vigil-checkpointless-'));
      const dataDir = join(dir, 'data');
      log.v1.grow(10);
      const args = ['run', '--once', '--json', '--data-dir', dataDir, '--log', `v1:${log.url}`];
      const trust = ['--trusted-root', writeTrustedRootFor(dir, [log], ca)];
      const watchlist = ['--watchlist', writeWatchlist(dir, WATCHLIST_YAML)];
      expect((await runVigil([...args, ...trust, ...watchlist])).code).toBe(0);
      const origin = log.v1.origin();
      const nextIndex = () => withStores(dataDir, (s) => s.scans.get(origin)?.nextIndex);
      expect(nextIndex()).toBe(10);

      // A watched signing the scan would report, if it accepted the unproven entries.
      log.v1.append([entryBodyFor(signingCertificate(ca, EVIL, 'trusted'), 'hashedrekord@0.0.1')]);
      log.v1.grow(4);
      log.faults.push({
        match: /^(GET \/api\/v1\/log\/entries\?|POST \/api\/v1\/log\/entries\/retrieve)/,
        transform: (body) => withoutCheckpoints(body, asNull),
      });

      const result = await runVigil([...args, ...trust]);
      expect([0, 3]).not.toContain(result.code);
      expect(linesOf(result, 'error')).toEqual([
        expect.objectContaining({ code: 'RESPONSE_MALFORMED' }),
      ]);
      expect(linesOf(result, 'error')[0]!.message).toMatch(/without a checkpoint/);
      expect(linesOf(result, 'match')).toEqual([]);
      expect(nextIndex()).toBe(10);
    },
  );
});
