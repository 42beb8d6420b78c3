import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { keyIdHex } from '../../../../electron/core/tlog/note';
import {
  cosignatureNoteVerifier,
  ecdsaNoteVerifier,
  ed25519NoteVerifier,
  parseVerifierKey,
} from '../../../../electron/core/tlog/note-verifiers';
import {
  cosignatureNoteSigner,
  ecdsaNoteSigner,
  ed25519FromSeed,
  ed25519NoteSigner,
  ed25519PublicKeyBytes,
  generateEcdsaP256,
  generateEd25519,
  spkiDer,
} from '../../../../electron/demo/note-signer';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));
const notes = JSON.parse(readFileSync(join(FIXTURES, 'vectors/signed-note/notes.json'), 'utf8'));
const realVkeys: { vkey: string; name: string; keyIdHex: string; signatureType: number }[] =
  notes.vkeys;
const omniwitness: { Logs: { Origin: string; PublicKey: string }[] } = parseYaml(
  readFileSync(join(FIXTURES, 'trust/omniwitness-logs.yaml'), 'utf8'),
);
const productionRoot = JSON.parse(
  readFileSync(join(FIXTURES, 'trust/trusted_root.production.json'), 'utf8'),
);

const TEXT = 'example.com/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
const message = new TextEncoder().encode(TEXT);
const ed = generateEd25519();
const ec = generateEcdsaP256();
const edKey = ed25519PublicKeyBytes(ed.publicKey);
const flipped = (bytes: Uint8Array, index: number) => {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 1;
  return copy;
};

/** Garbage signatures every verifier must answer with false, never an exception. */
const GARBAGE: Uint8Array[] = [
  new Uint8Array(0),
  Uint8Array.of(0x30),
  Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
  new Uint8Array(63),
  new Uint8Array(64),
  new Uint8Array(65),
  new Uint8Array(72).fill(0xff),
  new Uint8Array(72),
  new Uint8Array(4096).fill(0x30),
];

const INVALID_NAMES = ['', 'a b', 'a+b', 'a\u00a0b', 'a\nb'];

describe('ed25519NoteVerifier', () => {
  const signer = ed25519NoteSigner('example.com/log', ed.privateKey);
  const verifier = ed25519NoteVerifier('example.com/log', edKey);

  it('verifies a signature over the note text when the key matches', () => {
    expect(verifier.keyId).toBe(signer.keyId);
    expect(verifier.verify(message, signer.sign(TEXT))).toBe(true);
  });

  it('returns false when the message or any signature byte changes', () => {
    const sig = signer.sign(TEXT);
    expect(verifier.verify(flipped(message, 0), sig)).toBe(false);
    for (let i = 0; i < sig.length; i++)
      expect(verifier.verify(message, flipped(sig, i))).toBe(false);
  });

  it.each(GARBAGE.map((sig) => ({ sig, length: sig.length })))(
    'returns false for a garbage signature of $length bytes',
    ({ sig }) => {
      expect(verifier.verify(message, sig)).toBe(false);
    },
  );

  it('derives the key ID from name, type 0x01 and key (the C2SP example)', () => {
    const v = parseVerifierKey(
      'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
    );
    expect(keyIdHex(v.keyId)).toBe('530d903a');
  });

  it.each([31, 33, 0])('throws KEY_MALFORMED for a %i-byte key', (n) => {
    expect(() => ed25519NoteVerifier('a', new Uint8Array(n))).toThrowCode('KEY_MALFORMED');
  });

  it.each(INVALID_NAMES)('throws KEY_MALFORMED for key name %j', (name) => {
    expect(() => ed25519NoteVerifier(name, edKey)).toThrowCode('KEY_MALFORMED');
  });
});

