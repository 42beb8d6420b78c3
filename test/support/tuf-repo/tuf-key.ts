// Signing keys for the test TUF repository, in the TUF key format tuf-js reads
// (theupdateframework.github.io/specification, "Key objects"): ECDSA P-256 with a PEM public
// key, as the Sigstore repository uses, and Ed25519 with a hex public key.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export interface TufPublicKey {
  readonly keytype: string;
  readonly scheme: string;
  readonly keyval: { readonly public: string };
}

export interface TufKey {
  /** SHA-256 of the canonical JSON of the public key, hex (TUF spec KEYID). */
  readonly keyid: string;
  readonly publicKey: TufPublicKey;
  /** Signs `message`, returning the signature hex as TUF metadata stores it. */
  sign(message: Uint8Array): string;
}

/** A fresh key of the given type. */
export function generateTufKey(type: 'ecdsa' | 'ed25519'): TufKey {
  return type === 'ecdsa' ? ecdsaKey() : ed25519Key();
}

function ecdsaKey(): TufKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return tufKey(
    {
      keytype: 'ecdsa',
      scheme: 'ecdsa-sha2-nistp256',
      keyval: { public: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    },
    privateKey,
    'sha256',
  );
}

function ed25519Key(): TufKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return tufKey(
    {
      keytype: 'ed25519',
      scheme: 'ed25519',
      keyval: { public: Buffer.from(x, 'base64url').toString('hex') },
    },
    privateKey,
    null,
  );
}

function tufKey(publicKey: TufPublicKey, privateKey: KeyObject, digest: string | null): TufKey {
  return {
    keyid: createHash('sha256').update(canonicalJson(publicKey)).digest('hex'),
    publicKey,
    sign: (message) => sign(digest, message, privateKey).toString('hex'),
  };
}
