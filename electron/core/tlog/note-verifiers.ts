// Note verifiers for the signature types Sigstore logs and their witnesses use
// (c2sp.org/signed-note@v1.0.0 §Signature types, c2sp.org/tlog-cosignature@v1.0.0) and
// verifier keys ("vkeys", <name>+<8 hex key ID>+<base64(type || key)>).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { VerificationError } from '../errors';
import { bytesEqual, concatBytes, decodeBase64Strict, encodeUtf8 } from '../bytes';
import { sha256 } from '../hash';
import { isValidKeyName, keyIdHex, type NoteVerifier } from './note';

/** Signature type byte (c2sp.org/signed-note) of plain Ed25519: Rekor v2 logs. */
export const SIGNATURE_TYPE_ED25519 = 0x01;
/** Signature type byte of ECDSA with key ID = SHA-256(SPKI)[:4]: Rekor v1 logs. */
export const SIGNATURE_TYPE_ECDSA = 0x02;
/** Signature type byte of timestamped Ed25519 witness cosignatures. */
export const SIGNATURE_TYPE_COSIGNATURE = 0x04;

const ED25519_PUBLIC_KEY_BYTES = 32;
const COSIGNATURE_BYTES = 8 + 64; // u64 timestamp || Ed25519 signature
const HEX_KEY_ID = /^[0-9a-f]{8}$/;

/** A type 0x04 verifier that can also report the timestamp of a cosignature it accepts. */
export interface CosignatureVerifier extends NoteVerifier {
  /**
   * Returns the cosignature's timestamp (POSIX seconds) if `signature` is a valid cosignature of
   * `message` (the note text), else undefined. Does not compare the timestamp with any clock.
   */
  verifyCosignature(message: Uint8Array, signature: Uint8Array): number | undefined;
}

/**
 * A verifier for type 0x01 (plain Ed25519, RFC 8032, over the note text). Key ID =
 * SHA-256(name || 0x0A || 0x01 || key)[:4]. Throws VerificationError('KEY_MALFORMED') for an
 * invalid key name or a key that is not 32 bytes.
 */
export function ed25519NoteVerifier(keyName: string, publicKey: Uint8Array): NoteVerifier {
  const key = ed25519Key(keyName, publicKey);
  return {
    keyName,
    keyId: nameKeyId(keyName, SIGNATURE_TYPE_ED25519, publicKey),
    // OpenSSL returns false (never throws) for signatures of the wrong length.
    verify: (message, signature) => verify(null, message, key, signature),
  };
}

/**
 * A verifier for type 0x02 as Rekor v1 signs checkpoints: ASN.1 DER ECDSA P-256 over SHA-256 of
 * the note text, key ID = SHA-256(SPKI DER)[:4]. Only P-256 is accepted (the spec also allows
 * P-384 and P-521; no Sigstore log uses them). Throws VerificationError('KEY_MALFORMED') for an
 * invalid key name or a `spki` that is not canonical DER of a P-256 public key.
 */
export function ecdsaNoteVerifier(keyName: string, spki: Uint8Array): NoteVerifier {
  checkKeyName(keyName);
  const key = parseSpki(spki);
  if (key?.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw keyMalformed(`key for ${keyName} is not an ECDSA P-256 SubjectPublicKeyInfo`);
  }
  // The key ID hashes these bytes; refuse encodings Node would silently normalize.
  if (!bytesEqual(new Uint8Array(key.export({ format: 'der', type: 'spki' })), spki)) {
    throw keyMalformed(`key for ${keyName} is not canonical DER`);
  }
  return {
    keyName,
    keyId: firstFourBytes(sha256(spki)),
    verify: (message, signature) => verify('sha256', message, key, signature),
  };
}

/**
 * A verifier for type 0x04 witness cosignatures (c2sp.org/tlog-cosignature, Ed25519): the
 * signature is an 8-byte big-endian timestamp followed by an Ed25519 signature over
 * "cosignature/v1\ntime <timestamp>\n" || note text. Key ID = SHA-256(name || 0x0A || 0x04 ||
 * key)[:4]. Timestamps above 2^53-1 are rejected (the spec allows up to 2^63-1; no real clock
 * is there). Throws VerificationError('KEY_MALFORMED') like ed25519NoteVerifier.
 */
