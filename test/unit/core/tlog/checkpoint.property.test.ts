// Property tests: parseCheckpoint and openCheckpoint either succeed or throw a VerificationError,
// and no mutation of a real signed checkpoint opens to a different tree state.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  parseRekorV1Origin,
  sameCheckpointState,
  type LogVerifiers,
} from '../../../../electron/core/tlog/checkpoint';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';

const REALDATA = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));
const notes = JSON.parse(readFileSync(join(REALDATA, 'vectors/signed-note/notes.json'), 'utf8'));

/** Real checkpoints with the logs that signed them (Rekor v1 ECDSA, v2 Ed25519, witnessed). */
const real: { envelope: string; log: LogVerifiers }[] = notes.notes
  .filter((n: { note: string }) => n.note.includes('rekor.sig'))
  .map((n: { note: string; vkeys: string[] }) => {
    const [logVkey, ...witnessVkeys] = n.vkeys as [string, ...string[]];
    const logKey = parseVerifierKey(logVkey);
    return {
      envelope: n.note,
      log: {
        origin: n.note.slice(0, n.note.indexOf('\n')),
        logKey,
        witnessKeys: witnessVkeys.map(parseVerifierKey),
      },
    };
  });

function onlyVerificationErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof VerificationError)) throw err;
  }
}

const checkpointLike = fc
  .array(fc.constantFrom('\n', ' ', '0', '1', '9', '+', '-', 'x', 'A', '=', '/', '\u0661'), {
    maxLength: 120,
  })
  .map((chars) => chars.join(''));

describe('parseCheckpoint', () => {
  it('throws only VerificationError for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), checkpointLike), (text) => {
        onlyVerificationErrors(() => parseCheckpoint(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips every valid checkpoint through formatCheckpoint', () => {
    const line = fc.stringMatching(/^[^\n]+$/);
    fc.assert(
      fc.property(
        line,
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(line, { maxLength: 3 }),
        (origin, treeSize, rootHash, extensions) => {
          const checkpoint = { origin, treeSize, rootHash, extensions };
          expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
        },
      ),
    );
  });
});

describe('parseRekorV1Origin', () => {
  it('returns undefined or a split that rebuilds the origin', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), checkpointLike), (origin) => {
        const parsed = parseRekorV1Origin(origin);
        if (parsed !== undefined) expect(`${parsed.hostname} - ${parsed.treeId}`).toBe(origin);
      }),
    );
  });
});

describe('openCheckpoint', () => {
  it('has the real Rekor checkpoints', () => {
    expect(real.length).toBeGreaterThanOrEqual(4);
  });

  it('never opens a mutated real checkpoint to a different state', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.nat(),
        fc.constantFrom('replace', 'insert', 'delete'),
        fc.constantFrom('\n', '\u2014', ' ', '+', '/', '=', 'A', '0', '1', '\u0000', '\ud800'),
        ({ envelope, log }, at, edit, char) => {
          const i = at % envelope.length;
          const mutated =
            edit === 'delete'
              ? envelope.slice(0, i) + envelope.slice(i + 1)
              : envelope.slice(0, i) + char + envelope.slice(edit === 'replace' ? i + 1 : i);
          const original = openCheckpoint(envelope, log);
          try {
            // Edits to the signature lines' framing may leave the signed text intact.
            expect(sameCheckpointState(openCheckpoint(mutated, log), original)).toBe(true);
          } catch (err) {
            if (!(err instanceof VerificationError)) throw err;
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('throws only VerificationError for arbitrary envelopes', () => {
    const { log } = real[0]!;
    fc.assert(
      fc.property(fc.string(), (envelope) => {
        onlyVerificationErrors(() => openCheckpoint(envelope, log));
      }),
      { numRuns: 2000 },
    );
  });
});
