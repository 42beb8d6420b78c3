// Offline verification of checkpoints and entries against trust material (`vigil verify`).
// An entry is accepted only if something signed by a trusted log key vouches for it: a
// checkpoint its inclusion proof reaches, or a valid Signed Entry Timestamp (Rekor v1).
import type { ErrorView } from '../../../shared/errors';
import { bytesEqual, encodeHex } from '../bytes';
import { AppError, VerificationError } from '../errors';
import {
  openCheckpoint,
  openCheckpointAsAny,
  parseRekorV1Origin,
  type VerifiedCheckpoint,
} from '../tlog/checkpoint';
import { hashLeaf, verifyInclusion } from '../tlog/merkle';
import { keyIdHex, parseSignedNote, type NoteVerifier } from '../tlog/note';
import {
  findSigningLog,
  noteVerifierFor,
  v2Signers,
  withinValidity,
} from '../trust/log-descriptor';
import type { LogDescriptor } from '../trust/types';
import type { EntryInput } from './entry-input';
import type { VerifyInput } from './input';
import { verifySignedEntryTimestamp } from './signed-entry-timestamp';

/**
 * What signs the root of an entry's inclusion proof: a verified signed `checkpoint`, or nothing
 * (`unsigned`: the proof came without a checkpoint, as in entries Rekor served before it
 * returned checkpoints and in v0.1 bundles; such a proof was checked against its own root only,
 * which proves nothing about the log).
 */
export type ProofRoot = 'checkpoint' | 'unsigned';

/** What was checked, in the order it was checked. */
export type VerifyCheck =
  'checkpoint-signature' | 'witness-cosignature' | 'inclusion-proof' | 'signed-entry-timestamp';

/** The trust a verification runs under. */
export interface VerifyOptions {
  /** Trusted logs (describeTrustedLogs of the trusted root). */
  readonly logs: readonly LogDescriptor[];
  /** Witness keys whose cosignatures are checked when present; others are ignored. */
  readonly witnessKeys?: readonly NoteVerifier[];
  /** Now, epoch ms: a key whose validity starts later signed nothing yet. */
  readonly nowMs: number;
}

/** The outcome of verifying one input. Fields are omitted when unknown. */
export interface VerifyResult {
  readonly ok: boolean;
  readonly type: 'checkpoint' | 'entry';
  /** The origin of the verified checkpoint (v1: `<host> - <tree ID>`, v2: the host). */
  readonly origin?: string;
  readonly apiVersion?: 1 | 2;
  /** Entries only: the global index (v1 virtual index, v2 index). */
  readonly logIndex?: number;
  /** Size of the verified checkpoint's tree (v1: shard-local). */
  readonly treeSize?: number;
  /** Checks that passed; on failure, those that passed before it. */
  readonly checks: readonly VerifyCheck[];
  /** Entries with a verified inclusion proof: what signs the proof's root. */
  readonly proofRoot?: ProofRoot;
  /** Key names of witnesses whose cosignatures verified. */
  readonly witnesses?: readonly string[];
  /** Entries only: the normalised entry, for inspection and matching. */
  readonly entry?: EntryInput;
  readonly error?: ErrorView;
}

type Progress = {
  -readonly [K in keyof VerifyResult]: VerifyResult[K];
} & { checks: VerifyCheck[] };

/**
 * Verifies one input and reports the outcome; a failure of our own error classes becomes
 * `ok: false` with its code. Anything else thrown (a bug) propagates.
 */
export function verifyInput(input: VerifyInput, options: VerifyOptions): VerifyResult {
  return input.type === 'checkpoint'
    ? verifyCheckpointEnvelope(input.envelope, options)
    : verifyEntryInput(input.entry, options);
}

/**
 * Verifies a signed checkpoint: some signature line must be by a trusted log key (v1: found by
 * key ID, whatever the key name; v2: by origin and key ID, see findSigningLog), valid at the
 * checkpoint's own timestamp line if it has one (else already valid now), and the origin must
 * be that log's (v2: the origin signed, hostname or host:port; v1: `<name> - <tree ID>`).
 */
export function verifyCheckpointEnvelope(envelope: string, options: VerifyOptions): VerifyResult {
  const progress: Progress = { ok: false, type: 'checkpoint', checks: [] };
  return run(progress, () => {
    const { log, checkpoint } = openTrustedCheckpoint(envelope, undefined, options);
    recordCheckpoint(progress, log, checkpoint);
  });
}

/**
 * Verifies an entry: the checkpoint its inclusion proof leads to (as verifyCheckpointEnvelope),
 * the proof's tree size and root hash against that checkpoint, the inclusion of the body's leaf
 * hash (v1 at the shard-local index, v2 at the entry's index), and the SET when present (v1).
 * A proof without a checkpoint (old Rekor v1 responses, v0.1 bundles) must still be internally
 * consistent but vouches for nothing: the entry is then accepted on a valid SET alone, with
 * `proofRoot: 'unsigned'`, and refused (ENTRY_UNVERIFIABLE) without one. A checkpoint that
 * contradicts its proof is refused even when the SET is valid. Throws nothing of ours:
 * failures are `ok: false` results.
 */
