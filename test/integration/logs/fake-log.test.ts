// The fake log must itself be right, or every test built on it proves nothing: its trees are
// cross-checked against the naive RFC 6962 reference, and its answers against the production
// verifiers in electron/core/tlog.
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listMth,
  referenceProof,
  referencePath,
  referenceRoot,
  tileResources,
} from '../../support/reference-tree';
import {
  MerkleTree,
  encodeTileIndex,
  parseTilePath,
  startFakeLog,
  type FakeLog,
} from '../../../electron/demo/fake-log';
import { openCheckpoint } from '../../../electron/core/tlog/checkpoint';
import { parseVerifierKey } from '../../../electron/core/tlog/note-verifiers';
import { verifyConsistency, verifyInclusion, hashLeaf } from '../../../electron/core/tlog/merkle';
import { splitEntryBundle, tilePath } from '../../../electron/core/tlog/tiles';

const entry = (i: number) => new Uint8Array(Buffer.from(`entry ${i}`));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('MerkleTree', () => {
  const SIZE = 70;
  const entries = Array.from({ length: SIZE }, (_, i) => entry(i));
  const mth = listMth(entries);
  const tree = new MerkleTree();
  entries.forEach((e) => tree.append(e));

  it('has the reference root at every size', () => {
    for (let size = 0; size <= SIZE; size++) {
      expect(hex(tree.root(size))).toBe(hex(referenceRoot(mth, BigInt(size))));
    }
  });

  it('gives the reference inclusion proof for every (index, size)', () => {
    for (let size = 1; size <= SIZE; size++) {
      for (let index = 0; index < size; index++) {
        const want = referencePath(mth, BigInt(index), 0n, BigInt(size)).map(hex);
        expect(tree.inclusionProof(index, size).map(hex)).toEqual(want);
      }
    }
  });

  it('gives the reference consistency proof for every (size1, size2)', () => {
    for (let n = 1; n <= SIZE; n++) {
      for (let m = 1; m <= n; m++) {
        const want = referenceProof(mth, BigInt(m), BigInt(n)).map(hex);
        expect(tree.consistencyProof(m, n).map(hex)).toEqual(want);
      }
    }
  });

  it('keeps the prefix and the original independent after prefix()', () => {
    const copy = tree.prefix(40);
    copy.append(entry(1000));
    expect(hex(tree.root(40))).toBe(hex(copy.root(40)));
    expect(hex(tree.root(41))).not.toBe(hex(copy.root(41)));
    expect(tree.size).toBe(SIZE);
    expect(Buffer.from(tree.entry(40)).toString()).toBe('entry 40');
  });

  it('rehashes every ancestor when an entry is replaced', () => {
    const copy = tree.prefix(SIZE);
    copy.replace(37, entry(9999));
    const rewritten = entries.map((e, i) => (i === 37 ? entry(9999) : e));
    expect(hex(copy.root())).toBe(hex(referenceRoot(listMth(rewritten), BigInt(SIZE))));
    expect(hex(copy.root(37))).toBe(hex(tree.root(37)));
  });
});

