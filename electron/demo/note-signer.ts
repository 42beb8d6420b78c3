// Test-only signers for C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-cosignature).
// Written straight against node:crypto, independently of electron/core/tlog, so that tests of the
// verifiers check them against a second implementation rather than against themselves.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';

/** A key that signs note text the way one C2SP signature type does. */
export interface NoteSigner {
  readonly keyName: string;
  /** The 4-byte key ID as a big-endian uint32. */
  readonly keyId: number;
  /** Signature bytes for `text` (the note text, ending in "\n"), without the 4-byte key ID. */
  sign(text: string): Uint8Array;
  /** The C2SP verifier key: `<name>+<8 hex key ID>+<base64(type byte || key)>`. */
  readonly vkey: string;
}

/** A freshly generated key pair. */
export interface KeyPair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/** Generates an Ed25519 key pair (for types 0x01 and 0x04). */
export function generateEd25519(): KeyPair {
  return generateKeyPairSync('ed25519');
}

/** Generates an ECDSA P-256 key pair (for type 0x02, as Rekor v1 signs). */
export function generateEcdsaP256(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/**
 * A deterministic Ed25519 key pair from a 32-byte RFC 8032 seed, for reproducible vectors.
 * Never use a fixed seed outside tests.
 */
export function ed25519FromSeed(seed: Uint8Array): KeyPair {
  // PKCS#8 DER for Ed25519 is a fixed 16-byte prefix followed by the seed.
  const prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  const privateKey = createPrivateKey({
    key: Buffer.concat([prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Raw 32-byte Ed25519 public key of a private or public KeyObject. */
export function ed25519PublicKeyBytes(key: KeyObject): Uint8Array {
  const spki = spkiDer(key);
  // Ed25519 SPKI DER is a fixed 12-byte prefix followed by the 32-byte key.
  return spki.subarray(spki.length - 32);
}

/** SPKI DER of a private or public KeyObject's public half. */
export function spkiDer(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
}

/** Type 0x01: plain Ed25519 over the note text. */
export function ed25519NoteSigner(keyName: string, privateKey: KeyObject): NoteSigner {
  const key = concat(Uint8Array.of(0x01), ed25519PublicKeyBytes(privateKey));
  return {
    keyName,
    keyId: nameKeyId(keyName, key),
    sign: (text) => new Uint8Array(sign(null, Buffer.from(text, 'utf8'), privateKey)),
    vkey: vkeyOf(keyName, nameKeyId(keyName, key), key),
  };
}

/** Type 0x02: ASN.1 DER ECDSA P-256 over SHA-256 of the note text; key ID = SHA-256(SPKI)[:4]. */
export function ecdsaNoteSigner(keyName: string, privateKey: KeyObject): NoteSigner {
  const spki = spkiDer(privateKey);
  const keyId = first4(createHash('sha256').update(spki).digest());
  return {
    keyName,
    keyId,
    sign: (text) => new Uint8Array(sign('sha256', Buffer.from(text, 'utf8'), privateKey)),
    vkey: vkeyOf(keyName, keyId, concat(Uint8Array.of(0x02), spki)),
  };
}

/**
 * Type 0x04: timestamped Ed25519 cosignature. Signs "cosignature/v1\ntime <ts>\n" || text and
 * returns the 8-byte big-endian timestamp followed by the 64-byte signature.
 */
export function cosignatureNoteSigner(
  keyName: string,
  privateKey: KeyObject,
  timestampSeconds: number,
): NoteSigner {
  const key = concat(Uint8Array.of(0x04), ed25519PublicKeyBytes(privateKey));
  const keyId = nameKeyId(keyName, key);
  return {
    keyName,
    keyId,
    sign: (text) => {
      const message = `cosignature/v1\ntime ${timestampSeconds}\n${text}`;
      const sig = sign(null, Buffer.from(message, 'utf8'), privateKey);
      const ts = new Uint8Array(8);
      const view = new DataView(ts.buffer);
      view.setUint32(0, Math.floor(timestampSeconds / 2 ** 32));
      view.setUint32(4, timestampSeconds >>> 0);
      return concat(ts, new Uint8Array(sig));
    },
    vkey: vkeyOf(keyName, keyId, key),
  };
}

/**
 * The full note envelope: text, a blank line, then one "— <name> <base64(keyId || sig)>" line per
 * signer (U+2014 em dash). `text` must already end in "\n".
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  const lines = signers.map((s) => {
    const id = new Uint8Array(4);
    new DataView(id.buffer).setUint32(0, s.keyId);
    const payload = Buffer.from(concat(id, s.sign(text))).toString('base64');
    return `\u2014 ${s.keyName} ${payload}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

function nameKeyId(keyName: string, typeAndKey: Uint8Array): number {
  const h = createHash('sha256')
    .update(Buffer.from(keyName, 'utf8'))
    .update(Uint8Array.of(0x0a))
    .update(typeAndKey)
    .digest();
  return first4(h);
}

function vkeyOf(keyName: string, keyId: number, typeAndKey: Uint8Array): string {
  const hex = keyId.toString(16).padStart(8, '0');
  return `${keyName}+${hex}+${Buffer.from(typeAndKey).toString('base64')}`;
}

function first4(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