export function cosignatureNoteVerifier(
  keyName: string,
  publicKey: Uint8Array,
): CosignatureVerifier {
  const key = ed25519Key(keyName, publicKey);
  const verifyCosignature = (message: Uint8Array, signature: Uint8Array): number | undefined => {
    if (signature.length !== COSIGNATURE_BYTES) return undefined;
    const view = new DataView(signature.buffer, signature.byteOffset, 8);
    const timestamp = view.getBigUint64(0);
    if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    const header = encodeUtf8(`cosignature/v1\ntime ${timestamp}\n`);
    const ok = verify(null, concatBytes(header, message), key, signature.subarray(8));
    return ok ? Number(timestamp) : undefined;
  };
  return {
    keyName,
    keyId: nameKeyId(keyName, SIGNATURE_TYPE_COSIGNATURE, publicKey),
    verify: (message, signature) => verifyCosignature(message, signature) !== undefined,
    verifyCosignature,
  };
}

/**
 * Parses a C2SP verifier key `<name>+<8 hex key ID>+<base64(type || key)>` of type 0x01, 0x02
 * (key = SPKI DER) or 0x04 into a verifier. The fields are split on the first two "+" (base64
 * may contain "+"). The key ID must be lowercase hex and equal the ID computed from the key.
 * Throws VerificationError('KEY_MALFORMED') otherwise, including for other signature types.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw keyMalformed('verifier key needs <name>+<key ID>+<key>');
  const keyName = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  // Invalid base64 and empty base64 are both "no type byte".
  const typeAndKey = decodeBase64Strict(vkey.slice(second + 1)) ?? new Uint8Array(0);
  if (!HEX_KEY_ID.test(idHex)) {
    throw keyMalformed(`verifier key ID ${JSON.stringify(idHex)} is not 8 lowercase hex digits`);
  }
  const type = typeAndKey[0];
  if (type === undefined) {
    throw keyMalformed(`verifier key for ${keyName} is not non-empty standard base64`);
  }
  const verifier = verifierOfType(type, keyName, typeAndKey.subarray(1));
  if (keyIdHex(verifier.keyId) !== idHex) {
    throw keyMalformed(`verifier key ID ${idHex}, want ${keyIdHex(verifier.keyId)}`);
  }
  return verifier;
}

function verifierOfType(type: number, keyName: string, key: Uint8Array): NoteVerifier {
  switch (type) {
    case SIGNATURE_TYPE_ED25519:
      return ed25519NoteVerifier(keyName, key);
    case SIGNATURE_TYPE_ECDSA:
      return ecdsaNoteVerifier(keyName, key);
    case SIGNATURE_TYPE_COSIGNATURE:
      return cosignatureNoteVerifier(keyName, key);
    default:
      throw keyMalformed(`unsupported signature type 0x${type.toString(16)} for ${keyName}`);
  }
}

function ed25519Key(keyName: string, publicKey: Uint8Array): KeyObject {
  checkKeyName(keyName);
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw keyMalformed(`ed25519 key for ${keyName} is ${publicKey.length} bytes, want 32`);
  }
  // Node takes raw Ed25519 keys only as JWK; any 32 bytes import (bad points fail to verify).
  const x = Buffer.from(publicKey).toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

function parseSpki(spki: Uint8Array): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    // OpenSSL rejects truncated or non-DER input with a plain Error; ours carries the code.
    return undefined;
  }
}

function checkKeyName(keyName: string): void {
  if (!isValidKeyName(keyName)) throw keyMalformed(`invalid key name ${JSON.stringify(keyName)}`);
}

function nameKeyId(keyName: string, type: number, publicKey: Uint8Array): number {
  return firstFourBytes(sha256(encodeUtf8(keyName), Uint8Array.of(0x0a, type), publicKey));
}

function firstFourBytes(hash: Uint8Array): number {
  return new DataView(hash.buffer, hash.byteOffset, 4).getUint32(0);
}

const keyMalformed = (why: string) => new VerificationError('KEY_MALFORMED', why);
