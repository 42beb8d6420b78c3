// Random and mutated input into the input recogniser and the verifiers: the only exceptions
// allowed are our own error classes (which the CLI reports as ok:false lines); verifyInput
// itself never throws them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import { parseInputText, parseInputValue } from '../../../../electron/core/verify/input';
import { verifyInput } from '../../../../electron/core/verify/verify';
import {
  CHECKPOINT_RECORDS,
  ENTRY_RECORDS,
  NOW_MS,
  logsFor,
  toLogEntryJson,
  toTransparencyLogEntryJson,
} from './realdata';

const OPTIONS = { logs: [...logsFor('production'), ...logsFor('staging')], nowMs: NOW_MS };

/** Recognises and verifies; returns the error class name if one of ours was thrown. */
function recogniseAndVerify(parse: () => ReturnType<typeof parseInputText>): string {
  let inputs;
  try {
    inputs = parse();
  } catch (err) {
    if (err instanceof AppError) return err.name;
    throw err;
  }
  for (const input of inputs) verifyInput(input, OPTIONS);
  return 'verified';
}

const SEEDS: unknown[] = [
  ...ENTRY_RECORDS.slice(0, 5).map((r) => toTransparencyLogEntryJson(r)),
  ...ENTRY_RECORDS.filter((r) => r.rekorApi === 'v1')
    .slice(0, 5)
    .map((r) => toLogEntryJson(r)),
  {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { tlogEntries: [toTransparencyLogEntryJson(ENTRY_RECORDS[0]!)] },
  },
];

/** Replaces one leaf anywhere in `value` (by position in a depth-first walk) with `leaf`. */
function mutateLeaf(value: unknown, target: number, leaf: unknown): unknown {
  let seen = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return seen++ === target ? leaf : v;
  };
  return walk(value);
}

describe('input recognition and verification (property)', () => {
  it('raise only our error classes for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typeof recogniseAndVerify(() => parseInputValue(value))).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('raise only our error classes for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(typeof recogniseAndVerify(() => parseInputText(text))).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('raise only our error classes for real entries with one leaf replaced', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.nat({ max: 40 }),
        fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.constant(null), fc.constant('-1')),
        (seed, target, leaf) => {
          const mutated = mutateLeaf(seed, target, leaf);
          expect(typeof recogniseAndVerify(() => parseInputValue(mutated))).toBe('string');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reject real checkpoints whose signed text changed, never throwing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CHECKPOINT_RECORDS.map((r) => r.signedNote)),
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
        (note, at, replacement) => {
          const i = at % note.length;
          const mutated = note.slice(0, i) + replacement + note.slice(i + 1);
          const result = verifyInput({ type: 'checkpoint', envelope: mutated }, OPTIONS);
          // Any change to the signed text must be caught; the signature block may hold lines
          // by unknown keys, which are ignored.
          const textLength = note.lastIndexOf('\n\n') + 1;
          if (i < textLength && mutated !== note) expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
