// An entry as presented for offline verification, whatever envelope it came in: a Rekor v1
// LogEntry (FORMATS.md §1.3), a protobuf-JSON TransparencyLogEntry (sigstore_rekor.proto, §1.8,
// §2.4), one tlog entry of a Sigstore bundle, or a cosign bundle annotation. Every field is a
// claim until verifyEntryInput has checked it against trusted log keys.
import { decodeUtf8Strict, encodeHex } from '../bytes';
import type { RekorV1Entry } from '../entries/rekor-v1-entry';
import { VerificationError } from '../errors';
import { protoJsonReader, type JsonObject } from '../trust/proto-json';

/** Where an EntryInput came from. */
export type EntryForm =
  'rekor-v1-log-entry' | 'transparency-log-entry' | 'bundle' | 'cosign-bundle-annotation';

/** An inclusion proof as it came with the entry (unverified). */
export interface EntryInclusionProof {
  /** Rekor v1: shard-local leaf index; Rekor v2: the entry's index. */
  readonly logIndex: number;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** Leaf-to-root order. */
  readonly hashes: readonly Uint8Array[];
  /** Signed note envelope of the checkpoint the proof leads to; absent in v0.1 bundles. */
  readonly checkpoint?: string;
}

/** One entry and the proofs that came with it; nothing here is verified. */
export interface EntryInput {
  readonly form: EntryForm;
  /** The exact leaf bytes (v1 `body`, `canonicalizedBody`). */
  readonly body: Uint8Array;
  /** Rekor v1: the global (virtual) index; Rekor v2: the single index. */
  readonly logIndex: number;
  /** Unix seconds as the log stated it; 0 or absent for Rekor v2. */
  readonly integratedTime?: number;
  /** Lowercase hex logID / logId.keyId, when the envelope carries one. */
  readonly logIdHex?: string;
  /** `kindVersion` of a TransparencyLogEntry, already checked against the body. */
  readonly kindVersion?: { readonly kind: string; readonly version: string };
  readonly signedEntryTimestamp?: Uint8Array;
  readonly inclusionProof?: EntryInclusionProof;
}

const read = protoJsonReader(
  (why) => new VerificationError('BUNDLE_MALFORMED', `malformed transparency log entry: ${why}`),
);

/** The EntryInput of a parsed Rekor v1 LogEntry (see parseRekorV1LogEntry). */
export function entryInputFromRekorV1(entry: RekorV1Entry): EntryInput {
  return {
    form: 'rekor-v1-log-entry',
    body: entry.body,
    logIndex: entry.logIndex,
    integratedTime: entry.integratedTime,
    logIdHex: entry.logIdHex,
    ...(entry.signedEntryTimestamp && { signedEntryTimestamp: entry.signedEntryTimestamp }),
    ...(entry.inclusionProof && { inclusionProof: entry.inclusionProof }),
  };
}

/**
 * Parses a protobuf-JSON TransparencyLogEntry. Requires logIndex, logId.keyId, kindVersion and
 * canonicalizedBody; the body must be JSON whose `kind` and `apiVersion` equal kindVersion
 * (ENTRY_MISMATCH otherwise). int64 fields may be strings or numbers, bytes are standard base64.
 * A null field reads as absent (proto-json.ts), as protobuf-JSON parsers read it:
 * @sigstore/protobuf-specs' fromJSON takes a field only when `isSet` (neither null nor
 * undefined), and sigstore-go reads bundles with Go's protojson. So `inclusionPromise`,
 * `inclusionProof` and its `checkpoint` may each be null; a proof without a checkpoint (v0.1
 * bundles) is kept, and vouches for nothing by itself.
 * Throws VerificationError('BUNDLE_MALFORMED') for any other deviation. Verifies nothing.
 */
