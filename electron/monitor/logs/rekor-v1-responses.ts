// Strict parsers for the Rekor v1 REST responses other than LogEntry (sigstore/rekor
// openapi.yaml `LogInfo`, `ConsistencyProof`; FORMATS.md §1.1–1.2). Syntax only.
import {
  malformed,
  optionalField,
  readArray,
  readHash,
  readObject,
  readString,
  readUint,
} from '../../core/entries/rekor-v1-fields';
import type { RekorV1LogInfo, ShardInfo } from './rekor-v1-shards';

const TREE_ID = /^[1-9][0-9]{0,18}$/;
const INT64_MAX = '9223372036854775807';

/**
 * Parses `GET /api/v1/log`. Requires distinct tree IDs (positive int64 decimal strings) and
 * integer sizes ≤ 2^53-1. Throws VerificationError RESPONSE_MALFORMED. Verifies no signature:
 * each `signedTreeHead` must still be opened with the log's key.
 */
export function parseRekorV1LogInfo(json: unknown): RekorV1LogInfo {
  const info = readObject(json, 'LogInfo');
  const active = parseShard(info, 'LogInfo');
  // `inactiveShards` is the one optional LogInfo field (openapi.yaml); absent and null both mean
  // none (rekor-v1-fields.ts optionalField).
  const inactiveJson = optionalField(info.inactiveShards);
  const inactive =
    inactiveJson === undefined
      ? []
      : readArray(inactiveJson, 'LogInfo.inactiveShards').map((s, i) =>
          parseShard(readObject(s, `LogInfo.inactiveShards[${i}]`), `LogInfo.inactiveShards[${i}]`),
        );
  const seen = new Set<string>();
  for (const shard of [...inactive, active]) {
    if (seen.has(shard.treeId)) throw malformed('LogInfo', `tree ID ${shard.treeId} listed twice`);
    seen.add(shard.treeId);
  }
  return { active, inactive };
}

/**
 * Parses `GET /api/v1/log/proof` and returns only its hashes. The response's `rootHash` is
 * checked for syntax and then dropped: it is the root of whatever tree the server had at the
 * time, and the proof must be verified against a verified checkpoint instead.
 */
export function parseRekorV1ConsistencyProof(json: unknown): Uint8Array[] {
  const proof = readObject(json, 'ConsistencyProof');
  readHash(proof.rootHash, 'ConsistencyProof.rootHash');
  return readArray(proof.hashes, 'ConsistencyProof.hashes').map((h, i) =>
    readHash(h, `ConsistencyProof.hashes[${i}]`),
  );
}

function parseShard(shard: Readonly<Record<string, unknown>>, path: string): ShardInfo {
  const treeId = readString(shard.treeID, `${path}.treeID`);
  if (!isTreeId(treeId)) {
    throw malformed(
      `${path}.treeID`,
      `got ${JSON.stringify(treeId.slice(0, 40))}, want a positive int64 in decimal`,
    );
  }
  const signedTreeHead = readString(shard.signedTreeHead, `${path}.signedTreeHead`);
  const firstLine = signedTreeHead.split('\n', 1)[0];
  return {
    treeId,
    treeSize: readUint(shard.treeSize, `${path}.treeSize`),
    rootHash: readHash(shard.rootHash, `${path}.rootHash`),
    signedTreeHead,
    ...(firstLine !== undefined && firstLine !== '' && { origin: firstLine }),
  };
}

/** Canonical decimal in [1, 2^63-1]; compared as text because it may exceed 2^53. */
export function isTreeId(text: string): boolean {
  if (!TREE_ID.test(text)) return false;
  return text.length < INT64_MAX.length || text <= INT64_MAX;
}
