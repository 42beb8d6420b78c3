// Builds the input forms `vigil verify` accepts from the real-data records in
// test/fixtures/realdata (record format: test/fixtures/realdata/PROVENANCE.md and the fields read below),
// independently of the code under test: plain JSON construction, Buffer for encodings.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import { describeTrustedLogs } from '../../../../electron/core/trust/log-descriptor';
import type { LogDescriptor } from '../../../../electron/core/trust/types';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
export const REALDATA = `${FIXTURES}realdata/`;
export const CONFORMANCE = `${REALDATA}conformance/bundle-verify/`;

/** A fixed "now" after every real record and before any key in the data expires unexpectedly. */
export const NOW_MS = Date.parse('2026-11-25T00:00:00Z');

export interface EntryRecord {
  readonly id: string;
  readonly environment: 'production' | 'staging';
  readonly rekorApi: 'v1' | 'v2';
  readonly logIndex: number;
  readonly logIdHex: string;
  readonly integratedTime: number;
  readonly kind: string;
  readonly kindApiVersion: string;
  readonly bodyB64: string;
  readonly leafHashHex: string;
  readonly signedEntryTimestampB64: string | null;
  readonly inclusionProof: {
    readonly logIndex: number;
    readonly treeSize: number;
    readonly rootHashHex: string;
    readonly hashesHex: readonly string[];
    readonly checkpoint: string | null;
  } | null;
  readonly shard: { readonly entryUUID: string } | null;
  readonly verified: { readonly checkpointMatchesProof: boolean | null };
}

export interface CheckpointRecord {
  readonly environment: 'production' | 'staging';
  readonly origin: string;
  readonly treeSize: number;
  readonly signedNote: string;
  readonly signatureLines: readonly { readonly name: string; readonly keyIdHex: string }[];
}

