// Cross-checks merkle.ts against the literal RFC 6962 reference tree: every (index, size) and
// (size1, size2) up to 64 entries, spot sizes near 2^31, 2^32 and 2^53-1 on a sparse virtual
// tree, and single-bit mutations of everything a proof claims.
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  EMPTY_ROOT,
  LEAF_HASH_PREFIX,
  NODE_HASH_PREFIX,
  hashChildren,
  hashLeaf,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../../../electron/core/tlog/merkle';
import {
  largestPowerOfTwoBelow,
  listMth,
  referencePath,
  referenceProof,
  referenceRoot,
  sparseMth,
  type Mth,
} from '../../../support/reference-tree';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
const ENTRIES = Array.from({ length: 64 }, (_, i) => utf8(`entry ${i}`));
const SMALL = listMth(ENTRIES);
const MAX = 2 ** 53 - 1;

/** A copy of `bytes` with bit `bit` (mod its length in bits) flipped. */
function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const at = bit % (out.length * 8);
  out[at >> 3] = (out[at >> 3] as number) ^ (1 << (at & 7));
  return out;
}

/** Flips of bits 0..bits-1 of a size or index that stay within [0, 2^53-1]. */
function flips(value: number, bits: number): number[] {
  const out: number[] = [];
  for (let bit = 0; bit < bits; bit++) {
    const v = Number(BigInt(value) ^ (1n << BigInt(bit)));
    if (v <= MAX) out.push(v);
  }
  return out;
}

/**
 * The left/right pattern of RFC 6962 PATH(m, D[n]). A verifier computes the root from the proof
 * hashes in exactly this pattern, so a proof also "verifies" for another (index, size) with the
 * same pattern: an inclusion proof does not authenticate the tree size (the signed checkpoint
 * does). A mutated claim must be rejected exactly when its pattern differs.
 */
function pathShape(m: bigint, n: bigint): string {
  if (n === 1n) return '';
  const k = largestPowerOfTwoBelow(n);
  return m < k ? `${pathShape(m, k)}R` : `${pathShape(m - k, n - k)}L`;
}

/** The same for RFC 6962 SUBPROOF(m, D[n], b). */
function proofShape(m: bigint, n: bigint, b = true): string {
  if (m === n) return b ? '' : 'S';
  const k = largestPowerOfTwoBelow(n);
  return m <= k ? `${proofShape(m, k, b)}R` : `${proofShape(m - k, n - k, false)}L`;
}

const accepts = (run: () => void) => {
  try {
    run();
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(VerificationError);
    return false;
  }
};

interface InclusionCase {
  mth: Mth;
  index: number;
  size: number;
}

function inclusionParts({ mth, index, size }: InclusionCase) {
  const i = BigInt(index);
  return {
    leaf: mth(i, i + 1n),
    proof: referencePath(mth, i, 0n, BigInt(size)),
    root: referenceRoot(mth, BigInt(size)),
  };
}

/**
 * Checks acceptance of the true claim and rejection of single-bit mutations of it: the given bit
 * of every hash, and bits 0..sizeBits-1 of the index and tree size.
 */
function checkInclusion(c: InclusionCase, bitsPerHash: readonly number[], sizeBits: number): void {
  const { leaf, proof, root } = inclusionParts(c);
  const { index, size } = c;
  verifyInclusion(leaf, index, size, proof, root);
  expect(hex(rootFromInclusionProof(leaf, index, size, proof))).toBe(hex(root));

  for (const bit of bitsPerHash) {
    expect(accepts(() => verifyInclusion(flip(leaf, bit), index, size, proof, root))).toBe(false);
    expect(accepts(() => verifyInclusion(leaf, index, size, proof, flip(root, bit)))).toBe(false);
    proof.forEach((h, j) => {
      const mutated = proof.map((p, k) => (k === j ? flip(h, bit) : p));
      expect(accepts(() => verifyInclusion(leaf, index, size, mutated, root))).toBe(false);
    });
  }
  const shape = pathShape(BigInt(index), BigInt(size));
  for (const other of flips(index, sizeBits)) {
    const want = other < size && pathShape(BigInt(other), BigInt(size)) === shape;
    expect(accepts(() => verifyInclusion(leaf, other, size, proof, root))).toBe(want);
  }
  for (const other of flips(size, sizeBits)) {
    const want = index < other && pathShape(BigInt(index), BigInt(other)) === shape;
    expect(accepts(() => verifyInclusion(leaf, index, other, proof, root))).toBe(want);
  }
}

