// Signed notes, c2sp.org/signed-note@v1.0.0: text, a blank line, then "— <key name> <base64>"
// signature lines. Parsing here is syntax only; verifyNote checks signatures against known keys.
import { VerificationError } from '../errors';
import { decodeBase64Strict, decodeUtf8Strict, encodeHex, encodeUtf8 } from '../bytes';

/** Largest envelope accepted, in UTF-8 bytes: far above any real checkpoint with 100 cosignatures. */
export const MAX_NOTE_BYTES = 1024 * 1024;

/** Most signature lines accepted. The spec requires accepting at least 16. */
export const MAX_NOTE_SIGNATURES = 100;

/** One signature line of a signed note. */
export interface NoteSignature {
  readonly keyName: string;
  /** The first 4 decoded bytes as a big-endian uint32. */
  readonly keyId: number;
  /** The decoded bytes after the key ID (at least one). */
  readonly signature: Uint8Array;
}

/** A parsed, unverified signed note. */
export interface SignedNote {
  /** The signed text, ending in "\n", without the separating blank line. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/**
 * Knows one (key name, key ID) pair and can check that key's signatures. verify() returns false
 * for any signature that does not verify, however malformed; it never throws.
 */
export interface NoteVerifier {
  readonly keyName: string;
  readonly keyId: number;
  /**
   * Match signature lines by key ID alone, whatever their key name. Only for keys whose ID does
   * not depend on a name (Rekor v1's ECDSA key ID, SHA-256 of the SPKI): Rekor's own verifier
   * picks the line by that hash and never reads the name (sigstore/rekor
   * pkg/util/signed_note.go, SignedNote.Verify; sigstore-go pkg/tlog/entry.go VerifyInclusion
   * calls it), and operators choose the name freely (`rekor_server.hostname`).
   */
  readonly anyKeyName?: boolean;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** A signature line that verified, with the verifier that accepted it. */
export interface VerifiedSignature {
  readonly verifier: NoteVerifier;
  readonly signature: NoteSignature;
}

const SIGNATURE_LINE_PREFIX = '\u2014 ';
// ASCII control characters other than "\n" are banned by the spec; lone UTF-16 surrogates cannot
// be encoded as UTF-8, so the bytes a signer saw could not have produced them.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u0009\u000b-\u001f]|\p{Cs}/u;
const UNICODE_SPACE = /\p{White_Space}/u;

/**
 * True if `keyName` is a valid key name: non-empty, no Unicode spaces, no "+" (which separates
 * the fields of a verifier key). Does not check for control characters (the note as a whole is).
 */
export function isValidKeyName(keyName: string): boolean {
  return keyName !== '' && !UNICODE_SPACE.test(keyName) && !keyName.includes('+');
}

/**
 * Parses a signed note envelope. Syntax only: nothing is verified, and the text must be ignored
 * until verifyNote has accepted it. The text is split from the signatures at the last blank
 * line, as the spec requires. Throws VerificationError('NOTE_MALFORMED') on any deviation.
 */
export function parseSignedNote(envelope: string): SignedNote {
  // The cheap UTF-16 length check first: UTF-8 is never shorter, so huge inputs are not encoded.
  if (envelope.length > MAX_NOTE_BYTES || encodeUtf8(envelope).length > MAX_NOTE_BYTES) {
    throw malformed(`note exceeds ${MAX_NOTE_BYTES} bytes`);
  }
  if (FORBIDDEN_CHARACTER.test(envelope)) {
    throw malformed('note contains a control character or an unpaired surrogate');
  }
  const split = envelope.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const block = envelope.slice(split + 2);
  if (!block.endsWith('\n')) throw malformed('signature block must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw malformed(`${lines.length} signature lines, want at most ${MAX_NOTE_SIGNATURES}`);
  }
  return { text: envelope.slice(0, split + 1), signatures: lines.map(parseSignatureLine) };
}

/**
 * Parses a signed note from bytes, decoding UTF-8 strictly (no U+FFFD substitution, no silently
 * dropped byte order mark), then as parseSignedNote. Throws VerificationError('NOTE_MALFORMED').
 */
export function parseSignedNoteBytes(bytes: Uint8Array): SignedNote {
  if (bytes.length > MAX_NOTE_BYTES) throw malformed(`note exceeds ${MAX_NOTE_BYTES} bytes`);
  const envelope = decodeUtf8Strict(bytes);
  // TextDecoder strips a leading byte order mark; the signed bytes would then differ from ours.
  if (envelope === undefined || encodeUtf8(envelope).length !== bytes.length) {
    throw malformed('note is not valid UTF-8 without a byte order mark');
  }
  return parseSignedNote(envelope);
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
    throw malformed(`signature line ${JSON.stringify(line)} does not start with "— "`);
  }
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const keyName = rest.slice(0, space);
  if (space < 0 || !isValidKeyName(keyName)) {
    throw malformed(`signature line ${JSON.stringify(line)} has no valid key name`);
  }
  const payload = decodeBase64Strict(rest.slice(space + 1));
  if (payload === undefined || payload.length < 5) {
    throw malformed(`signature by ${keyName} is not base64 of a key ID and a signature`);
  }
  const keyId = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
  return { keyName, keyId, signature: payload.subarray(4) };
}

/**
 * True if `verifier` is the key a signature line names: same key name and key ID, or the same
 * key ID for a verifier that accepts any key name (see NoteVerifier.anyKeyName).
 */
export function verifierMatches(verifier: NoteVerifier, sig: NoteSignature): boolean {
  return verifier.keyId === sig.keyId && (verifier.anyKeyName || verifier.keyName === sig.keyName);
}

/**
 * Checks a parsed note's signatures against `known` keys (c2sp.org/signed-note §Signatures) and
 * returns the known verifiers whose signatures verified, in signature-line order (a verifier
 * appears once per line it verified). See verifyNoteSignatures for the rules.
 */
export function verifyNote(note: SignedNote, known: readonly NoteVerifier[]): NoteVerifier[] {
  return verifyNoteSignatures(note, known).map((v) => v.verifier);
}

/**
 * Checks a parsed note's signatures against `known` keys and returns each line that verified,
 * with its verifier, in signature-line order. A line is matched to the verifier with its key
 * name and key ID, else to one with its key ID that accepts any key name (verifierMatches);
 * lines matching no known verifier are ignored. Throws VerificationError('NOTE_BAD_SIGNATURE')
 * if a known key's signature fails (the spec's SHOULD), and 'NOTE_UNTRUSTED' if no known key
 * signed the note. Does not interpret the text.
 */
export function verifyNoteSignatures(
  note: SignedNote,
  known: readonly NoteVerifier[],
): VerifiedSignature[] {
  const message = encodeUtf8(note.text);
  const verified: VerifiedSignature[] = [];
  for (const sig of note.signatures) {
    // Both name and ID must match (a key sharing only one of them is someone else's key),
    // unless the key's ID alone names it.
    const key =
      known.find((k) => k.keyName === sig.keyName && k.keyId === sig.keyId) ??
      known.find((k) => verifierMatches(k, sig));
    if (key === undefined) continue;
    if (!key.verify(message, sig.signature)) {
      throw new VerificationError(
        'NOTE_BAD_SIGNATURE',
        `signature by ${sig.keyName}+${keyIdHex(sig.keyId)} does not verify`,
        { keyName: sig.keyName, keyIdHex: keyIdHex(sig.keyId), text: note.text },
      );
    }
    verified.push({ verifier: key, signature: sig });
  }
  if (verified.length === 0) {
    const names = known.map(describeVerifier).join(', ');
    throw new VerificationError(
      'NOTE_UNTRUSTED',
      `no signature from a known key, want one of ${names}`,
    );
  }
  return verified;
}

/** `<name>+<key ID>`, or `<any name>+<key ID>` for a verifier that accepts any key name. */
export function describeVerifier(verifier: NoteVerifier): string {
  return `${verifier.anyKeyName ? '<any name>' : verifier.keyName}+${keyIdHex(verifier.keyId)}`;
}

/** The 8-hex-digit lowercase spelling of a key ID, as in verifier keys. */
export function keyIdHex(keyId: number): string {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, keyId);
  return encodeHex(bytes);
}

const malformed = (why: string) =>
  new VerificationError('NOTE_MALFORMED', `malformed signed note: ${why}`);
