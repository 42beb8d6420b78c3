import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey, verify } from 'node:crypto';
import { startFakeLog, treeIdHex, type FakeLog } from '../../../electron/demo/fake-log';
import { createHttpClient, type HttpClientOptions } from '../../../electron/monitor/logs/http';
import {
  createRekorV1Client,
  globalToShard,
  shardOffsets,
  type RekorV1Client,
  type RekorV1Entry,
} from '../../../electron/monitor/logs/rekor-v1';
import { FetchError, VerificationError } from '../../../electron/core/errors';
import { openCheckpoint } from '../../../electron/core/tlog/checkpoint';
import { parseVerifierKey } from '../../../electron/core/tlog/note-verifiers';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../../electron/core/tlog/merkle';

const HOST = 'rekor.fake.test';
// Tree IDs above 2^53, as in production, to prove they are never handled as numbers.
const TREE_IDS = ['3904496407287907110', '2605736670972794746', '1193050959916656506'];
const SHARD_SIZES = [37, 50, 23];

let log: FakeLog;
let sleeps: number[];

/** A client whose backoff waits are recorded, not slept. */
function clientFor(
  options: { concurrency?: number; http?: HttpClientOptions } = {},
): RekorV1Client {
  const http = createHttpClient({
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options.http,
  });
  return createRekorV1Client({ baseUrl: `${log.url}/`, http, concurrency: options.concurrency });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Everything a monitor would check about an entry, with the production verifiers. */
function expectVerifiable(entry: RekorV1Entry, treeId: string): void {
  const proof = entry.inclusionProof;
  if (proof?.checkpoint === undefined) throw new Error('entry has no proof with a checkpoint');
  const checkpoint = openCheckpoint(proof.checkpoint, {
    origin: `${HOST} - ${treeId}`,
    logKey: parseVerifierKey(log.v1.vkey),
  });
  expect(checkpoint.treeSize).toBe(proof.treeSize);
  verifyInclusion(
    hashLeaf(entry.body),
    proof.logIndex,
    proof.treeSize,
    proof.hashes,
    checkpoint.rootHash,
  );
  const setPayload = JSON.stringify({
    body: Buffer.from(entry.body).toString('base64'),
    integratedTime: entry.integratedTime,
    logID: entry.logIdHex,
    logIndex: entry.logIndex,
  });
  const key = createPublicKey({ key: Buffer.from(log.v1.spkiDer), format: 'der', type: 'spki' });
  expect(
    verify('sha256', Buffer.from(setPayload), key, entry.signedEntryTimestamp as Uint8Array),
  ).toBe(true);
}

beforeEach(async () => {
  sleeps = [];
  log = await startFakeLog({ v1: { host: HOST, treeIds: TREE_IDS } });
  SHARD_SIZES.forEach((size, i) => {
    log.v1.grow(size);
    if (i < SHARD_SIZES.length - 1) log.v1.rotateShard();
  });
});

afterEach(async () => {
  await log.close();
});

describe('RekorV1Client.getLogInfo', () => {
  it('returns the active shard and the inactive shards oldest first', async () => {
    const info = await clientFor().getLogInfo();

    expect(info.active.treeId).toBe(TREE_IDS[2]);
    expect(info.inactive.map((s) => [s.treeId, s.treeSize])).toEqual([
      [TREE_IDS[0], 37],
      [TREE_IDS[1], 50],
    ]);
    expect(info.active.origin).toBe(`${HOST} - ${TREE_IDS[2]}`);
    for (const shard of [...info.inactive, info.active]) {
      const checkpoint = openCheckpoint(shard.signedTreeHead, {
        origin: `${HOST} - ${shard.treeId}`,
        logKey: parseVerifierKey(log.v1.vkey),
      });
      expect([checkpoint.treeSize, Buffer.from(checkpoint.rootHash).toString('hex')]).toEqual([
        shard.treeSize,
        Buffer.from(shard.rootHash).toString('hex'),
      ]);
    }
    expect(shardOffsets(info).map((s) => s.offset)).toEqual([0, 37, 87]);
  });
});

describe('RekorV1Client.getEntry', () => {
  it('maps every global index to the shard and shard-local index the log uses', async () => {
    const client = clientFor();
    const info = await client.getLogInfo();

    for (const index of [0, 36, 37, 86, 87, 109]) {
      const entry = await client.getEntry(index);
      const { treeId, shardIndex } = globalToShard(info, index);

      expect(entry.logIndex).toBe(index);
      expect(entry.inclusionProof?.logIndex).toBe(shardIndex);
      expect(entry.uuid.slice(0, 16)).toBe(treeIdHex(treeId));
      expect(Buffer.from(entry.body).equals(log.v1.tree(treeId).entry(shardIndex))).toBe(true);
      expectVerifiable(entry, treeId);
    }
  });

  it('fails with LOG_HTTP_STATUS 404 for an index past the end of the log', async () => {
    const err = await rejection(clientFor().getEntry(110));
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'LOG_HTTP_STATUS', status: 404 });
  });

  it('fails with ENTRY_MISMATCH when the log answers with another entry', async () => {
    log.faults.push({
      match: /logIndex=5$/,
      transform: (body) => body.replace('"logIndex":5,', '"logIndex":6,'),
    });
    const err = await rejection(clientFor().getEntry(5));
    expect(err).toBeInstanceOf(VerificationError);
    expect(err).toMatchObject({ code: 'ENTRY_MISMATCH' });
  });
});

