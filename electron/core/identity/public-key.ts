// Public-key signers to one comparable form, the DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7),
// so that one key logged as PEM, as an OpenSSH key (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4)
// or as a minisign key has one fingerprint.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Signer } from '../entries/types';
import { VerificationError } from '../errors';
import { concatBytes, decodeUtf8Strict } from '../bytes';

type KeySigner = Extract<Signer, { type: 'publicKey' }>;

// RFC 8410 §4: SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING } before the 32 key bytes.
const ED25519_SPKI_PREFIX = new Uint8Array([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
]);

const SSH_EC_CURVES: Readonly<Record<string, string>> = {
  nistp256: 'P-256',
  nistp384: 'P-384',
  nistp521: 'P-521',
};

/**
 * The SPKI DER of a key signer, or undefined for formats that have none (OpenPGP keys, and
 * OpenSSH key types other than Ed25519, ECDSA and RSA). Throws KEY_MALFORMED when the key
 * bytes do not decode as their format says.
 */
export function toSpki(signer: KeySigner): Uint8Array | undefined {
  switch (signer.keyFormat) {
    case 'spki':
      return signer.keyBytes;
    case 'minisign':
      return minisignToSpki(signer.keyBytes);
    case 'ssh':
      return sshToSpki(signer.keyBytes);
    case 'pgp':
      return undefined;
  }
}

/** minisign public key: "Ed" ‖ 8-byte key ID ‖ 32-byte Ed25519 key (minisign's README). */
function minisignToSpki(key: Uint8Array): Uint8Array {
  if (key.length !== 42 || key[0] !== 0x45 || key[1] !== 0x64) {
    throw keyMalformed(`minisign key of ${key.length} bytes, want "Ed" and 42 bytes`);
  }
  return concatBytes(ED25519_SPKI_PREFIX, key.subarray(10));
}

/** OpenSSH public key blob: string key type, then type-specific fields. */
function sshToSpki(blob: Uint8Array): Uint8Array | undefined {
  const reader = sshReader(blob);
  const keyType = decodeUtf8Strict(reader.string()) ?? '';
  let jwk: JsonWebKey;
  if (keyType === 'ssh-ed25519') {
    const key = reader.string();
    if (key.length !== 32) throw keyMalformed(`ssh-ed25519 key of ${key.length} bytes, want 32`);
    reader.end();
    return concatBytes(ED25519_SPKI_PREFIX, key);
  } else if (keyType.startsWith('ecdsa-sha2-')) {
    const curve = decodeUtf8Strict(reader.string()) ?? '';
    const crv = SSH_EC_CURVES[curve];
    if (crv === undefined || keyType !== `ecdsa-sha2-${curve}`) {
      throw keyMalformed(`ssh key type ${keyType} with curve ${curve}`);
    }
    const point = reader.string();
    reader.end();
    const size = (point.length - 1) / 2;
    if (point[0] !== 0x04 || !Number.isInteger(size)) throw keyMalformed('ssh ECDSA point form');
    jwk = {
      kty: 'EC',
      crv,
      x: base64url(point.subarray(1, 1 + size)),
      y: base64url(point.subarray(1 + size)),
    };
  } else if (keyType === 'ssh-rsa') {
    const e = unsignedMpint(reader.string());
    const n = unsignedMpint(reader.string());
    reader.end();
    jwk = { kty: 'RSA', e: base64url(e), n: base64url(n) };
  } else {
    return undefined;
  }
  try {
    return new Uint8Array(
      createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }),
    );
  } catch (err) {
    throw keyMalformed(`ssh ${keyType} key is not a valid key`, err);
  }
}

function sshReader(blob: Uint8Array) {
  let offset = 0;
  return {
    /** RFC 4251 §5 string: uint32 length, then that many bytes. */
    string(): Uint8Array {
      if (offset + 4 > blob.length) throw keyMalformed('truncated ssh key');
      const length =
        blob[offset]! * 2 ** 24 +
        (blob[offset + 1]! << 16) +
        (blob[offset + 2]! << 8) +
        blob[offset + 3]!;
      const start = offset + 4;
      if (start + length > blob.length) throw keyMalformed('truncated ssh key field');
      offset = start + length;
      return blob.subarray(start, offset);
    },
    end(): void {
      if (offset !== blob.length) throw keyMalformed('trailing bytes in ssh key');
    },
  };
}

/** RFC 4251 §5 mpint as an unsigned big-endian magnitude (negative values are refused). */
function unsignedMpint(bytes: Uint8Array): Uint8Array {
  if ((bytes[0] ?? 0) & 0x80) throw keyMalformed('negative mpint in ssh-rsa key');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

const base64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function keyMalformed(why: string, cause?: unknown): VerificationError {
  return new VerificationError('KEY_MALFORMED', `malformed public key: ${why}`, undefined, {
    cause,
  });
}
