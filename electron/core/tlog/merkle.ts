// RFC 6962 §2.1 Merkle tree hashing and proof verification. Port of transparency-dev/merkle
// proof/verify.go; private helper names are kept so the two can be diffed. bigint inside: JS
// bitwise operators are 32-bit and real logs exceed 2^31 entries.
import { VerificationError } from '../errors';
import { bytesEqual, encodeBase64 } from '../bytes';
import { sha256 } from '../hash';

/** Domain-separation prefix of a leaf hash (RFC 6962 §2.1). */
export const LEAF_HASH_PREFIX = 0x00;
/** Domain-separation prefix of an interior node hash (RFC 6962 §2.1). */
export const NODE_HASH_PREFIX = 0x01;
/** Every hash in an RFC 6962 tree over SHA-256 is 32 bytes. */
export const HASH_SIZE = 32;
/** Root hash of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256();

const LEAF_PREFIX_BYTES = Uint8Array.of(LEAF_HASH_PREFIX);
const NODE_PREFIX_BYTES = Uint8Array.of(NODE_HASH_PREFIX);

/** The leaf hash of an entry: SHA-256(0x00 ‖ entry). */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX_BYTES, entry);
}

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right). Does not check lengths. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX_BYTES, left, right);
}

/**
 * Verifies that `leafHash` is the leaf at `index` of the tree of size `treeSize` whose root is
 * `rootHash`. Requires 0 <= index < treeSize <= 2^53-1. Throws VerificationError:
 * 'PROOF_MALFORMED' for a bad size, index, hash length or proof length,
 * 'INCLUSION_PROOF_INVALID' when the index is beyond the tree or the root does not match.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): void {
  checkHash(rootHash, 'root hash');
  const calculated = rootFromInclusionProof(leafHash, index, treeSize, proof);
  if (!bytesEqual(calculated, rootHash)) {
    throw new VerificationError(
      'INCLUSION_PROOF_INVALID',
      `inclusion proof for index ${index} gives root ${encodeBase64(calculated)}, want ${encodeBase64(rootHash)} for tree size ${treeSize}`,
    );
  }
}

/**
 * The root hash implied by an inclusion proof for `leafHash` at `index` in a tree of size
 * `treeSize` (verify.go RootFromInclusionProof). Requires 0 <= index < treeSize. Checks the
 * proof's shape only: the caller must compare the result with a trusted root.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  const idx = toUint(index, 'index');
  const size = toUint(treeSize, 'tree size');
  if (idx >= size) {
    throw new VerificationError(
      'INCLUSION_PROOF_INVALID',
      `index ${index} is beyond tree size ${treeSize}`,
    );
  }
  checkHash(leafHash, 'leaf hash');
  checkProofHashes(proof);

  const { inner, border } = decompInclProof(idx, size);
  checkProofSize(proof, inner + border);

  const res = chainInner(leafHash, proof.slice(0, inner), idx);
  return chainBorderRight(res, proof.slice(inner));
}

/**
 * Verifies that the tree of size `size1` with root `root1` is a prefix of the tree of size
 * `size2` with root `root2`. Requires 0 < size1 <= size2 <= 2^53-1: a proof from the empty tree
 * is meaningless and is rejected even when size2 is 0. Throws VerificationError:
 * 'PROOF_MALFORMED' for a bad size, hash length or proof length, 'CONSISTENCY_PROOF_INVALID'
 * otherwise.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const calculated = rootFromConsistencyProof(size1, size2, proof, root1);
  if (!bytesEqual(calculated, root2)) {
    throw new VerificationError(
      'CONSISTENCY_PROOF_INVALID',
      `consistency proof gives root ${encodeBase64(calculated)} for tree size ${size2}, want ${encodeBase64(root2)}`,
    );
  }
}

/**
 * The root hash of the tree of size `size2` implied by a consistency proof from the tree of size
 * `size1` with root `root1` (verify.go RootFromConsistencyProof). Checks that the proof
 * reproduces `root1`; the caller must compare the result with a trusted root for size2. When
 * size1 == size2 the proof must be empty and `root1` is returned unchecked, as in verify.go.
 */