export function verifyEntryInput(entry: EntryInput, options: VerifyOptions): VerifyResult {
  const progress: Progress = {
    ok: false,
    type: 'entry',
    logIndex: entry.logIndex,
    checks: [],
    entry,
  };
  return run(progress, () => {
    const leafHash = hashLeaf(entry.body);
    const integratedMs = entry.integratedTime ? entry.integratedTime * 1000 : undefined;
    const proof = entry.inclusionProof;
    let vouchedBy: LogDescriptor | undefined;
    if (proof?.checkpoint !== undefined) {
      const { log, checkpoint } = openTrustedCheckpoint(proof.checkpoint, integratedMs, options);
      recordCheckpoint(progress, log, checkpoint);
      checkEntryNamesLog(entry, log);
      checkProofIndex(entry, proof.logIndex, log);
      if (
        proof.treeSize !== checkpoint.treeSize ||
        !bytesEqual(proof.rootHash, checkpoint.rootHash)
      ) {
        throw new VerificationError(
          'INCLUSION_PROOF_INVALID',
          `inclusion proof is for tree size ${proof.treeSize} root ${encodeHex(proof.rootHash)}, checkpoint has ${checkpoint.treeSize} root ${encodeHex(checkpoint.rootHash)}`,
        );
      }
      verifyInclusion(leafHash, proof.logIndex, proof.treeSize, proof.hashes, checkpoint.rootHash);
      progress.checks.push('inclusion-proof');
      progress.proofRoot = 'checkpoint';
      vouchedBy = log;
    } else if (proof !== undefined) {
      // Unsigned root: it proves nothing, but a mismatch still means the material was altered.
      // The entry then stands on its SET alone, exactly as a SET-only entry does, which both
      // sigstore-js (packages/verify/src/tlog/index.ts verifyTLogInclusion) and sigstore-go
      // accept. Both refuse the proof itself instead (sigstore-go pkg/tlog/entry.go: "inclusion
      // proof missing required checkpoint"); reading it as vouching for nothing is equivalent
      // and keeps the old evidence readable.
      verifyInclusion(leafHash, proof.logIndex, proof.treeSize, proof.hashes, proof.rootHash);
      progress.proofRoot = 'unsigned';
    }
    if (entry.signedEntryTimestamp !== undefined) {
      const log = verifySet(entry, entry.signedEntryTimestamp, options);
      if (proof !== undefined && proof.checkpoint === undefined) {
        checkProofIndex(entry, proof.logIndex, log);
      }
      progress.apiVersion ??= log.apiVersion;
      progress.checks.push('signed-entry-timestamp');
      vouchedBy ??= log;
    }
    if (vouchedBy === undefined) {
      throw new VerificationError(
        'ENTRY_UNVERIFIABLE',
        proof === undefined
          ? 'no checkpoint or signed entry timestamp from a trusted log vouches for this entry'
          : 'the inclusion proof has no checkpoint (its root is signed by none) and the entry has no signed entry timestamp: nothing from a trusted log vouches for it',
      );
    }
  });
}

/**
 * Finds the trusted log that signed `envelope` and opens it (openCheckpoint). The key must be
 * valid at `timeMs` (the entry's integrated time) or, if absent, at the checkpoint's
 * `Timestamp:` line; with neither, its validity must merely have started by now: an untimed
 * checkpoint may be older than a key's end. Throws VerificationError.
 */
export function openTrustedCheckpoint(
  envelope: string,
  timeMs: number | undefined,
  options: VerifyOptions,
): { log: LogDescriptor; checkpoint: VerifiedCheckpoint } {
  const note = parseSignedNote(envelope);
  const log = findSigningLog(options.logs, note.signatures);
  if (log === undefined) {
    const signers = note.signatures.map((s) => `${s.keyName}+${keyIdHex(s.keyId)}`).join(', ');
    throw new VerificationError(
      'LOG_UNKNOWN',
      `checkpoint is signed by ${signers || 'no one'}, not by a log in the trusted root`,
    );
  }
  const witnessKeys = options.witnessKeys ?? [];
  let checkpoint: VerifiedCheckpoint;
  if (log.apiVersion === 2) {
    checkpoint = openCheckpointAsAny(envelope, v2Signers(log), witnessKeys);
  } else {
    // A v1 origin names the shard; the signature covers it, so reading it before verifying is
    // safe. Its name part is the operator's configured hostname, which no client compares with
    // anything (sigstore-go pkg/verify/tlog.go hasRekorV1STH only asks for "<name> - <tree ID>").
    const origin = note.text.slice(0, note.text.indexOf('\n'));
    checkpoint = openCheckpoint(envelope, { origin, logKey: noteVerifierFor(log), witnessKeys });
    if (parseRekorV1Origin(checkpoint.origin) === undefined) {
      throw new VerificationError(
        'CHECKPOINT_WRONG_ORIGIN',
        `origin ${JSON.stringify(checkpoint.origin)}, want "<name> - <tree ID>"`,
        { note: envelope },
      );
    }
  }
  const signedAtMs = timeMs ?? checkpointTimestampMs(checkpoint.extensions);
  checkKeyValidity(log, signedAtMs, options.nowMs, 'NOTE_UNTRUSTED', 'checkpoint');
  return { log, checkpoint };
}