describe('ecdsaNoteVerifier', () => {
  const signer = ecdsaNoteSigner('rekor.example', ec.privateKey);
  const verifier = ecdsaNoteVerifier('rekor.example', spkiDer(ec.publicKey));

  it('verifies an ASN.1 ECDSA P-256 signature over SHA-256 of the text', () => {
    expect(verifier.keyId).toBe(signer.keyId);
    expect(verifier.verify(message, signer.sign(TEXT))).toBe(true);
  });

  it('returns false when the message or any signature byte changes', () => {
    const sig = signer.sign(TEXT);
    expect(verifier.verify(flipped(message, 5), sig)).toBe(false);
    for (let i = 0; i < sig.length; i++)
      expect(verifier.verify(message, flipped(sig, i))).toBe(false);
  });

  it.each(GARBAGE.map((sig) => ({ sig, length: sig.length })))(
    'returns false for a garbage signature of $length bytes',
    ({ sig }) => {
      expect(verifier.verify(message, sig)).toBe(false);
    },
  );

  it('derives key ID c0d23d6a from the production Rekor v1 key in the trusted root', () => {
    const tlog = productionRoot.tlogs.find(
      (t: { baseUrl: string }) => t.baseUrl === 'https://rekor.sigstore.dev',
    );
    const spki = new Uint8Array(Buffer.from(tlog.publicKey.rawBytes, 'base64'));
    expect(keyIdHex(ecdsaNoteVerifier('rekor.sigstore.dev', spki).keyId)).toBe('c0d23d6a');
  });

  it.each([
    { desc: 'garbage bytes', spki: Uint8Array.of(1, 2, 3) },
    { desc: 'an empty key', spki: new Uint8Array(0) },
    { desc: 'an Ed25519 key', spki: spkiDer(ed.publicKey) },
    {
      desc: 'a P-384 key',
      spki: spkiDer(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey),
    },
    {
      desc: 'a P-256 key with a trailing byte',
      spki: Uint8Array.from([...spkiDer(ec.publicKey), 0]),
    },
  ])('throws KEY_MALFORMED for $desc', ({ spki }) => {
    expect(() => ecdsaNoteVerifier('rekor.example', spki)).toThrowCode('KEY_MALFORMED');
  });

  it.each(INVALID_NAMES)('throws KEY_MALFORMED for key name %j', (name) => {
    expect(() => ecdsaNoteVerifier(name, spkiDer(ec.publicKey))).toThrowCode('KEY_MALFORMED');
  });
});

describe('cosignatureNoteVerifier', () => {
  const timestamp = 1_778_700_214;
  const signer = cosignatureNoteSigner('witness.example/w1', ed.privateKey, timestamp);
  const verifier = cosignatureNoteVerifier('witness.example/w1', edKey);

  it('verifies a cosignature and reports its timestamp', () => {
    const sig = signer.sign(TEXT);
    expect(verifier.keyId).toBe(signer.keyId);
    expect(verifier.verify(message, sig)).toBe(true);
    expect(verifier.verifyCosignature(message, sig)).toBe(timestamp);
  });

  it.each([0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER])('accepts timestamp %i', (ts) => {
    const sig = cosignatureNoteSigner('w', ed.privateKey, ts).sign(TEXT);
    expect(cosignatureNoteVerifier('w', edKey).verifyCosignature(message, sig)).toBe(ts);
  });

  it('returns undefined when the timestamp, message or signature changes', () => {
    const sig = signer.sign(TEXT);
    expect(verifier.verifyCosignature(flipped(message, 0), sig)).toBeUndefined();
    for (let i = 0; i < sig.length; i++) {
      expect(verifier.verifyCosignature(message, flipped(sig, i))).toBeUndefined();
    }
  });

  it('returns undefined for a timestamp above 2^53-1', () => {
    const sig = signer.sign(TEXT);
    sig.set([0x00, 0x20, 0, 0, 0, 0, 0, 0], 0); // 2^53
    expect(verifier.verifyCosignature(message, sig)).toBeUndefined();
    sig.fill(0xff, 0, 8);
    expect(verifier.verify(message, sig)).toBe(false);
  });

  it('rejects a plain Ed25519 signature by the same key (domain separation)', () => {
    const plain = ed25519NoteSigner('witness.example/w1', ed.privateKey);
    const sig = Uint8Array.from([...new Uint8Array(8), ...plain.sign(TEXT)]);
    expect(verifier.verify(message, sig)).toBe(false);
    expect(plain.keyId).not.toBe(verifier.keyId);
  });

  it.each(GARBAGE.map((sig) => ({ sig, length: sig.length })))(
    'returns false for a garbage signature of $length bytes',
    ({ sig }) => {
      expect(verifier.verify(message, sig)).toBe(false);
      expect(verifier.verifyCosignature(message, sig)).toBeUndefined();
    },
  );

  it('verifies a cosignature whose bytes sit at an offset in a larger buffer', () => {
    const sig = signer.sign(TEXT);
    const buffer = new Uint8Array(sig.length + 3);
    buffer.set(sig, 3);
    expect(verifier.verifyCosignature(message, buffer.subarray(3))).toBe(timestamp);
  });

  it('throws KEY_MALFORMED for a 31-byte key', () => {
    expect(() => cosignatureNoteVerifier('w', new Uint8Array(31))).toThrowCode('KEY_MALFORMED');
  });
});

