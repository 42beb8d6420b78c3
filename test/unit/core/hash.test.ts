// sha256 joins its parts in a shared scratch buffer for speed: its results must never depend on
// an earlier call, nor on how the input is split, nor share memory with anything.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../electron/core/hash';

const reference = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

describe('sha256', () => {
  it('hashes the empty string with no parts', () => {
    expect(Buffer.from(sha256()).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('equals the concatenation hashed by a Hash object, however split (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 4 }), (parts) => {
        expect(sha256(...parts)).toEqual(reference(...parts));
      }),
    );
  });

  it.each([
    { desc: 'one part larger than the scratch buffer', parts: [new Uint8Array(70_000).fill(1)] },
    {
      desc: 'parts that together overflow the scratch buffer',
      parts: [Uint8Array.of(0), new Uint8Array(0x10000).fill(2), Uint8Array.of(3)],
    },
    {
      desc: 'parts that exactly fill the scratch buffer',
      parts: [Uint8Array.of(0), new Uint8Array(0x10000).fill(4)],
    },
  ])('hashes $desc', ({ parts }) => {
    expect(sha256(...parts)).toEqual(reference(...parts));
  });

  it('returns a fresh plain Uint8Array that a later call does not change', () => {
    const first = sha256(Uint8Array.of(1), Uint8Array.of(2));
    const copy = Uint8Array.from(first);
    sha256(Uint8Array.of(3), new Uint8Array(500).fill(9));
    expect(first).toEqual(copy);
    expect(first).not.toBeInstanceOf(Buffer);
    expect(first.buffer.byteLength).toBe(32);
  });
});