function recordCheckpoint(progress: Progress, log: LogDescriptor, checkpoint: VerifiedCheckpoint) {
  progress.origin = checkpoint.origin;
  progress.apiVersion = log.apiVersion;
  progress.treeSize = checkpoint.treeSize;
  progress.checks.push('checkpoint-signature');
  if (checkpoint.witnesses.length > 0) {
    progress.witnesses = checkpoint.witnesses;
    progress.checks.push('witness-cosignature');
  }
}

/** The entry's own logID (when it has one) must name the log that signed its checkpoint. */
function checkEntryNamesLog(entry: EntryInput, log: LogDescriptor): void {
  if (entry.logIdHex !== undefined && entry.logIdHex !== log.logIdHex) {
    throw new VerificationError(
      'ENTRY_MISMATCH',
      `entry names log ID ${entry.logIdHex}, its checkpoint is signed by log ${log.logIdHex}`,
    );
  }
}

/** v2 has one index; a v1 proof index is shard-local, so never above the global index. */
function checkProofIndex(entry: EntryInput, proofIndex: number, log: LogDescriptor): void {
  const ok = log.apiVersion === 2 ? proofIndex === entry.logIndex : proofIndex <= entry.logIndex;
  if (!ok) {
    throw new VerificationError(
      'ENTRY_MISMATCH',
      `entry index ${entry.logIndex} cannot have inclusion proof index ${proofIndex} in a v${log.apiVersion} log`,
    );
  }
}

function verifySet(
  entry: EntryInput,
  signature: Uint8Array,
  options: VerifyOptions,
): LogDescriptor {
  const { logIdHex, integratedTime } = entry;
  if (logIdHex === undefined || !integratedTime) {
    throw new VerificationError(
      'SET_INVALID',
      'a signed entry timestamp needs a logID and an integrated time',
    );
  }
  // SETs exist only in Rekor v1, whose logID is SHA-256 of the key.
  const log = options.logs.find((l) => l.apiVersion === 1 && l.logIdHex === logIdHex);
  if (log === undefined) {
    throw new VerificationError(
      'LOG_UNKNOWN',
      `no Rekor v1 log with log ID ${logIdHex} in the trusted root`,
    );
  }
  checkKeyValidity(
    log,
    integratedTime * 1000,
    options.nowMs,
    'SET_INVALID',
    'signed entry timestamp',
  );
  verifySignedEntryTimestamp(
    { body: entry.body, integratedTime, logIdHex, logIndex: entry.logIndex },
    signature,
    log.publicKeySpki,
  );
  return log;
}

function checkKeyValidity(
  log: LogDescriptor,
  signedAtMs: number | undefined,
  nowMs: number,
  code: 'NOTE_UNTRUSTED' | 'SET_INVALID',
  what: string,
): void {
  const window = log.keyValidFor;
  const ok =
    signedAtMs === undefined ? window.startMs <= nowMs : withinValidity(window, signedAtMs);
  if (!ok) {
    const at = new Date(signedAtMs ?? nowMs).toISOString();
    const end = window.endMs === undefined ? '' : ` to ${new Date(window.endMs).toISOString()}`;
    throw new VerificationError(
      code,
      `${what} by ${log.baseUrl} at ${at} is outside the key's validity ${new Date(window.startMs).toISOString()}${end}`,
    );
  }
}

const TIMESTAMP_EXTENSION = /^Timestamp: (0|[1-9][0-9]{0,19})$/;

/** Rekor v1's signed `Timestamp: <unix ns>` extension line, in epoch ms; undefined if none. */
function checkpointTimestampMs(extensions: readonly string[]): number | undefined {
  for (const line of extensions) {
    const ns = TIMESTAMP_EXTENSION.exec(line)?.[1];

    if (ns !== undefined) return Number(BigInt(ns) / 1_000_000n);
  }
  return undefined;
}

function run(progress: Progress, body: () => void): VerifyResult {
  try {
    body();
    progress.ok = true;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    progress.error = { code: err.code, message: err.message };
  }
  return progress;
}