describe('parseVerifierKey', () => {
  it.each(realVkeys)('parses the real vkey of $name (type $signatureType)', (k) => {
    const v = parseVerifierKey(k.vkey);
    expect(v.keyName).toBe(k.name);
    expect(keyIdHex(v.keyId)).toBe(k.keyIdHex);
  });

  it.each(omniwitness.Logs)('parses the omniwitness vkey of $Origin', (log) => {
    const v = parseVerifierKey(log.PublicKey);
    expect(log.PublicKey.startsWith(`${v.keyName}+${keyIdHex(v.keyId)}+`)).toBe(true);
  });

  it('round-trips the vkeys of the test signers into verifiers of their signatures', () => {
    const keys = generateEd25519();
    const signers = [
      ed25519NoteSigner('a.example', keys.privateKey),
      ecdsaNoteSigner('b.example', ec.privateKey),
      cosignatureNoteSigner('c.example', keys.privateKey, 5),
    ];
    for (const s of signers) {
      const v = parseVerifierKey(s.vkey);
      expect([v.keyName, v.keyId]).toEqual([s.keyName, s.keyId]);
      expect(v.verify(message, s.sign(TEXT))).toBe(true);
    }
  });

  const fixed = ed25519NoteSigner('k.example', ed25519FromSeed(new Uint8Array(32)).privateKey);
  const [fixedName, fixedId, fixedKey] = fixed.vkey.split('+') as [string, string, string];
  const typed = (type: number, key: Uint8Array) => Buffer.from([type, ...key]).toString('base64');

  it.each([
    { desc: 'no "+"', vkey: 'k.example' },
    { desc: 'one "+"', vkey: `${fixedName}+${fixedId}` },
    { desc: 'an empty key name', vkey: `+${fixedId}+${fixedKey}` },
    { desc: 'a key name with a space', vkey: `k example+${fixedId}+${fixedKey}` },
    { desc: 'an uppercase key ID', vkey: `${fixedName}+${fixedId.toUpperCase()}+${fixedKey}` },
    { desc: 'a 7-digit key ID', vkey: `${fixedName}+${fixedId.slice(1)}+${fixedKey}` },
    { desc: 'a 9-digit key ID', vkey: `${fixedName}+0${fixedId}+${fixedKey}` },
    { desc: 'a non-hex key ID', vkey: `${fixedName}+zzzzzzzz+${fixedKey}` },
    { desc: 'a wrong key ID', vkey: `${fixedName}+00000000+${fixedKey}` },
    { desc: 'the key ID of another name', vkey: `other.example+${fixedId}+${fixedKey}` },
    { desc: 'an empty key', vkey: `${fixedName}+${fixedId}+` },
    { desc: 'invalid base64', vkey: `${fixedName}+${fixedId}+${fixedKey.slice(1)}` },
    { desc: 'URL-safe base64', vkey: `${fixedName}+${fixedId}+${fixedKey.replace(/[+/]/g, '_')}_` },
    { desc: 'a type byte only', vkey: `${fixedName}+${fixedId}+AQ==` },
    {
      desc: 'type 0x03 (reserved)',
      vkey: `${fixedName}+${fixedId}+${typed(3, new Uint8Array(32))}`,
    },
    {
      desc: 'type 0x05 (RFC 6962)',
      vkey: `${fixedName}+${fixedId}+${typed(5, new Uint8Array(32))}`,
    },
    { desc: 'type 0xff (RSA)', vkey: `${fixedName}+${fixedId}+${typed(0xff, new Uint8Array(32))}` },
    {
      desc: 'a type 0x02 key that is not DER',
      vkey: `${fixedName}+${fixedId}+${typed(2, new Uint8Array(32))}`,
    },
  ])('throws KEY_MALFORMED for $desc', ({ vkey }) => {
    expect(() => parseVerifierKey(vkey)).toThrowCode('KEY_MALFORMED');
  });

  it('verifies with the same (key name, key ID) whether built from a vkey or raw key', () => {
    const fromVkey = parseVerifierKey(fixed.vkey);
    const fromKey = ed25519NoteVerifier(fixed.keyName, Buffer.from(fixedKey, 'base64').subarray(1));
    expect([fromVkey.keyName, fromVkey.keyId]).toEqual([fromKey.keyName, fromKey.keyId]);
  });
});
