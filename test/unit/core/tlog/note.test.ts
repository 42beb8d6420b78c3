import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  isValidKeyName,
  keyIdHex,
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  parseSignedNote,
  parseSignedNoteBytes,
  verifyNote,
  type NoteVerifier,
} from '../../../../electron/core/tlog/note';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import {
  ed25519FromSeed,
  ed25519NoteSigner,
  signNote,
} from '../../../../electron/demo/note-signer';

interface NoteVector {
  file: string;
  desc: string;
  note: string;
  vkeys: string[];
  want: { error: string } | { text: string; verifiedBy: string[] };
}

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const VECTOR_DIR = join(FIXTURES, 'vectors/note');
const vectors: NoteVector[] = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, ...JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) }));

interface RealNote {
  description: string;
  note: string;
  vkeys: string[];
  signatures: { name: string; keyIdHex: string; verifiedWith: string | null }[];
}
const realNotes: RealNote[] = JSON.parse(
  readFileSync(join(FIXTURES, 'realdata/vectors/signed-note/notes.json'), 'utf8'),
).notes;

const signer = ed25519NoteSigner(
  'signer.example/key',
  ed25519FromSeed(new Uint8Array(32)).privateKey,
);
const verifier = parseVerifierKey(signer.vkey);
const TEXT = 'hello\n';

/** A signed note padded with text lines to exactly `bytes` UTF-8 bytes. */
function noteOfSize(bytes: number): string {
  const probe = signNote(TEXT, [signer]);
  const padding = bytes - Buffer.byteLength(probe);
  const text = `${'x'.repeat(padding - 1)}\n${TEXT}`;
  return signNote(text, [signer]);
}

describe('note mutation vectors', () => {
  it('loads the vector folder', () => {
    expect(vectors.length).toBeGreaterThan(30);
  });

  it.each(vectors)('$desc ($file)', (v) => {
    const known = v.vkeys.map(parseVerifierKey);
    const open = () => verifyNote(parseSignedNote(v.note), known);
    if ('error' in v.want) {
      expect(open).toThrowCode(v.want.error);
      expect(open).toThrow(VerificationError);
    } else {
      expect(open().map((k) => k.keyName)).toEqual(v.want.verifiedBy);
      expect(parseSignedNote(v.note).text).toBe(v.want.text);
    }
  });
});

describe('parseSignedNote and verifyNote on real notes', () => {
  it.each(realNotes)('verifies exactly the known signers of: $description', (n) => {
    const note = parseSignedNote(n.note);
    expect(note.signatures.map((s) => [s.keyName, keyIdHex(s.keyId)])).toEqual(
      n.signatures.map((s) => [s.name, s.keyIdHex]),
    );
    const verifiedBy = verifyNote(note, n.vkeys.map(parseVerifierKey));
    const expected = n.signatures.filter((s) => s.verifiedWith !== null).map((s) => s.name);
    expect(verifiedBy.map((k) => k.keyName)).toEqual(expected);
  });

  it('ignores a signature whose key is unknown when the known one verifies', () => {
    const n = realNotes.find((r) => r.signatures.some((s) => s.verifiedWith === null));
    expect(n).toBeDefined();
    const known = n!.vkeys.map(parseVerifierKey);
    expect(verifyNote(parseSignedNote(n!.note), known)).toHaveLength(known.length);
  });
});