describe('RekorV1Client.getConsistencyProof', () => {
  it('returns a proof that verifies between two sizes of the active shard', async () => {
    const tree = log.v1.tree();
    const proof = await clientFor().getConsistencyProof(5, 23);
    expect(() => verifyConsistency(5, 23, proof, tree.root(5), tree.root(23))).not.toThrow();
  });

  it('asks an inactive shard for its proof when given its tree ID', async () => {
    const tree = log.v1.tree(TREE_IDS[0]);
    const proof = await clientFor().getConsistencyProof(10, 37, TREE_IDS[0]);
    expect(() => verifyConsistency(10, 37, proof, tree.root(10), tree.root(37))).not.toThrow();
    expect(log.stats.count(new RegExp(`treeID=${TREE_IDS[0]}`))).toBe(1);
  });

  it.each([
    [0, 23],
    [23, 23],
  ])('returns [] without asking the log for (%i, %i)', async (first, last) => {
    await expect(clientFor().getConsistencyProof(first, last)).resolves.toEqual([]);
    expect(log.stats.count(/proof/)).toBe(0);
  });

  it('rejects firstSize above lastSize with INVALID_INPUT', async () => {
    await expect(clientFor().getConsistencyProof(5, 4)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('fails with LOG_HTTP_STATUS 400 when lastSize is beyond what the log has', async () => {
    await expect(clientFor().getConsistencyProof(5, 24)).rejects.toMatchObject({
      code: 'LOG_HTTP_STATUS',
      status: 400,
    });
  });
});

describe('RekorV1Client.retrieveEntries', () => {
  it('fetches indexes across all shards in batches of 10 and matches unordered results by logIndex', async () => {
    const indexes = Array.from({ length: 35 }, (_, i) => i * 3);

    const entries = await clientFor().retrieveEntries(indexes);

    expect([...entries.keys()].sort((a, b) => a - b)).toEqual(indexes);
    for (const [index, entry] of entries) {
      expect(entry.logIndex).toBe(index);
      const { treeId, shardIndex } = globalToShard(await clientFor().getLogInfo(), index);
      expect(Buffer.from(entry.body).equals(log.v1.tree(treeId).entry(shardIndex))).toBe(true);
    }
    expect(log.stats.count(/retrieve/)).toBe(4);
    const batches = log.stats.requests
      .filter((r) => r.path.endsWith('/retrieve'))
      .map((r) => (JSON.parse(r.body) as { logIndexes: number[] }).logIndexes.length);
    expect(batches.sort()).toEqual([10, 10, 10, 5]);
  });

  it('leaves out indexes the log does not return', async () => {
    const entries = await clientFor().retrieveEntries([108, 109, 110, 5000]);
    expect([...entries.keys()].sort((a, b) => a - b)).toEqual([108, 109]);
  });

  it('asks once for an index listed twice', async () => {
    const entries = await clientFor().retrieveEntries([4, 4, 4]);
    expect(entries.size).toBe(1);
    expect(log.stats.count(/retrieve/)).toBe(1);
  });

  it('makes no request when no index is asked for', async () => {
    await expect(clientFor().retrieveEntries([])).resolves.toEqual(new Map());
    expect(log.stats.count()).toBe(0);
  });

  it.each([1, 3, 8])('keeps exactly %i requests in flight', async (concurrency) => {
    log.faults.push({ match: /retrieve/, delayMs: 40 });
    const indexes = Array.from({ length: 100 }, (_, i) => i);

    await clientFor({ concurrency }).retrieveEntries(indexes);

    expect(log.stats.maxInFlight).toBe(concurrency);
    expect(log.stats.count(/retrieve/)).toBe(10);
  });

  it('survives 500s, a 429 with Retry-After and a truncated body', async () => {
    log.faults.push(
      { match: /retrieve/, status: 500, times: 2 },
      { match: /retrieve/, status: 429, headers: { 'retry-after': '3' }, times: 1 },
      { match: /retrieve/, truncate: true, times: 1 },
    );

    const entries = await clientFor({ concurrency: 1 }).retrieveEntries([1, 2, 3]);

    expect(entries.size).toBe(3);
    expect(log.stats.count(/retrieve/)).toBe(5);
    expect(sleeps).toContain(3000);
  });

  it('survives a response slower than the timeout by retrying', async () => {
    log.faults.push({ match: /retrieve/, delayMs: 2000, times: 1 });

    const entries = await clientFor({ http: { timeoutMs: 150 } }).retrieveEntries([7]);

    expect(entries.get(7)?.logIndex).toBe(7);
    expect(log.stats.count(/retrieve/)).toBe(2);
  });

  it('fails with LOG_HTTP_STATUS once retries are spent on a log that keeps failing', async () => {
    log.faults.push({ match: /retrieve/, status: 503 });
    const err = await rejection(clientFor({ http: { retries: 2 } }).retrieveEntries([1]));
    expect(err).toMatchObject({ code: 'LOG_HTTP_STATUS', status: 503 });
    expect(log.stats.count(/retrieve/)).toBe(3);
  });

  it('fails with ENTRY_MISMATCH when the log returns an entry that was not asked for', async () => {
    log.faults.push({
      match: /retrieve/,
      transform: (body) => body.replace('"logIndex":2,', '"logIndex":9,'),
    });
    const err = await rejection(clientFor().retrieveEntries([1, 2]));
    expect(err).toBeInstanceOf(VerificationError);
    expect(err).toMatchObject({ code: 'ENTRY_MISMATCH' });
  });

  it('fails with RESPONSE_MALFORMED when the log returns one index twice', async () => {
    log.faults.push({
      match: /retrieve/,
      transform: (body) => {
        const items = JSON.parse(body) as unknown[];
        return JSON.stringify([...items, items[0]]);
      },
    });
    await expect(clientFor().retrieveEntries([1, 2])).rejects.toMatchObject({
      code: 'RESPONSE_MALFORMED',
    });
  });

  it('fails with ENTRY_MISMATCH when an entry body does not match its uuid', async () => {
    log.faults.push({
      match: /retrieve/,
      transform: (body) => {
        const [item] = JSON.parse(body) as Record<string, { body: string }>[];
        const value = Object.values(item as object)[0] as { body: string };
        value.body = Buffer.from('{"tampered":true}').toString('base64');
        return JSON.stringify([item]);
      },
    });
    await expect(clientFor().retrieveEntries([1])).rejects.toMatchObject({
      code: 'ENTRY_MISMATCH',
    });
  });
});

describe('RekorV1Client with a misbehaving log', () => {
  it.each([
    { desc: 'truncated JSON', fault: { body: '{"treeSize":' } },
    { desc: 'an HTML page', fault: { body: '<html>oops</html>' } },
    {
      desc: 'a LogInfo without signedTreeHead',
      fault: { transform: (b: string) => b.replace('signedTreeHead', 'x') },
    },
    {
      desc: 'a hex tree size',
      fault: { transform: (b: string) => b.replace(/"treeSize":23/, '"treeSize":"0x17"') },
    },
  ])('retries $desc on /api/v1/log like a 5xx', async ({ fault }) => {
    log.faults.push({ match: /GET \/api\/v1\/log$/, ...fault, times: 2 });
    const info = await clientFor().getLogInfo();
    expect(info.active.treeSize).toBe(23);
    expect(log.stats.count()).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it.each([
    { desc: 'truncated JSON', fault: { body: '{"treeSize":' } },
    {
      desc: 'a LogInfo without signedTreeHead',
      fault: { transform: (b: string) => b.replace('signedTreeHead', 'x') },
    },
  ])(
    'fails with FetchError RESPONSE_MALFORMED when /api/v1/log keeps serving $desc',
    async ({ fault }) => {
      log.faults.push({ match: /GET \/api\/v1\/log$/, ...fault });
      const err = await rejection(clientFor({ http: { retries: 2 } }).getLogInfo());
      expect(err).toBeInstanceOf(FetchError);
      expect(err).toMatchObject({ code: 'RESPONSE_MALFORMED' });
      expect((err as Error).message).toContain('serving malformed responses');
      expect(log.stats.count()).toBe(3);
    },
  );

  it('fails with RESPONSE_MALFORMED when a proof hash is not 32 bytes of hex', async () => {
    log.faults.push({
      match: /proof/,
      transform: (b) => b.replace(/"hashes":\["[0-9a-f]{2}/, '"hashes":["zz'),
    });
    await expect(clientFor().getConsistencyProof(5, 23)).rejects.toMatchObject({
      code: 'RESPONSE_MALFORMED',
    });
  });

  it('fails with RESPONSE_TOO_LARGE and stops reading when a body passes the cap', async () => {
    log.faults.push({ match: /GET \/api\/v1\/log$/, oversizeBytes: 5_000_000 });
    const err = await rejection(clientFor({ http: { maxBytes: 64 * 1024 } }).getLogInfo());
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });

  it('fails with LOG_UNREACHABLE when nothing listens', async () => {
    const client = clientFor({ http: { retries: 1 } });
    await log.close();
    log = await startFakeLog();
    const err = await rejection(client.getLogInfo());
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'LOG_UNREACHABLE' });
  });

  it('keeps serving the same origin with another history after a fork', async () => {
    const client = clientFor();
    const before = await client.getLogInfo();
    log.v1.fork({
      at: 20,
      entries: [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])],
    });

    const after = await client.getLogInfo();

    expect(after.active.treeSize).toBe(before.active.treeSize);
    expect(after.active.origin).toBe(before.active.origin);
    expect(Buffer.from(after.active.rootHash).equals(before.active.rootHash)).toBe(false);
    const proof = await client.getConsistencyProof(20, 23);
    expect(() =>
      verifyConsistency(20, 23, proof, log.v1.tree().root(20), before.active.rootHash),
    ).toThrow(VerificationError);
  });
});