interface ConsistencyCase {
  mth: Mth;
  size1: number;
  size2: number;
}

/** Like checkInclusion, for consistency proofs. */
function checkConsistency(
  { mth, size1, size2 }: ConsistencyCase,
  bits: readonly number[],
  sizeBits: number,
): void {
  const proof = referenceProof(mth, BigInt(size1), BigInt(size2));
  const root1 = referenceRoot(mth, BigInt(size1));
  const root2 = referenceRoot(mth, BigInt(size2));
  verifyConsistency(size1, size2, proof, root1, root2);
  expect(hex(rootFromConsistencyProof(size1, size2, proof, root1))).toBe(hex(root2));

  for (const bit of bits) {
    expect(accepts(() => verifyConsistency(size1, size2, proof, flip(root1, bit), root2))).toBe(
      false,
    );
    expect(accepts(() => verifyConsistency(size1, size2, proof, root1, flip(root2, bit)))).toBe(
      false,
    );
    proof.forEach((h, j) => {
      const mutated = proof.map((p, k) => (k === j ? flip(h, bit) : p));
      expect(accepts(() => verifyConsistency(size1, size2, mutated, root1, root2))).toBe(false);
    });
  }
  const shape = proofShape(BigInt(size1), BigInt(size2));
  const sameShape = (s1: number, s2: number) =>
    s1 > 0 && s1 <= s2 && proofShape(BigInt(s1), BigInt(s2)) === shape;
  for (const other of flips(size1, sizeBits)) {
    const want = sameShape(other, size2);
    expect(accepts(() => verifyConsistency(other, size2, proof, root1, root2))).toBe(want);
  }
  for (const other of flips(size2, sizeBits)) {
    const want = sameShape(size1, other);
    expect(accepts(() => verifyConsistency(size1, other, proof, root1, root2))).toBe(want);
  }
}

/** A sparse virtual tree of `size` entries whose entries at `marks` differ from the rest. */
function sparse(marks: readonly number[]): Mth {
  return sparseMth(new Map(marks.map((m) => [BigInt(m), utf8(`marked ${m}`)])));
}

