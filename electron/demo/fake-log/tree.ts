// An incremental RFC 6962 Merkle tree for the fake log (RFC 6962 §2.1; RFC 9162 §2.1.3-2.1.4).
// Every complete subtree hash is stored by (level, index), so roots, proofs and tlog tiles are
// read from stored nodes in O(log n) per answer, with no recomputation. Independent of
// electron/core/tlog on purpose: tests cross-check one against the other.
import { createHash, hash } from 'node:crypto';
import { ByteStore, HashStore, type Generator } from './stores';

/** SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(Uint8Array.of(0)).update(entry).digest());
}

const nodeInput = new Uint8Array(65);
nodeInput[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  // One-shot hashing of a reused buffer: twice as fast as createHash for 65 bytes, which
  // matters when growing a million-entry tree.
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return hash('sha256', nodeInput, 'buffer');
}

const EMPTY_ROOT = new Uint8Array(createHash('sha256').digest());

/** The largest power of two strictly below n (n >= 2). Arithmetic, not bit ops: n may pass 2^32. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Entries plus every complete subtree hash over them. */
export class MerkleTree {
  /** levels[l].get(i) = MTH of entries [i·2^l, (i+1)·2^l). */
  #levels: HashStore[] = [new HashStore()];
  #entries = new ByteStore();

  get size(): number {
    return this.#entries.length;
  }

  /** Appends one entry and returns its index. */
  append(entry: Uint8Array): number {
    this.#entries.push(entry);
    return this.#addLeaf(leafHash(entry));
  }

  /**
   * Appends the entry `make(arg)` without keeping its bytes: they are rebuilt on every read, so
   * `make` must be deterministic. `entry` saves a call when the caller already built it.
   * Returns the entry's index.
   */
  appendGenerated(make: Generator, arg: number, entry = make(arg)): number {
    const hash = leafHash(entry);
    this.#entries.pushGenerated(make, arg);
    return this.#addLeaf(hash);
  }

  #addLeaf(hash: Uint8Array): number {
    const index = (this.#levels[0] as HashStore).length;
    (this.#levels[0] as HashStore).push(hash);
    // Each odd index completes a pair: hash it into the level above, and carry.
    for (let level = 0, i = index; i % 2 === 1; level++, i = (i - 1) / 2) {
      const below = this.#levels[level] as HashStore;
      const above = (this.#levels[level + 1] ??= new HashStore());
      above.push(nodeHash(below.get(i - 1), below.get(i)));
    }
    return index;
  }

  entry(index: number): Uint8Array {
    return this.#entries.get(index);
  }

  leafHash(index: number): Uint8Array {
    return (this.#levels[0] as HashStore).get(index).slice();
  }

  /**
   * Copies the stored hash of the complete subtree `index` at `level` into `out` at `offset`;
   * false if that subtree is not complete.
   */
  copyNode(level: number, index: number, out: Uint8Array, offset: number): boolean {
    const store = this.#levels[level];
    if (store === undefined || index >= store.length) return false;
    out.set(store.get(index), offset);
    return true;
  }

  /** Root hash of the first `size` entries. Requires size <= this.size. */
  root(size = this.size): Uint8Array {
    this.#requireSize(size);
    return size === 0 ? EMPTY_ROOT.slice() : this.#hash(0, size).slice();
  }

  /** RFC 6962 PATH(index, D[0:size]), leaf to root. Requires index < size <= this.size. */
  inclusionProof(index: number, size: number): Uint8Array[] {
    this.#requireSize(size);
    if (index < 0 || index >= size) throw new RangeError(`index ${index} outside size ${size}`);
    const proof: Uint8Array[] = [];
    this.#path(index, 0, size, proof);
    return proof;
  }

  /** RFC 6962 PROOF(m, D[0:n]). Requires 0 < m <= n <= this.size. */
  consistencyProof(m: number, n: number): Uint8Array[] {
    this.#requireSize(n);
    if (m < 1 || m > n) throw new RangeError(`consistency ${m} to ${n}`);
    const proof: Uint8Array[] = [];
    this.#subproof(m, 0, n, true, proof);
    return proof;
  }

  /** Replaces the entry at `index` in place, rehashing its ancestors (a rewritten history). */
  replace(index: number, entry: Uint8Array): void {
    this.#entries.set(index, entry);
    (this.#levels[0] as HashStore).set(index, leafHash(entry));
    for (let level = 0, i = index; ; level++) {
      const parent = Math.floor(i / 2);
      const above = this.#levels[level + 1];
      if (above === undefined || parent >= above.length) return;
      const below = this.#levels[level] as HashStore;
      above.set(parent, nodeHash(below.get(2 * parent), below.get(2 * parent + 1)));
      i = parent;
    }
  }

  /** An independent tree holding the first `size` entries. */
  prefix(size: number): MerkleTree {
    this.#requireSize(size);
    const copy = new MerkleTree();
    copy.#entries = this.#entries.copyPrefix(size);
    copy.#levels = this.#levels.map((store, level) =>
      store.copyPrefix(Math.floor(size / 2 ** level)),
    );
    return copy;
  }

  /** MTH(D[start:end]) where start is aligned to the subtree as RFC 6962's recursion makes it. */
  #hash(start: number, end: number): Uint8Array {
    const n = end - start;
    if (isPowerOfTwo(n)) {
      return (this.#levels[Math.log2(n)] as HashStore).get(start / n);
    }
    const k = splitPoint(n);
    return nodeHash(this.#hash(start, start + k), this.#hash(start + k, end));
  }

  #path(m: number, start: number, end: number, out: Uint8Array[]): void {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.#path(m, start, start + k, out);
      out.push(this.#hash(start + k, end).slice());
    } else {
      this.#path(m - k, start + k, end, out);
      out.push(this.#hash(start, start + k).slice());
    }
  }

  #subproof(m: number, start: number, end: number, complete: boolean, out: Uint8Array[]): void {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push(this.#hash(start, end).slice());
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.#subproof(m, start, start + k, complete, out);
      out.push(this.#hash(start + k, end).slice());
    } else {
      this.#subproof(m - k, start + k, end, false, out);
      out.push(this.#hash(start, start + k).slice());
    }
  }

  #requireSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`tree size ${size} outside 0..${this.size}`);
    }
  }
}
