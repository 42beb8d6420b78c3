// Checkpoints, c2sp.org/tlog-checkpoint@v1.0.0: the note text "<origin>\n<tree size>\n<base64
// root hash>\n" plus optional extension lines, opened by verifying the signed note first.
import { VerificationError } from '../errors';
import { bytesEqual, decodeBase64Strict, encodeBase64 } from '../bytes';
import { describeVerifier, parseSignedNote, verifyNoteSignatures, type NoteVerifier } from './note';

/** The parsed text of a checkpoint. Says nothing about who signed it. */
export interface Checkpoint {
  readonly origin: string;
  /** Number of entries; at most 2^53-1. */
  readonly treeSize: number;
  /** RFC 6962 root hash, 32 bytes. */
  readonly rootHash: Uint8Array;
  /** Lines after the root hash, without their "\n" (Rekor v1's "Timestamp: <ns>" is one). */
  readonly extensions: readonly string[];
}

declare const verified: unique symbol;

/**
 * A checkpoint whose note carried a valid signature from its log's key and whose origin is the
 * log's. Only openCheckpoint makes one.
 */
export type VerifiedCheckpoint = Checkpoint & {
  /** The full signed note envelope, kept as evidence. */
  readonly note: string;
  /**
   * The key name on the log's own signature line that verified (the first, if several did): a
   * Rekor v1 log signs under whatever name its operator configured.
   */
  readonly keyName: string;
  /** Key names of witness keys whose cosignature verified, in signature-line order. */
  readonly witnesses: readonly string[];
  readonly [verified]: true;
};

/** One way a log signs its checkpoints: the origin it states and the key that signs it. */
export interface LogSigner {
  readonly origin: string;
  readonly logKey: NoteVerifier;
}

/** What openCheckpoint trusts: the log's origin, its key, and optionally its witnesses' keys. */
export interface LogVerifiers extends LogSigner {
  readonly witnessKeys?: readonly NoteVerifier[];
}

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;
const ROOT_HASH_BYTES = 32;

/**
 * Parses checkpoint note text. Syntax only: the caller must already have verified the note's
 * signatures (see openCheckpoint). Throws VerificationError('CHECKPOINT_MALFORMED') unless the
 * text is a non-empty origin line, a canonical decimal tree size (no sign, leading zero or
 * space), 32 bytes of standard padded base64, and non-empty extension lines, each ending in
 * "\n"; throws 'TREE_SIZE_TOO_LARGE' for a canonical tree size above 2^53-1 (never rounds).
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const [origin, size, hash, ...extensions] = text.slice(0, -1).split('\n');
  if (!origin || size === undefined || hash === undefined) {
    throw malformed('want a non-empty origin, a tree size and a root hash line');
  }
  if (!CANONICAL_DECIMAL.test(size)) {
    throw malformed(`tree size ${JSON.stringify(size)} is not a canonical decimal`);
  }
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) {
    throw new VerificationError('TREE_SIZE_TOO_LARGE', `tree size ${size} exceeds 2^53-1`);
  }
  const rootHash = decodeBase64Strict(hash);
  if (rootHash?.length !== ROOT_HASH_BYTES) {
    throw malformed(`root hash ${JSON.stringify(hash)} is not 32 bytes of standard base64`);
  }
  if (extensions.includes('')) throw malformed('extension lines must be non-empty');
  return { origin, treeSize, rootHash, extensions };
}

/**
 * Formats a checkpoint as note text, the inverse of parseCheckpoint. Does not validate: the
 * fields must already satisfy parseCheckpoint's rules, or the result will not parse.
 */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, extensions } = checkpoint;
  return [origin, String(treeSize), encodeBase64(rootHash), ...extensions, ''].join('\n');
}

const REKOR_V1_ORIGIN = /^\S+ - [1-9][0-9]{0,18}$/;
const INT64_MAX = '9223372036854775807';

/**
 * Splits a Rekor v1 origin `<hostname> - <tree ID>` (e.g. `rekor.sigstore.dev -
 * 1193050959916656506`). The tree ID stays a string because Trillian tree IDs are int64 and
 * exceed 2^53. Returns undefined for any other origin, including tree IDs of 0 or above
 * 2^63-1 and decimals with leading zeros. Does not check that the hostname is a valid DNS name.
 */