describe('hashLeaf and hashChildren', () => {
  it('uses the RFC 6962 domain-separation prefixes', () => {
    expect([LEAF_HASH_PREFIX, NODE_HASH_PREFIX]).toEqual([0x00, 0x01]);
    // SHA-256("") and SHA-256(0x00), well-known values.
    expect(hex(EMPTY_ROOT)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(hashLeaf(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('matches the reference tree for a two-entry tree', () => {
    const [a, b] = [ENTRIES[0] as Uint8Array, ENTRIES[1] as Uint8Array];
    expect(hex(hashChildren(hashLeaf(a), hashLeaf(b)))).toBe(hex(SMALL(0n, 2n)));
  });
});

describe('verifyInclusion', () => {
  const all: InclusionCase[] = [];
  for (let size = 1; size <= 64; size++) {
    for (let index = 0; index < size; index++) all.push({ mth: SMALL, index, size });
  }

  it('accepts the reference proof and rejects every mutation for all (index, size <= 64)', () => {
    all.forEach((c, n) => checkInclusion(c, [n % 256], 8));
  });

  const spots: Array<{ desc: string; index: number; size: number }> = [
    { desc: 'first leaf of 2^31-1', index: 0, size: 2 ** 31 - 1 },
    { desc: 'last leaf of 2^31-1', index: 2 ** 31 - 2, size: 2 ** 31 - 1 },
    { desc: 'leaf 2^31-1 of 2^31', index: 2 ** 31 - 1, size: 2 ** 31 },
    { desc: 'leaf 2^31 of 2^31+1', index: 2 ** 31, size: 2 ** 31 + 1 },
    { desc: 'middle leaf of 2^31+1', index: 2 ** 30 + 12345, size: 2 ** 31 + 1 },
    { desc: 'leaf 2^31 of 2^32', index: 2 ** 31, size: 2 ** 32 },
    { desc: 'last leaf of 2^32', index: 2 ** 32 - 1, size: 2 ** 32 },
    { desc: 'leaf 2^32 of 2^32+1', index: 2 ** 32, size: 2 ** 32 + 1 },
    { desc: 'odd leaf of 2^32+3', index: 3_000_000_001, size: 2 ** 32 + 3 },
    { desc: 'first leaf of 2^53-1', index: 0, size: MAX },
    { desc: 'leaf 2^32 of 2^53-1', index: 2 ** 32, size: MAX },
    { desc: 'last leaf of 2^53-1', index: MAX - 1, size: MAX },
    { desc: 'a leaf above 2^52 of 2^53-1', index: 2 ** 52 + 987_654_321, size: MAX },
  ];
  it.each(spots)('accepts the reference proof and rejects every mutation: $desc', (s) => {
    const mth = sparse([s.index, 0, s.size - 1, Math.floor(s.size / 3)]);
    checkInclusion({ mth, index: s.index, size: s.size }, [0, 7, 100, 255], 53);
  });

  const { leaf, proof, root } = inclusionParts({ mth: SMALL, index: 5, size: 11 });
  it.each([
    { desc: 'index equals the tree size', index: 11, size: 11, code: 'INCLUSION_PROOF_INVALID' },
    { desc: 'the tree is empty', index: 0, size: 0, code: 'INCLUSION_PROOF_INVALID' },
    { desc: 'index is negative', index: -1, size: 11, code: 'PROOF_MALFORMED' },
    { desc: 'index is not an integer', index: 5.5, size: 11, code: 'PROOF_MALFORMED' },
    { desc: 'index exceeds 2^53-1', index: 2 ** 64 - 1, size: 11, code: 'PROOF_MALFORMED' },
    { desc: 'tree size exceeds 2^53-1', index: 5, size: 2 ** 53, code: 'PROOF_MALFORMED' },
    { desc: 'tree size is NaN', index: 5, size: Number.NaN, code: 'PROOF_MALFORMED' },
  ])('rejects the proof when $desc', ({ index, size, code }) => {
    expect(() => verifyInclusion(leaf, index, size, proof, root)).toThrowCode(code);
  });

  it.each([
    { desc: 'the leaf hash is 31 bytes', l: leaf.subarray(1), p: proof, r: root },
    { desc: 'the leaf hash is empty', l: new Uint8Array(), p: proof, r: root },
    { desc: 'the root hash is 33 bytes', l: leaf, p: proof, r: Uint8Array.of(...root, 0) },
    { desc: 'a proof hash is empty', l: leaf, p: [new Uint8Array(), ...proof.slice(1)], r: root },
    { desc: 'the proof is one hash short', l: leaf, p: proof.slice(1), r: root },
    { desc: 'the proof has an extra hash', l: leaf, p: [...proof, root], r: root },
    { desc: 'the proof is empty', l: leaf, p: [], r: root },
  ])('rejects a malformed proof when $desc', ({ l, p, r }) => {
    expect(() => verifyInclusion(l, 5, 11, p, r)).toThrowCode('PROOF_MALFORMED');
  });

  it('states got and want when the root does not match', () => {
    expect(() => verifyInclusion(leaf, 5, 11, proof, EMPTY_ROOT)).toThrow(
      /gives root \S+, want 47DEQpj8HBSa\+\/TImW\+5JCeuQeRkm5NMpJWZG3hSuFU= for tree size 11$/,
    );
  });
});

describe('verifyConsistency', () => {
  it('accepts the reference proof and rejects every mutation for all (size1 <= size2 <= 64)', () => {
    let n = 0;
    for (let size2 = 1; size2 <= 64; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        checkConsistency({ mth: SMALL, size1, size2 }, [n++ % 256], 8);
      }
    }
  });

  const spots: Array<{ desc: string; size1: number; size2: number }> = [
    { desc: '2^31-1 to 2^31', size1: 2 ** 31 - 1, size2: 2 ** 31 },
    { desc: '2^31 to 2^31+1', size1: 2 ** 31, size2: 2 ** 31 + 1 },
    { desc: '2^31+1 to 2^32', size1: 2 ** 31 + 1, size2: 2 ** 32 },
    { desc: '2^32-1 to 2^32+1', size1: 2 ** 32 - 1, size2: 2 ** 32 + 1 },
    { desc: '12345 to 2^32+7', size1: 12345, size2: 2 ** 32 + 7 },
    { desc: '1 to 2^53-1', size1: 1, size2: MAX },
    { desc: '2^32 to 2^53-1', size1: 2 ** 32, size2: MAX },
    { desc: '2^53-2 to 2^53-1', size1: MAX - 1, size2: MAX },
    { desc: '2^52+3 to 2^53-1', size1: 2 ** 52 + 3, size2: MAX },
  ];
  it.each(spots)('accepts the reference proof and rejects every mutation: $desc', (s) => {
    const mth = sparse([0, s.size1 - 1, s.size1, s.size2 - 1, Math.floor(s.size1 / 2)]);
    checkConsistency({ mth, size1: s.size1, size2: s.size2 }, [0, 7, 100, 255], 53);
  });

  const proof = referenceProof(SMALL, 5n, 11n);
  const root5 = referenceRoot(SMALL, 5n);
  const root11 = referenceRoot(SMALL, 11n);
  it.each([
    { desc: 'size1 is 0', s1: 0, s2: 11, p: proof, code: 'CONSISTENCY_PROOF_INVALID' },
    { desc: 'both sizes are 0', s1: 0, s2: 0, p: [], code: 'CONSISTENCY_PROOF_INVALID' },
    { desc: 'size1 > size2', s1: 11, s2: 5, p: proof, code: 'CONSISTENCY_PROOF_INVALID' },
    {
      desc: 'sizes are equal but the proof is not empty',
      s1: 5,
      s2: 5,
      p: proof,
      code: 'PROOF_MALFORMED',
    },
    { desc: 'the proof is empty', s1: 5, s2: 11, p: [], code: 'PROOF_MALFORMED' },
    {
      desc: 'the proof is one hash short',
      s1: 5,
      s2: 11,
      p: proof.slice(1),
      code: 'PROOF_MALFORMED',
    },
    {
      desc: 'the proof has an extra hash',
      s1: 5,
      s2: 11,
      p: [...proof, root5],
      code: 'PROOF_MALFORMED',
    },
    {
      desc: 'a proof hash is 31 bytes',
      s1: 5,
      s2: 11,
      p: [root5.subarray(1), ...proof.slice(1)],
      code: 'PROOF_MALFORMED',
    },
    { desc: 'size1 is not an integer', s1: 4.5, s2: 11, p: proof, code: 'PROOF_MALFORMED' },
    { desc: 'size2 exceeds 2^53-1', s1: 5, s2: 2 ** 53, p: proof, code: 'PROOF_MALFORMED' },
  ])('rejects the proof when $desc', ({ s1, s2, p, code }) => {
    expect(() => verifyConsistency(s1, s2, p, root5, root11)).toThrowCode(code);
  });

  it('rejects root1 of the wrong length', () => {
    expect(() => verifyConsistency(5, 11, proof, root5.subarray(1), root11)).toThrowCode(
      'PROOF_MALFORMED',
    );
  });

  it('rejects equal sizes whose roots differ', () => {
    expect(() => verifyConsistency(5, 5, [], root5, root11)).toThrowCode(
      'CONSISTENCY_PROOF_INVALID',
    );
  });

  it('states which root did not match', () => {
    expect(() => verifyConsistency(5, 11, proof, root11, root11)).toThrow(/for tree size 5, want/);
    expect(() => verifyConsistency(5, 11, proof, root5, root5)).toThrow(/for tree size 11, want/);
  });
});