export function parseTransparencyLogEntry(
  json: unknown,
  form: EntryForm = 'transparency-log-entry',
  path = 'TransparencyLogEntry',
): EntryInput {
  const tle = read.object(json, path);
  // Index and log ID first: a negative index is the clearest thing wrong with an entry.
  const logIndex = read.reqUint(tle, 'logIndex', path);
  const logIdHex = encodeHex(
    read.reqBytes(read.reqObject(tle, 'logId', path), 'keyId', `${path}.logId`),
  );
  const kindVersion = read.reqObject(tle, 'kindVersion', path);
  const kind = read.reqString(kindVersion, 'kind', `${path}.kindVersion`);
  const version = read.reqString(kindVersion, 'version', `${path}.kindVersion`);
  const body = read.reqBytes(tle, 'canonicalizedBody', path);
  checkBodyKind(body, kind, version);
  const promise = read.optObject(tle, 'inclusionPromise', path);
  const proof = read.optObject(tle, 'inclusionProof', path);
  return {
    form,
    body,
    logIndex,
    integratedTime: read.optUint(tle, 'integratedTime', path) ?? 0,
    logIdHex,
    kindVersion: { kind, version },
    ...(promise && {
      signedEntryTimestamp: read.reqBytes(
        promise,
        'signedEntryTimestamp',
        `${path}.inclusionPromise`,
      ),
    }),
    ...(proof && { inclusionProof: parseProof(proof, `${path}.inclusionProof`) }),
  };
}

/**
 * Parses the cosign OCI annotation `dev.sigstore.cosign/bundle`:
 * `{"SignedEntryTimestamp": b64, "Payload": {"body": b64, "integratedTime", "logIndex", "logID": hex}}`
 * (SET only, no inclusion proof). Throws VerificationError('BUNDLE_MALFORMED').
 */
export function parseCosignBundleAnnotation(json: unknown): EntryInput {
  const path = 'cosign bundle';
  const annotation = read.object(json, path);
  const payload = read.reqObject(annotation, 'Payload', path);
  const logIdHex = read.reqString(payload, 'logID', `${path}.Payload`);
  if (!/^[0-9a-f]{64}$/.test(logIdHex)) {
    throw read.fail(`${path}.Payload.logID must be 64 lowercase hex digits`);
  }
  return {
    form: 'cosign-bundle-annotation',
    body: read.reqBytes(payload, 'body', `${path}.Payload`),
    logIndex: read.reqUint(payload, 'logIndex', `${path}.Payload`),
    integratedTime: read.reqUint(payload, 'integratedTime', `${path}.Payload`),
    logIdHex,
    signedEntryTimestamp: read.reqBytes(annotation, 'SignedEntryTimestamp', path),
  };
}

function parseProof(proof: JsonObject, path: string): EntryInclusionProof {
  const logIndex = read.reqUint(proof, 'logIndex', path);
  const treeSize = read.reqUint(proof, 'treeSize', path);
  if (logIndex >= treeSize)
    throw read.fail(`${path}.logIndex ${logIndex} is not below treeSize ${treeSize}`);
  const rootHash = read.reqBytes(proof, 'rootHash', path);
  if (rootHash.length !== 32)
    throw read.fail(`${path}.rootHash is ${rootHash.length} bytes, want 32`);
  const checkpoint = read.optObject(proof, 'checkpoint', path);
  return {
    logIndex,
    treeSize,
    rootHash,
    hashes: read
      .array(proof, 'hashes', path)
      .map((h, i) => read.bytesValue(h, `${path}.hashes[${i}]`)),
    ...(checkpoint && { checkpoint: read.reqString(checkpoint, 'envelope', `${path}.checkpoint`) }),
  };
}

/** The body's own kind and apiVersion must be what kindVersion claims. */
function checkBodyKind(body: Uint8Array, kind: string, version: string): void {
  const parsed = parseJsonObject(body);
  if (parsed === undefined) {
    throw new VerificationError('ENTRY_MALFORMED', 'canonicalizedBody is not a JSON object');
  }
  if (parsed.kind !== kind || parsed.apiVersion !== version) {
    throw new VerificationError(
      'ENTRY_MISMATCH',
      `kindVersion ${kind}/${version}, body says ${String(parsed.kind)}/${String(parsed.apiVersion)}`,
    );
  }
}

function parseJsonObject(bytes: Uint8Array): JsonObject | undefined {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}