export function parseRekorV1Origin(
  origin: string,
): { hostname: string; treeId: string } | undefined {
  if (!REKOR_V1_ORIGIN.test(origin)) return undefined;
  const separator = origin.indexOf(' - ');
  const treeId = origin.slice(separator + 3);
  // Canonical decimals of equal length compare like numbers.
  if (treeId.length === INT64_MAX.length && treeId > INT64_MAX) return undefined;
  return { hostname: origin.slice(0, separator), treeId };
}

/**
 * Opens a signed checkpoint from `log` (verify, then parse; c2sp.org/signed-note §Signatures):
 * signature lines matching none of the log's or witnesses' keys (see verifierMatches: by key
 * name and key ID, or by key ID alone for a key that accepts any name, as Rekor v1's does) are
 * ignored; a known key whose signature fails rejects the note ('NOTE_BAD_SIGNATURE'); a valid
 * signature by `log.logKey` is required ('NOTE_UNTRUSTED'); only then is the text parsed, and
 * its origin must equal `log.origin` ('CHECKPOINT_WRONG_ORIGIN'). Key names are matched to
 * verifiers, not to the origin: Rekor v1 signs origin "rekor.sigstore.dev - <tree ID>" with key
 * name "rekor.sigstore.dev". Does not check consistency with earlier checkpoints, nor any
 * witness quorum (the caller decides what `witnesses` must contain).
 */
export function openCheckpoint(envelope: string, log: LogVerifiers): VerifiedCheckpoint {
  return openCheckpointAsAny(envelope, [log], log.witnessKeys);
}

/**
 * Opens a checkpoint from a log that may sign as any of `signers` (each an origin and the key
 * under that name; preferred first), like openCheckpoint: every signer's key and every witness
 * key is known, so a failing signature by any of them rejects the note. The signer is the first
 * of `signers` whose key verified a line, and the origin must be that signer's. Rekor v2 signs
 * under its origin, which a deployment may spell with or without its port. Throws
 * VerificationError as openCheckpoint does.
 */
export function openCheckpointAsAny(
  envelope: string,
  signers: readonly LogSigner[],
  witnessKeys: readonly NoteVerifier[] = [],
): VerifiedCheckpoint {
  const note = parseSignedNote(envelope);
  const logKeys = signers.map((s) => s.logKey);
  const lines = verifyNoteSignatures(note, [...logKeys, ...witnessKeys]);
  const signer = signers.find((s) => lines.some((v) => v.verifier === s.logKey));
  if (signer === undefined) {
    const want = logKeys.map(describeVerifier).join(' or ');
    throw new VerificationError('NOTE_UNTRUSTED', `no valid signature by log key ${want}`);
  }
  // The log has signed this text; only now is it worth interpreting.
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== signer.origin) {
    throw new VerificationError(
      'CHECKPOINT_WRONG_ORIGIN',
      `origin ${JSON.stringify(checkpoint.origin)}, want ${JSON.stringify(signer.origin)}`,
      { note: envelope },
    );
  }
  const logLine = lines.find((v) => v.verifier === signer.logKey)!;
  // A witness may sign twice (two lines); report it once.
  const witnesses = [
    ...new Set(
      lines.filter((v) => witnessKeys.includes(v.verifier)).map((v) => v.verifier.keyName),
    ),
  ];
  const opened: Omit<VerifiedCheckpoint, typeof verified> = {
    ...checkpoint,
    note: envelope,
    keyName: logLine.signature.keyName,
    witnesses,
  };
  return opened as VerifiedCheckpoint;
}

/**
 * True if two checkpoints state the same tree: equal origin, tree size and root hash. Extension
 * lines are ignored: Rekor v1 signed different notes for one tree that differ only in their
 * "Timestamp:" line.
 */
export function sameCheckpointState(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.treeSize === b.treeSize && bytesEqual(a.rootHash, b.rootHash);
}

const malformed = (why: string) =>
  new VerificationError('CHECKPOINT_MALFORMED', `malformed checkpoint: ${why}`);
