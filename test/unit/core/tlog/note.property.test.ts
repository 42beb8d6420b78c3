// Property tests: whatever bytes or text arrive, the note parsers and verifiers either succeed or
// throw a VerificationError; verifiers answer garbage with false.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  parseSignedNote,
  parseSignedNoteBytes,
  verifyNote,
} from '../../../../electron/core/tlog/note';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';

const REALDATA = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));
const notes = JSON.parse(readFileSync(join(REALDATA, 'vectors/signed-note/notes.json'), 'utf8'));
const realNotes: string[] = notes.notes.map((n: { note: string }) => n.note);
const realVkeys: string[] = notes.vkeys.map((k: { vkey: string }) => k.vkey);
const verifiers = realVkeys.map(parseVerifierKey);

/** Runs `fn`; passes if it returns or throws a VerificationError, fails on anything else. */
function onlyVerificationErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof VerificationError)) throw err;
  }
}

/** Strings of any UTF-16 code units, including unpaired surrogates and control characters. */
const anyUtf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 })
  .map((units) => String.fromCharCode(...units));

/** Strings built from the characters that matter to the note syntax. */
const noteLike = fc
  .array(fc.constantFrom('\n', '\u2014', ' ', '+', '/', '=', 'A', 'a', '0', '\r', '\u00a0', 'é'), {
    maxLength: 200,
  })
  .map((chars) => chars.join(''));

/** A real note with one random edit: a replaced, inserted or deleted character. */
const mutatedRealNote = fc
  .tuple(
    fc.constantFrom(...realNotes),
    fc.nat(),
    fc.constantFrom('replace', 'insert', 'delete'),
    fc.constantFrom('\n', '\u2014', ' ', '+', '/', '=', 'A', '\u0000', '\ud800'),
  )
  .map(([note, at, edit, char]) => {
    const i = at % note.length;
    if (edit === 'delete') return note.slice(0, i) + note.slice(i + 1);
    return note.slice(0, i) + char + note.slice(edit === 'replace' ? i + 1 : i);
  });

describe('parseSignedNote', () => {
  it('throws only VerificationError for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyUtf16, noteLike), (s) => {
        onlyVerificationErrors(() => parseSignedNote(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws only VerificationError, or verifies, for mutated real notes', () => {
    fc.assert(
      fc.property(mutatedRealNote, (note) => {
        onlyVerificationErrors(() => verifyNote(parseSignedNote(note), verifiers));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseSignedNoteBytes', () => {
  it('throws only VerificationError for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        onlyVerificationErrors(() => parseSignedNoteBytes(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws only VerificationError for real notes with random bytes spliced in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...realNotes),
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        (note, at, junk) => {
          const bytes = Buffer.from(note);
          const i = at % bytes.length;
          const spliced = Buffer.concat([bytes.subarray(0, i), junk, bytes.subarray(i)]);
          onlyVerificationErrors(() => verifyNote(parseSignedNoteBytes(spliced), verifiers));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseVerifierKey', () => {
  it('throws only VerificationError for arbitrary and mutated vkeys', () => {
    const mutatedVkey = fc
      .tuple(fc.constantFrom(...realVkeys), fc.nat(), fc.constantFrom('+', 'A', '/', '=', ' '))
      .map(([vkey, at, char]) => {
        const i = at % vkey.length;
        return vkey.slice(0, i) + char + vkey.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyUtf16, noteLike, mutatedVkey), (s) => {
        onlyVerificationErrors(() => parseVerifierKey(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('builds verifiers of every real key type for random valid key bytes, or throws KEY_MALFORMED', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 4),
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        (type, key) => {
          const b64 = Buffer.from([type, ...key]).toString('base64');
          onlyVerificationErrors(() => parseVerifierKey(`k+00000000+${b64}`));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('NoteVerifier.verify', () => {
  it('returns false, never throws, for random messages and signatures', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...verifiers),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }),
        (verifier, message, signature) => {
          expect(verifier.verify(message, signature)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