describe('parseSignedNote', () => {
  it('splits at the last blank line and keeps the final newline in the text', () => {
    const note = parseSignedNote(`a\n\nb\n\n\u2014 k AAAAAAE=\n`);
    expect(note.text).toBe('a\n\nb\n');
    expect(note.signatures).toEqual([{ keyName: 'k', keyId: 0, signature: Uint8Array.of(1) }]);
  });

  it('reads the key ID as a big-endian uint32 and keeps the rest as the signature', () => {
    const note = parseSignedNote(`t\n\n\u2014 k /////wID\n`);
    expect(note.signatures[0]?.keyId).toBe(0xffffffff);
    expect(note.signatures[0]?.signature).toEqual(Uint8Array.of(2, 3));
  });

  it('accepts a note of exactly the size limit', () => {
    const envelope = noteOfSize(MAX_NOTE_BYTES);
    expect(Buffer.byteLength(envelope)).toBe(MAX_NOTE_BYTES);
    expect(verifyNote(parseSignedNote(envelope), [verifier])).toEqual([verifier]);
  });

  it('rejects a note one byte over the size limit', () => {
    expect(() => parseSignedNote(noteOfSize(MAX_NOTE_BYTES + 1))).toThrowCode('NOTE_MALFORMED');
  });

  it('rejects a note under the limit in UTF-16 units but over it in UTF-8 bytes', () => {
    const envelope = `${'é'.repeat(MAX_NOTE_BYTES / 2)}\n\n\u2014 k AAAAAAE=\n`;
    expect(envelope.length).toBeLessThan(MAX_NOTE_BYTES);
    expect(() => parseSignedNote(envelope)).toThrowCode('NOTE_MALFORMED');
  });

  it(`accepts ${MAX_NOTE_SIGNATURES} signature lines and rejects one more`, () => {
    const line = `\u2014 other.example ${Buffer.alloc(68, 9).toString('base64')}\n`;
    const base = signNote(TEXT, [signer]);
    const atLimit = base + line.repeat(MAX_NOTE_SIGNATURES - 1);
    expect(parseSignedNote(atLimit).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
    expect(verifyNote(parseSignedNote(atLimit), [verifier])).toEqual([verifier]);
    expect(() => parseSignedNote(atLimit + line)).toThrowCode('NOTE_MALFORMED');
  });

  it('allows DEL and U+FFFD written as valid characters', () => {
    const text = 'del \u007f replacement \ufffd\n';
    expect(verifyNote(parseSignedNote(signNote(text, [signer])), [verifier])).toEqual([verifier]);
  });
});

describe('parseSignedNoteBytes', () => {
  const valid = signNote('bytes\n', [signer]);

  it('parses strict UTF-8 like parseSignedNote parses the string', () => {
    expect(parseSignedNoteBytes(new TextEncoder().encode(valid))).toEqual(parseSignedNote(valid));
  });

  it.each([
    { desc: 'a lone continuation byte', bad: [0x80] },
    { desc: 'a byte never valid in UTF-8', bad: [0xff] },
    { desc: 'a truncated 3-byte sequence', bad: [0xe2, 0x80] },
    { desc: 'an overlong encoding of "/"', bad: [0xc0, 0xaf] },
    { desc: 'an encoded UTF-16 surrogate', bad: [0xed, 0xa0, 0x80] },
  ])('rejects $desc in the text', ({ bad }) => {
    const bytes = Buffer.concat([Buffer.from('x'), Buffer.from(bad), Buffer.from(valid)]);
    expect(() => parseSignedNoteBytes(bytes)).toThrowCode('NOTE_MALFORMED');
  });

  it('rejects a leading byte order mark, which a decoder would silently drop', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)]);
    expect(() => parseSignedNoteBytes(bytes)).toThrowCode('NOTE_MALFORMED');
  });

  it('rejects more bytes than the size limit before decoding', () => {
    const bytes = new Uint8Array(MAX_NOTE_BYTES + 1).fill(0x61);
    expect(() => parseSignedNoteBytes(bytes)).toThrowCode('NOTE_MALFORMED');
  });

  it('accepts exactly the size limit', () => {
    const bytes = new TextEncoder().encode(noteOfSize(MAX_NOTE_BYTES));
    expect(parseSignedNoteBytes(bytes).signatures).toHaveLength(1);
  });
});

describe('verifyNote', () => {
  const other = ed25519NoteSigner(
    'other.example/key',
    ed25519FromSeed(new Uint8Array(32).fill(1)).privateKey,
  );
  const otherVerifier = parseVerifierKey(other.vkey);

  it('lists a key once per signature line it verified, in line order', () => {
    const note = parseSignedNote(signNote(TEXT, [other, signer, other]));
    expect(verifyNote(note, [verifier, otherVerifier])).toEqual([
      otherVerifier,
      verifier,
      otherVerifier,
    ]);
  });

  it('rejects a note when no key is known', () => {
    expect(() => verifyNote(parseSignedNote(signNote(TEXT, [signer])), [])).toThrowCode(
      'NOTE_UNTRUSTED',
    );
  });

  it('names the failing key in the evidence when a known signature fails', () => {
    const note = parseSignedNote(signNote(TEXT, [signer]));
    const tampered = { ...note, text: 'hellp\n' };
    try {
      verifyNote(tampered, [verifier]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(VerificationError);
      expect((err as VerificationError).code).toBe('NOTE_BAD_SIGNATURE');
      expect((err as VerificationError).evidence).toEqual({
        keyName: signer.keyName,
        keyIdHex: keyIdHex(signer.keyId),
        text: 'hellp\n',
      });
    }
  });

  it('uses the first of two known verifiers with the same key name and key ID', () => {
    const alwaysTrue: NoteVerifier = { ...verifier, verify: () => true };
    const tampered = { ...parseSignedNote(signNote(TEXT, [signer])), text: 'other\n' };
    expect(verifyNote(tampered, [alwaysTrue, verifier])).toEqual([alwaysTrue]);
    expect(() => verifyNote(tampered, [verifier, alwaysTrue])).toThrowCode('NOTE_BAD_SIGNATURE');
  });
});

describe('isValidKeyName', () => {
  it.each([
    { name: 'rekor.sigstore.dev', valid: true },
    { name: 'staging.witness.transparency.goog/ring-any-bells', valid: true },
    { name: 'città.example', valid: true },
    { name: '', valid: false },
    { name: 'a b', valid: false },
    { name: 'a+b', valid: false },
    { name: 'a\tb', valid: false },
    { name: 'a\u0085b', valid: false },
    { name: 'a\u00a0b', valid: false },
    { name: 'a\u2028b', valid: false },
    { name: 'a\u3000b', valid: false },
  ])('returns $valid for $name', ({ name, valid }) => {
    expect(isValidKeyName(name)).toBe(valid);
  });
});

describe('keyIdHex', () => {
  it.each([
    { keyId: 0, hex: '00000000' },
    { keyId: 0xc0d23d6a, hex: 'c0d23d6a' },
    { keyId: 0xffffffff, hex: 'ffffffff' },
  ])('spells $keyId as $hex', ({ keyId, hex }) => {
    expect(keyIdHex(keyId)).toBe(hex);
  });
});
