// Rekor v1 `LogEntry` JSON (sigstore/rekor openapi.yaml, as served by /api/v1/log/entries and
// entries/retrieve; see FORMATS.md §1.3) parsed into a RekorV1Entry. Syntax only: no inclusion
// proof, checkpoint or SET is verified here.
import { VerificationError } from '../errors';
import { concatBytes, encodeHex } from '../bytes';
import { sha256 } from '../hash';
import {
  malformed,
  optionalField,
  readArray,
  readBase64,
  readHash,
  readObject,
  readString,
  readUint,
  type JsonObject,
} from './rekor-v1-fields';

/** An inclusion proof as Rekor v1 attaches it to an entry. Indexes and sizes are shard-local. */
export interface RekorV1InclusionProof {
  /** Shard-local leaf index. */
  readonly logIndex: number;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** Leaf-to-root order. */
  readonly hashes: readonly Uint8Array[];
  /**
   * Signed note text of the shard checkpoint the proof is against (unverified). Absent in
   * entries served before Rekor returned checkpoints (sigstore/rekor#1015, September 2022) and
   * in entries copied from v0.1 bundles: the proof's root is then signed by no checkpoint.
   */
  readonly checkpoint?: string;
}

/** One Rekor v1 entry, as served; nothing in it is verified. */
export interface RekorV1Entry {
  /** 80 hex (16-hex tree ID ‖ leaf hash) or, from old servers, 64 hex (leaf hash only). */
  readonly uuid: string;
  /** Global (virtual) index across shards. */
  readonly logIndex: number;
  /** The exact leaf bytes (the canonicalized entry body). */
  readonly body: Uint8Array;
  /** Unix seconds. */
  readonly integratedTime: number;
  /** Lowercase hex SHA-256 of the shard's public key (SPKI DER). */
  readonly logIdHex: string;
  readonly inclusionProof?: RekorV1InclusionProof;
  /** ASN.1 DER ECDSA signature over the SET payload (FORMATS.md §1.6). */
  readonly signedEntryTimestamp?: Uint8Array;
}

const UUID = /^(?:[0-9a-f]{16})?([0-9a-f]{64})$/;
const LOG_ID = /^[0-9a-f]{64}$/;

/**
 * Parses a LogEntry object: `{ "<uuid>": { body, integratedTime, logID, logIndex,
 * verification? } }` with exactly one key. Throws VerificationError RESPONSE_MALFORMED for
 * anything else, and ENTRY_MISMATCH when the UUID's leaf hash is not SHA-256(0x00 ‖ body).
 * Unknown fields (e.g. `attestation`) are ignored. The fields openapi.yaml marks optional
 * (`verification`, its `inclusionProof` and `signedEntryTimestamp`) may be absent or null, both
 * meaning absent (see optionalField); so may a proof's `checkpoint`. Does not verify the
 * inclusion proof, checkpoint or SET.
 */
export function parseRekorV1LogEntry(json: unknown): RekorV1Entry {
  const map = readObject(json, 'LogEntry');
  const keys = Object.keys(map);
  if (keys.length !== 1) {
    throw malformed('LogEntry', `got ${keys.length} keys, want exactly 1 (the entry uuid)`);
  }
  const uuid = keys[0] as string;
  return parseRekorV1LogEntryValue(uuid, map[uuid]);
}

/**
 * Parses the value of one LogEntry map entry, keyed by `uuid`. Same checks as
 * parseRekorV1LogEntry.
 */
export function parseRekorV1LogEntryValue(uuid: string, json: unknown): RekorV1Entry {
  const path = `LogEntry[${JSON.stringify(uuid.slice(0, 80))}]`;
  const leafHashHex = UUID.exec(uuid)?.[1];
  if (leafHashHex === undefined) {
    throw malformed(
      'LogEntry',
      `entry uuid ${JSON.stringify(uuid.slice(0, 90))}, want 64 or 80 lowercase hex digits`,
    );
  }
  const value = readObject(json, path);
  const body = readBase64(value.body, `${path}.body`);
  const bodyLeafHashHex = encodeHex(sha256(concatBytes(Uint8Array.of(0x00), body)));
  if (bodyLeafHashHex !== leafHashHex) {
    throw new VerificationError(
      'ENTRY_MISMATCH',
      `entry uuid leaf hash ${leafHashHex}, body leaf hash ${bodyLeafHashHex}`,
      { uuid },
    );
  }
  const logIdHex = readString(value.logID, `${path}.logID`);
  if (!LOG_ID.test(logIdHex)) {
    throw malformed(
      `${path}.logID`,
      `got ${JSON.stringify(logIdHex.slice(0, 70))}, want 64 lowercase hex digits`,
    );
  }
  const verificationJson = optionalField(value.verification);
  const verification =
    verificationJson === undefined
      ? undefined
      : readObject(verificationJson, `${path}.verification`);
  const proof = optionalField(verification?.inclusionProof);
  const set = optionalField(verification?.signedEntryTimestamp);
  return {
    uuid,
    logIndex: readUint(value.logIndex, `${path}.logIndex`),
    body,
    integratedTime: readUint(value.integratedTime, `${path}.integratedTime`),
    logIdHex,
    ...(proof !== undefined && {
      inclusionProof: parseInclusionProof(proof, `${path}.verification.inclusionProof`),
    }),
    ...(set !== undefined && {
      signedEntryTimestamp: readBase64(set, `${path}.verification.signedEntryTimestamp`),
    }),
  };
}

function parseInclusionProof(json: unknown, path: string): RekorV1InclusionProof {
  const proof: JsonObject = readObject(json, path);
  const logIndex = readUint(proof.logIndex, `${path}.logIndex`);
  const treeSize = readUint(proof.treeSize, `${path}.treeSize`);
  if (logIndex >= treeSize) {
    throw malformed(path, `logIndex ${logIndex} not below treeSize ${treeSize}`);
  }
  // openapi.yaml has required `checkpoint` only since sigstore/rekor#1015 (a0c78e7a, 2022-09-01);
  // entries logged and saved before then have none. A missing (or null) checkpoint is kept as
  // absent rather than refused: it vouches for nothing, so verification then needs the SET.
  const checkpoint = optionalField(proof.checkpoint);
  return {
    logIndex,
    treeSize,
    rootHash: readHash(proof.rootHash, `${path}.rootHash`),
    hashes: readArray(proof.hashes, `${path}.hashes`).map((h, i) =>
      readHash(h, `${path}.hashes[${i}]`),
    ),
    ...(checkpoint !== undefined && {
      checkpoint: readString(checkpoint, `${path}.checkpoint`),
    }),
  };
}