export function rootFromConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): Uint8Array {
  const s1 = toUint(size1, 'size1');
  const s2 = toUint(size2, 'size2');
  if (s2 < s1) {
    throw new VerificationError('CONSISTENCY_PROOF_INVALID', `size2 ${size2} < size1 ${size1}`);
  }
  // Before the equal-size case, so that (0, 0) is rejected too: the empty tree proves nothing.
  if (s1 === 0n) {
    throw new VerificationError(
      'CONSISTENCY_PROOF_INVALID',
      'consistency proof from the empty tree is meaningless',
    );
  }
  if (s1 === s2) {
    checkProofSize(proof, 0);
    return root1;
  }
  checkHash(root1, 'root1');
  checkProofHashes(proof);

  const decomposed = decompInclProof(s1 - 1n, s2);
  const shift = trailingZeros(s1);
  const inner = decomposed.inner - shift; // shift < inner because size1 < size2

  // The proof starts with the root of the subtree of size 2^shift, unless size1 is that subtree.
  const seedIsRoot1 = s1 === 1n << BigInt(shift);
  const start = seedIsRoot1 ? 0 : 1;
  // Never less than 1, so this also rejects an empty proof.
  checkProofSize(proof, start + inner + decomposed.border);
  const seed = seedIsRoot1 ? root1 : (proof[0] as Uint8Array);
  const path = proof.slice(start);

  // Start chaining from level `shift`.
  const mask = (s1 - 1n) >> BigInt(shift);
  let hash1 = chainInnerRight(seed, path.slice(0, inner), mask);
  hash1 = chainBorderRight(hash1, path.slice(inner));
  if (!bytesEqual(hash1, root1)) {
    throw new VerificationError(
      'CONSISTENCY_PROOF_INVALID',
      `consistency proof gives root ${encodeBase64(hash1)} for tree size ${size1}, want ${encodeBase64(root1)}`,
    );
  }

  const hash2 = chainInner(seed, path.slice(0, inner), mask);
  return chainBorderRight(hash2, path.slice(inner));
}

/**
 * Splits an inclusion proof for `index` in a tree of `size` into the part below the point where
 * the paths to `index` and `size - 1` diverge (`inner`) and the part above it (`border`).
 */
function decompInclProof(index: bigint, size: bigint): { inner: number; border: number } {
  const inner = innerProofSize(index, size);
  const border = onesCount(index >> BigInt(inner));
  return { inner, border };
}

/** Height at which the paths to leaves `index` and `size - 1` diverge. */
function innerProofSize(index: bigint, size: bigint): number {
  return bitLength(index ^ (size - 1n));
}

/**
 * Computes a subtree hash for a node on or below the tree's right border, from `seed` at
 * position `index` on its level and proof hashes ordered from lower levels to upper.
 */
function chainInner(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  let hash = seed;
  proof.forEach((h, i) => {
    hash = ((index >> BigInt(i)) & 1n) === 0n ? hashChildren(hash, h) : hashChildren(h, hash);
  });
  return hash;
}

/**
 * Like chainInner, but only uses the hashes left of the path: the result is the hash of the
 * corresponding earlier version of the subtree.
 */
function chainInnerRight(
  seed: Uint8Array,
  proof: readonly Uint8Array[],
  index: bigint,
): Uint8Array {
  let hash = seed;
  proof.forEach((h, i) => {
    if (((index >> BigInt(i)) & 1n) === 1n) hash = hashChildren(h, hash);
  });
  return hash;
}

/** Chains proof hashes along the right border, where every proof hash is a left sibling. */
function chainBorderRight(seed: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  let hash = seed;
  for (const h of proof) hash = hashChildren(h, hash);
  return hash;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function onesCount(x: bigint): number {
  let count = 0;
  for (const digit of x.toString(2)) if (digit === '1') count++;
  return count;
}

/** Requires x > 0. */
function trailingZeros(x: bigint): number {
  const bits = x.toString(2);
  return bits.length - 1 - bits.lastIndexOf('1');
}

/** A tree size or index as a bigint, after checking it is an integer in [0, 2^53-1]. */
function toUint(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new VerificationError(
      'PROOF_MALFORMED',
      `${what} ${value} is not an integer in [0, 2^53-1]`,
    );
  }
  return BigInt(value);
}

function checkHash(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_SIZE) {
    throw new VerificationError(
      'PROOF_MALFORMED',
      `${what} has ${hash.length} bytes, want ${HASH_SIZE}`,
    );
  }
}

function checkProofHashes(proof: readonly Uint8Array[]): void {
  proof.forEach((h, i) => checkHash(h, `proof hash ${i}`));
}

function checkProofSize(proof: readonly Uint8Array[], want: number): void {
  if (proof.length !== want) {
    throw new VerificationError(
      'PROOF_MALFORMED',
      `wrong proof size ${proof.length}, want ${want}`,
    );
  }
}