describe('startFakeLog', () => {
  let log: FakeLog;
  afterEach(async () => {
    await log.close();
  });

  describe('tlog-tiles', () => {
    it('serves a checkpoint signed by its Ed25519 key, with origin = key name', async () => {
      log = await startFakeLog({ v2: { origin: 'log2025-1.fake.test' } });
      log.v2.grow(300);

      const note = await (await fetch(`${log.url}/checkpoint`)).text();
      const checkpoint = openCheckpoint(note, {
        origin: 'log2025-1.fake.test',
        logKey: parseVerifierKey(log.v2.vkey),
      });

      expect(checkpoint.treeSize).toBe(300);
      expect(hex(checkpoint.rootHash)).toBe(hex(log.v2.tree().root()));
    });

    it('serves exactly the reference tiles and entry bundles', async () => {
      log = await startFakeLog();
      const entries = Array.from({ length: 256 * 3 + 17 }, (_, i) => entry(i));
      log.v2.append(entries);

      const want = tileResources(entries);
      for (const [path, bytes] of want) {
        const res = await fetch(`${log.url}/${path}`);
        expect(res.status, path).toBe(200);
        expect(hex(new Uint8Array(await res.arrayBuffer())), path).toBe(hex(bytes));
      }
      const bundle = new Uint8Array(
        await (await fetch(`${log.url}/tile/entries/001`)).arrayBuffer(),
      );
      expect(splitEntryBundle(bundle).map((e) => Buffer.from(e).toString())[0]).toBe('entry 256');
    });

    it('answers 404 for tiles the tree does not have yet', async () => {
      log = await startFakeLog();
      log.v2.grow(10);
      for (const path of [
        'tile/0/000',
        'tile/0/000.p/11',
        'tile/1/000.p/1',
        'tile/entries/001.p/1',
      ]) {
        expect((await fetch(`${log.url}/${path}`)).status, path).toBe(404);
      }
    });

    it('serves a second log under its own prefix', async () => {
      log = await startFakeLog();
      const second = log.addTilesLog({ origin: 'log2026-1.fake.test', prefix: '/log2026-1/' });
      second.grow(3);
      const note = await (await fetch(`${log.url}/log2026-1/checkpoint`)).text();
      expect(note.split('\n').slice(0, 2)).toEqual(['log2026-1.fake.test', '3']);
      expect((await fetch(`${log.url}/log2026-1/tile/0/000.p/3`)).status).toBe(200);
    });
  });

  describe('Rekor v1', () => {
    it('freezes the active shard and starts a new tree when a shard rotates', async () => {
      log = await startFakeLog({ v1: { host: 'rekor.fake.test', treeIds: ['11', '22'] } });
      log.v1.grow(5);
      log.v1.rotateShard();
      log.v1.grow(3);

      const info = (await (await fetch(`${log.url}/api/v1/log`)).json()) as {
        treeID: string;
        treeSize: number;
        signedTreeHead: string;
        inactiveShards: { treeID: string; treeSize: number; signedTreeHead: string }[];
      };

      expect([info.treeID, info.treeSize]).toEqual(['22', 3]);
      expect(info.inactiveShards.map((s) => [s.treeID, s.treeSize])).toEqual([['11', 5]]);
      const logKey = parseVerifierKey(log.v1.vkey);
      expect(
        openCheckpoint(info.signedTreeHead, { origin: 'rekor.fake.test - 22', logKey }).treeSize,
      ).toBe(3);
      const frozen = info.inactiveShards[0]?.signedTreeHead as string;
      expect(openCheckpoint(frozen, { origin: 'rekor.fake.test - 11', logKey }).treeSize).toBe(5);
      // Frozen shards serve one cached checkpoint; the active one is signed per response.
      const again = (await (await fetch(`${log.url}/api/v1/log`)).json()) as typeof info;
      expect(again.inactiveShards[0]?.signedTreeHead).toBe(frozen);
      expect(again.signedTreeHead).not.toBe(info.signedTreeHead);
    });

    it('serves a consistency proof that verifies between two of its checkpoints', async () => {
      log = await startFakeLog();
      log.v1.grow(100);
      const root1 = log.v1.tree().root(37);
      const res = await fetch(`${log.url}/api/v1/log/proof?firstSize=37&lastSize=100`);
      const { hashes } = (await res.json()) as { hashes: string[] };

      const proof = hashes.map((h) => new Uint8Array(Buffer.from(h, 'hex')));
      expect(() => verifyConsistency(37, 100, proof, root1, log.v1.tree().root())).not.toThrow();
    });

    it('serves entries whose inclusion proof verifies against the checkpoint they carry', async () => {
      log = await startFakeLog();
      log.v1.grow(21);
      const res = await fetch(`${log.url}/api/v1/log/entries?logIndex=13`);
      const [value] = Object.values((await res.json()) as Record<string, unknown>);
      const { body, verification } = value as {
        body: string;
        verification: {
          inclusionProof: {
            logIndex: number;
            treeSize: number;
            hashes: string[];
            checkpoint: string;
          };
        };
      };
      const { inclusionProof: p } = verification;
      const checkpoint = openCheckpoint(p.checkpoint, {
        origin: log.v1.origin(),
        logKey: parseVerifierKey(log.v1.vkey),
      });
      const leaf = hashLeaf(new Uint8Array(Buffer.from(body, 'base64')));
      const proof = p.hashes.map((h) => new Uint8Array(Buffer.from(h, 'hex')));
      expect(() =>
        verifyInclusion(leaf, p.logIndex, p.treeSize, proof, checkpoint.rootHash),
      ).not.toThrow();
    });

    it('serves the fork only to the requests its selector picks', async () => {
      log = await startFakeLog();
      log.v1.grow(10);
      log.v1.fork({ at: 6, entries: [entry(-1)], when: (req) => req.seq % 2 === 1 });

      const sizes: number[] = [];
      for (let i = 0; i < 4; i++) {
        sizes.push(
          ((await (await fetch(`${log.url}/api/v1/log`)).json()) as { treeSize: number }).treeSize,
        );
      }

      expect(sizes).toEqual([10, 7, 10, 7]);
    });

    it('keeps the tree size but changes the root when history is rewritten', async () => {
      log = await startFakeLog();
      log.v1.grow(8);
      const before = log.v1.tree().root();
      log.v1.rewriteHistory({ index: 2, entry: entry(-2) });
      expect(log.v1.size).toBe(8);
      expect(hex(log.v1.tree().root())).not.toBe(hex(before));
    });

    it('answers retrieve with at most 10 queries and 422 beyond', async () => {
      log = await startFakeLog();
      log.v1.grow(20);
      const post = (logIndexes: number[]) =>
        fetch(`${log.url}/api/v1/log/entries/retrieve`, {
          method: 'POST',
          body: JSON.stringify({ logIndexes }),
        });

      expect((await post([...Array(11).keys()])).status).toBe(422);
      const found = (await (await post([0, 5, 19, 20, 500])).json()) as object[];
      expect(found).toHaveLength(3);
    });
  });

  describe('faults', () => {
    it('applies a fault the given number of times, then answers normally', async () => {
      log = await startFakeLog();
      log.faults.push({ match: /GET \/api\/v1\/log$/, status: 503, times: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${log.url}/api/v1/log`)).status);
      expect(statuses).toEqual([503, 503, 200]);
      expect(log.stats.count(/\/api\/v1\/log$/)).toBe(3);
    });

    it('keeps a rhythm per periodic fault, counting every request it matches', async () => {
      log = await startFakeLog();
      const faults = [
        { match: /./, every: 3, status: 500 },
        { match: /./, every: 2, status: 429, headers: { 'retry-after': '1' } },
      ];
      log.faults.push(...faults);
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${log.url}/api/v1/log`)).status);
      // 6 is due for both: the earlier fault wins, and the later one still counts it.
      expect(statuses).toEqual([200, 429, 500, 429, 200, 500, 200]);
      expect(faults.map((f) => (f as { applied?: number }).applied)).toEqual([2, 2]);
    });

    it('halves an answer with a Content-Length that agrees with what is sent', async () => {
      log = await startFakeLog();
      log.v1.grow(3);
      const whole = Buffer.from(await (await fetch(`${log.url}/api/v1/log`)).arrayBuffer());
      log.faults.push({ match: /GET \/api\/v1\/log$/, halve: true, times: 1 });
      const cut = await fetch(`${log.url}/api/v1/log`);
      const bytes = Buffer.from(await cut.arrayBuffer());
      expect(cut.status).toBe(200);
      expect(Number(cut.headers.get('content-length'))).toBe(bytes.length);
      // ECDSA signatures vary in length, so two answers differ by a few bytes.
      expect(Math.abs(bytes.length - whole.length / 2)).toBeLessThan(4);
      expect(bytes.subarray(0, 40)).toEqual(whole.subarray(0, 40));
      expect(() => JSON.parse(bytes.toString('utf8'))).toThrow();
    });

    it('numbers the connections requests come on', async () => {
      log = await startFakeLog();
      const get = (agent: Agent | false) =>
        new Promise<void>((resolve, reject) => {
          request(`${log.url}/api/v1/log`, { agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
            .on('error', reject)
            .end();
        });
      const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
      await get(keepAlive);
      await get(keepAlive);
      await get(false);
      keepAlive.destroy();
      const [a, b, c] = log.stats.requests.map((r) => r.connection);
      expect(a).toBe(b);
      expect(c).not.toBe(a);
    });
  });
});

describe('encodeTileIndex', () => {
  it.each([0, 5, 999, 1000, 1_234_067, 2 ** 40])('spells %s as core tilePath does', (index) => {
    expect(`tile/0/${encodeTileIndex(index)}`).toBe(tilePath({ level: 0, index, width: 256 }));
    expect(parseTilePath(`/tile/0/${encodeTileIndex(index)}`)).toEqual({
      level: 0,
      index,
      width: 256,
    });
  });

  it.each([
    '/tile/0/x000/005',
    '/tile/0/5',
    '/tile/0/005.p/256',
    '/tile/0/005.p/0',
    '/tile/00/005',
  ])('refuses the non-canonical path %s', (path) => {
    expect(parseTilePath(path)).toBeUndefined();
  });
});
