// Real Sigstore data (test/fixtures/realdata) shaped for the stores, and a fresh store set.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeBase64Strict, decodeHex, encodeUtf8 } from '../../../../electron/core/bytes';
import { sha256 } from '../../../../electron/core/hash';
import type { KeyIdentity } from '../../../../electron/core/identity/types';
import {
  openDatabase,
  openStores,
  type DeliveryPolicy,
  type LogDescriptorRecord,
  type NewMatch,
  type StoredCheckpoint,
  type Stores,
} from '../../../../electron/monitor/store/index';

const REALDATA = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));

interface CheckpointLine {
  origin: string;
  treeSize: number;
  rootHashB64: string;
  signedNote: string;
}

interface EntryLine {
  logIndex: number;
  bodyB64: string;
  leafHashHex: string;
  shard: { shardLocalIndex: number; virtualIndexOffset: number; treeID: string } | null;
  inclusionProof: { treeSize: number; hashesHex: string[]; checkpoint?: string };
}

const jsonl = <T>(path: string): T[] =>
  readFileSync(REALDATA + path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);

const hex = (s: string): Uint8Array => decodeHex(s)!;

/** Every real checkpoint of `origin`, in file order (sizes ascend; some repeat). */
export function realCheckpoints(origin: string, verifiedAtMs = 1_000): StoredCheckpoint[] {
  return jsonl<CheckpointLine>('checkpoints/sigstore-checkpoints.jsonl')
    .filter((c) => c.origin === origin)
    .map((c) => ({
      origin: c.origin,
      treeSize: c.treeSize,
      rootHash: decodeBase64Strict(c.rootHashB64)!,
      signedNote: c.signedNote,
      verifiedAtMs,
    }));
}

export const V2_ORIGIN = 'log2025-1.rekor.sigstore.dev';
export const V1_ORIGIN = 'rekor.sigstore.dev - 1193050959916656506';

export const V2_LOG: LogDescriptorRecord = {
  origin: V2_ORIGIN,
  apiVersion: 2,
  readUrl: 'https://log2025-1.rekor.sigstore.dev',
  state: 'active',
};

export const V1_LOG: LogDescriptorRecord = {
  origin: V1_ORIGIN,
  apiVersion: 1,
  readUrl: 'https://rekor.sigstore.dev',
  state: 'active',
  treeId: '1193050959916656506',
  indexOffset: 121_904_262,
};

/** A key signer as core/identity describes one. */
export const KEY_SIGNER: KeyIdentity = {
  type: 'publicKey',
  location: 'spec.signature.verifier.publicKey',
  keyFormat: 'spki',
  spkiSha256Hex: '6cc9f777b65eacddc300d45f1be2944e472c7b1499369f8ccecc02e6b189afbf',
  chain: 'n/a',
};

/** The real Rekor v2 entry 412114, proven against the real checkpoint of size 412115. */
export function realV2Match(overrides: Partial<NewMatch> = {}): NewMatch {
  const e = jsonl<EntryLine>('rekor-v2/entries.production.jsonl').find(
    (x) => x.logIndex === 412_114,
  )!;
  const checkpoint = realCheckpoints(V2_ORIGIN).find((c) => c.treeSize === 412_115)!;
  return {
    logIndex: e.logIndex,
    watchName: 'key:release',
    entryBytes: decodeBase64Strict(e.bodyB64)!,
    leafHash: hex(e.leafHashHex),
    checkpoint: { treeSize: checkpoint.treeSize, signedNote: checkpoint.signedNote },
    inclusionProof: e.inclusionProof.hashesHex.map(hex),
    signer: KEY_SIGNER,
    classification: 'unexpected',
    reason: 'signed by the release key outside the release workflow',
    ...overrides,
  };
}

/** The real Rekor v1 entry 129601213 (shard-local 7696951), with its response checkpoint. */
export function realV1Match(overrides: Partial<NewMatch> = {}): NewMatch {
  const e = jsonl<EntryLine>('rekor-v1/entries.production.jsonl').find(
    (x) => x.logIndex === 129_601_213,
  )!;
  return {
    logIndex: e.logIndex,
    shardIndex: e.shard!.shardLocalIndex,
    watchName: 'key:release',
    entryBytes: decodeBase64Strict(e.bodyB64)!,
    leafHash: hex(e.leafHashHex),
    integratedTimeMs: 1_700_000_000_000,
    checkpoint: { treeSize: e.inclusionProof.treeSize, signedNote: e.inclusionProof.checkpoint! },
    inclusionProof: e.inclusionProof.hashesHex.map(hex),
    signer: KEY_SIGNER,
    classification: 'untrusted',
    reason: 'certificate does not chain to Fulcio',
    ...overrides,
  };
}

/** A synthetic v2 match at `logIndex` (bytes and leaf hash consistent) proven at 412115. */
export function syntheticV2Match(logIndex: number, overrides: Partial<NewMatch> = {}): NewMatch {
  const entryBytes = encodeUtf8(`{"entry":${logIndex}}`);
  return realV2Match({
    logIndex,
    entryBytes,
    leafHash: sha256(new Uint8Array([0]), entryBytes),
    ...overrides,
  });
}

/** Fresh stores on ':memory:' with the real v2 and v1 logs registered and checkpoints stored. */
export function seededStores(delivery?: DeliveryPolicy): Stores {
  const stores = openStores(openDatabase(':memory:'), delivery ? { delivery } : {});
  stores.logs.upsert(V2_LOG, 1);
  stores.logs.upsert(V1_LOG, 1);
  stores.checkpoints.add(realCheckpoints(V2_ORIGIN).find((c) => c.treeSize === 412_115)!);
  stores.checkpoints.add(realCheckpoints(V1_ORIGIN).find((c) => c.treeSize === 7_696_953)!);
  return stores;
}

/** Row count of a table, for "nothing changed" assertions. */
export const count = (stores: Stores, table: string): number =>
  stores.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