export function readJsonl<T>(relative: string): T[] {
  return readFileSync(`${REALDATA}${relative}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export const ENTRY_RECORDS: readonly EntryRecord[] = [
  ...readJsonl<EntryRecord>('rekor-v1/entries.production.jsonl'),
  ...readJsonl<EntryRecord>('rekor-v1/entries.staging.jsonl'),
  ...readJsonl<EntryRecord>('rekor-v2/entries.production.jsonl'),
  ...readJsonl<EntryRecord>('rekor-v2/entries.staging.jsonl'),
];

export const CHECKPOINT_RECORDS: readonly CheckpointRecord[] = readJsonl<CheckpointRecord>(
  'checkpoints/sigstore-checkpoints.jsonl',
);

export function readTrustedRootJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const logsCache = new Map<string, LogDescriptor[]>();

/** The trusted logs of a trusted_root.json file, parsed once per file. */
export function trustedLogs(path: string): LogDescriptor[] {
  let logs = logsCache.get(path);
  if (!logs) {
    logs = describeTrustedLogs(parseTrustedRoot(readTrustedRootJson(path)), NOW_MS);
    logsCache.set(path, logs);
  }
  return logs;
}

export const PRODUCTION_ROOT = `${REALDATA}trust/trusted_root.production.json`;
export const STAGING_ROOT = `${REALDATA}trust/trusted_root.staging.json`;

export const logsFor = (environment: 'production' | 'staging') =>
  trustedLogs(environment === 'production' ? PRODUCTION_ROOT : STAGING_ROOT);

/**
 * The record's checkpoint, if it is the one its proof leads to. One record carries a checkpoint
 * from a conformance "wrong root hash" case (verified.checkpointMatchesProof === false).
 */
export function usableCheckpoint(r: EntryRecord): string | undefined {
  const cp = r.inclusionProof?.checkpoint;
  return cp && r.verified.checkpointMatchesProof !== false ? cp : undefined;
}

/**
 * The production log indices whose real evidence has an inclusion proof but no usable
 * checkpoint (v0.1 bundles from sigstore-python and sigstore-conformance; 27246492's recorded
 * checkpoint is the conformance "wrong root hash" one).
 */
export const OLD_V1_INDICES = [12299864, 19808100, 27246492, 118981923] as const;

/** The records of OLD_V1_INDICES, in that order. */
export function oldV1Records(): EntryRecord[] {
  return OLD_V1_INDICES.map((logIndex) => {
    const r = ENTRY_RECORDS.find((e) => e.environment === 'production' && e.logIndex === logIndex);
    if (r === undefined) throw new Error(`no real record for ${logIndex}`);
    return r;
  });
}

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/**
 * How a proof without a (usable) checkpoint writes it: `absent` as Rekor v1 did before
 * sigstore/rekor#1015 and v0.1 bundles do, or `null` as other JSON writers may.
 */
export type NoCheckpoint = 'absent' | 'null';

/**
 * A Rekor v1 REST LogEntry (FORMATS.md §1.3). A proof without a usable checkpoint is written as
 * an old Rekor served it, without one (or, with `noCheckpoint: 'null'`, with a null one).
 */
export function toLogEntryJson(
  r: EntryRecord,
  noCheckpoint: NoCheckpoint = 'absent',
): Record<string, unknown> {
  const checkpoint = usableCheckpoint(r);
  const p = r.inclusionProof;
  const verification = {
    ...(p && {
      inclusionProof: {
        logIndex: p.logIndex,
        treeSize: p.treeSize,
        rootHash: p.rootHashHex,
        hashes: p.hashesHex,
        ...(checkpoint !== undefined
          ? { checkpoint }
          : noCheckpoint === 'null' && { checkpoint: null }),
      },
    }),
    ...(r.signedEntryTimestampB64 && { signedEntryTimestamp: r.signedEntryTimestampB64 }),
  };
  return {
    [r.shard?.entryUUID ?? r.leafHashHex]: {
      body: r.bodyB64,
      integratedTime: r.integratedTime,
      logID: r.logIdHex,
      logIndex: r.logIndex,
      verification,
    },
  };
}

/** A protobuf-JSON TransparencyLogEntry (FORMATS.md §1.8, §2.4); see toLogEntryJson. */
export function toTransparencyLogEntryJson(
  r: EntryRecord,
  noCheckpoint: NoCheckpoint = 'absent',
): Record<string, unknown> {
  const checkpoint = usableCheckpoint(r);
  const p = r.inclusionProof;
  return {
    logIndex: String(r.logIndex),
    logId: { keyId: b64(r.logIdHex) },
    kindVersion: { kind: r.kind, version: r.kindApiVersion },
    ...(r.rekorApi === 'v1' && { integratedTime: String(r.integratedTime) }),
    ...(r.signedEntryTimestampB64 && {
      inclusionPromise: { signedEntryTimestamp: r.signedEntryTimestampB64 },
    }),
    ...(p && {
      inclusionProof: {
        logIndex: String(p.logIndex),
        rootHash: b64(p.rootHashHex),
        treeSize: String(p.treeSize),
        hashes: p.hashesHex.map(b64),
        ...(checkpoint !== undefined
          ? { checkpoint: { envelope: checkpoint } }
          : noCheckpoint === 'null' && { checkpoint: null }),
      },
    }),
    canonicalizedBody: r.bodyB64,
  };
}

/** Flips the lowest bit of byte `index` (negative: from the end) of `bytes`, in a copy. */
function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  const i = index < 0 ? copy.length + index : index;
  copy[i] = copy[i]! ^ 0x01;
  return copy;
}

/** `text` (standard base64) with one bit of byte `index` flipped. */
export const flipBase64Byte = (text: string, index: number): string =>
  flipByte(Buffer.from(text, 'base64'), index).toString('base64');

/** `hex` with one bit of byte `index` flipped. */
export const flipHexByte = (hex: string, index: number): string =>
  flipByte(Buffer.from(hex, 'hex'), index).toString('hex');

/**
 * The checkpoint with the last byte of the log's signature flipped: the first signature line
 * by the origin's host (Rekor v1 and v2 key names), not a witness's.
 */
export function tamperNoteSignature(note: string): string {
  const keyName = note.slice(0, note.indexOf('\n')).split(' - ')[0]!;
  const lines = note.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`\u2014 ${keyName} `));
  const parts = lines[i]!.split(' ');
  parts[2] = flipBase64Byte(parts[2]!, -1);
  lines[i] = parts.join(' ');
  return lines.join('\n');
}

/** The checkpoint with line `line` (0 origin, 1 tree size, 2 root hash) of its text replaced. */
export function replaceNoteLine(note: string, line: number, text: string): string {
  const lines = note.split('\n');
  lines[line] = text;
  return lines.join('\n');
}
