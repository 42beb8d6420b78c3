// The Rekor v1 and v2 readers against the fake log signing under each naming convention real
// deployments use (FakeLogNaming): trust derived from the log's URL as `vigil run` derives it
// (describeTrustedLogs, noteVerifierFor), shards and origins discovered, checkpoints opened,
// entries proven in the verified trees, consistency proven between two checkpoints.
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrustedRoot } from '../../../electron/core/trust/trusted-root';
import { describeTrustedLogs, noteVerifierFor } from '../../../electron/core/trust/log-descriptor';
import type {
  RekorV1LogDescriptor,
  RekorV2LogDescriptor,
} from '../../../electron/core/trust/types';
import { hashLeaf, verifyInclusion } from '../../../electron/core/tlog/merkle';
import { createHttpClient } from '../../../electron/monitor/logs/http';
import { createRekorV1Client } from '../../../electron/monitor/logs/rekor-v1';
import { discoverRekorV1Trees } from '../../../electron/monitor/jobs/rekor-v1-trees';
import { discoverRekorV2Tree } from '../../../electron/monitor/jobs/rekor-v2-tree';
import type { FollowedTree } from '../../../electron/monitor/jobs/tree';
import {
  KEY_NAMINGS,
  namesFor,
  startFakeLog,
  type FakeLog,
} from '../../../electron/demo/fake-log/index';
import { fakeTrustedRoot } from '../../../electron/demo/fake-trust';
import {
  ecdsaNoteSigner,
  ed25519NoteSigner,
  generateEcdsaP256,
  generateEd25519,
  signNote,
} from '../../../electron/demo/note-signer';

const TREE_IDS = ['3904496407287907110', '1193050959916656506'];

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

const http = () => createHttpClient({ sleep: async () => undefined, random: () => 0.5 });

function trustedLogs(fake: FakeLog) {
  const root = parseTrustedRoot(fakeTrustedRoot(fake));
  const logs = describeTrustedLogs(root, Date.now());
  return {
    v1: logs.find((l): l is RekorV1LogDescriptor => l.apiVersion === 1)!,
    v2: logs.find((l): l is RekorV2LogDescriptor => l.apiVersion === 2)!,
  };
}

async function v1Trees(fake: FakeLog): Promise<FollowedTree[]> {
  const { v1 } = trustedLogs(fake);
  const client = createRekorV1Client({ baseUrl: v1.baseUrl, http: http() });
  return discoverRekorV1Trees(v1, client, noteVerifierFor(v1));
}

/** Reads every entry of `tree` up to its checkpoint and checks each is the one logged. */
async function expectEveryEntryProven(tree: FollowedTree, bodies: (i: number) => Uint8Array) {
  const checkpoint = await tree.fetchCheckpoint();
  const entries = await tree.readEntries(0, checkpoint.treeSize, checkpoint);
  expect(entries.map((e) => e.index)).toEqual([...Array(checkpoint.treeSize).keys()]);
  for (const e of entries) expect(Buffer.from(e.bytes)).toEqual(Buffer.from(bodies(e.index)));
  const last = checkpoint.treeSize - 1;
  const evidence = await tree.inclusionEvidence(last, checkpoint);
  const leaf = hashLeaf(bodies(last));
  expect(() =>
    verifyInclusion(leaf, last, evidence.treeSize, [...evidence.hashes], checkpoint.rootHash),
  ).not.toThrow();
}

describe.each(KEY_NAMINGS)('the log readers ($label)', (naming) => {
  it('follows every Rekor v1 shard, matching the signature line by key ID', async () => {
    log = await startFakeLog({ naming, v1: { treeIds: TREE_IDS } });
    const name = namesFor(log.url, naming).v1;
    log.v1.grow(37);
    log.v1.rotateShard();
    log.v1.grow(23);

    const trees = await v1Trees(log);
    expect(trees.map((t) => [t.origin, t.indexOffset, t.retired])).toEqual([
      [`${name} - ${TREE_IDS[0]}`, 0, true],
      [`${name} - ${TREE_IDS[1]}`, 37, false],
    ]);
    for (const tree of trees) {
      const checkpoint = await tree.fetchCheckpoint();
      expect(checkpoint.keyName).toBe(name);
      const offset = tree.indexOffset;
      await expectEveryEntryProven(tree, (i) => log!.v1.tree(tree.origin.split(' - ')[1]).entry(i));
      expect(checkpoint.treeSize).toBe(offset === 0 ? 37 : 23);
    }
  });

  it('proves a grown Rekor v1 shard consistent with its earlier checkpoint', async () => {
    log = await startFakeLog({ naming });
    log.v1.grow(40);
    const [before] = await v1Trees(log);
    const old = await before!.fetchCheckpoint();
    log.v1.grow(25);
    const [after] = await v1Trees(log);
    const proof = await after!.proveConsistency(old, await after!.fetchCheckpoint());
    expect(proof.length).toBeGreaterThan(0);
  });

  it('refuses a Rekor v1 checkpoint signed under its name by another key', async () => {
    log = await startFakeLog({ naming });
    log.v1.grow(5);
    const impostor = ecdsaNoteSigner(log.v1.keyName, generateEcdsaP256().privateKey);
    log.faults.push({
      match: /^GET \/api\/v1\/log$/,
      transform: (body) => {
        const info = JSON.parse(body) as { signedTreeHead: string };
        const text = info.signedTreeHead.slice(0, info.signedTreeHead.indexOf('\n\n') + 1);
        return JSON.stringify({ ...info, signedTreeHead: signNote(text, [impostor]) });
      },
    });
    await expect(v1Trees(log)).rejects.toMatchObject({ code: 'NOTE_UNTRUSTED' });
  });

  it('follows the Rekor v2 log under the origin it signs', async () => {
    log = await startFakeLog({ naming, v2: { prefix: '/v2' } });
    const origin = namesFor(log.url, naming).v2;
    log.v2.grow(300);
    const { v2 } = trustedLogs(log);
    expect(v2.origins.map((o) => o.origin)).toContain(origin);

    const tree = await discoverRekorV2Tree(v2, http(), 4);
    const checkpoint = await tree.fetchCheckpoint();
    expect([tree.origin, checkpoint.origin, checkpoint.keyName]).toEqual([origin, origin, origin]);
    await expectEveryEntryProven(tree, (i) => log!.v2.tree().entry(i));

    log.v2.grow(200);
    const later = await discoverRekorV2Tree(v2, http(), 4);
    const proof = await later.proveConsistency(checkpoint, await later.fetchCheckpoint());
    expect(proof.length).toBeGreaterThan(0);
  });

  it('refuses a Rekor v2 checkpoint under an origin of another port or host', async () => {
    log = await startFakeLog({ naming, v2: { prefix: '/v2' } });
    log.v2.grow(3);
    const { v2 } = trustedLogs(log);
    const key = generateEd25519().privateKey;
    for (const origin of [`${new URL(log.url).hostname}:1`, 'elsewhere.example']) {
      const signer = ed25519NoteSigner(origin, key);
      // Twice: a checkpoint that fails verification is read once more on a fresh connection.
      log.faults.push({
        match: /^GET \/v2\/checkpoint$/,
        times: 2,
        transform: (body) =>
          signNote(`${origin}\n${body.split('\n').slice(1, 3).join('\n')}\n`, [signer]),
      });
      await expect(discoverRekorV2Tree(v2, http(), 4)).rejects.toMatchObject({
        code: 'NOTE_UNTRUSTED',
      });
    }
  });
});
