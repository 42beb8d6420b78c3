// A literal, naive RFC 6962 §2.1 Merkle tree (MTH, PATH, PROOF/SUBPROOF), written from the RFC
// text and not from electron/core/tlog, to cross-check the fast code; plus the C2SP tlog-tiles
// resources (hash tiles, entry bundles) of a list of entries, for fake tile servers.
import { createHash } from 'node:crypto';

/** MTH(D[lo:hi]) of some list of entries D, with lo < hi. */
export type Mth = (lo: bigint, hi: bigint) => Uint8Array;

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
export const leafHash = (entry: Uint8Array) => sha256(Uint8Array.of(0), entry);
export const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

/** "k is the largest power of two smaller than n" (RFC 6962 §2.1), for n > 1. */
export function largestPowerOfTwoBelow(n: bigint): bigint {
  let k = 1n;
  while (k * 2n < n) k *= 2n;
  return k;
}

/** MTH over an explicit list of entries, memoised. RFC 6962 §2.1, word for word. */
export function listMth(entries: readonly Uint8Array[]): Mth {
  const memo = new Map<string, Uint8Array>();
  const mth: Mth = (lo, hi) => {
    const key = `${lo}:${hi}`;
    let hash = memo.get(key);
    if (hash === undefined) {
      if (hi - lo === 1n) {
        hash = leafHash(entries[Number(lo)] as Uint8Array);
      } else {
        const k = largestPowerOfTwoBelow(hi - lo);
        hash = nodeHash(mth(lo, lo + k), mth(lo + k, hi));
      }
      memo.set(key, hash);
    }
    return hash;
  };
  return mth;
}

/**
 * MTH over a huge virtual list in which every entry is `filler` except the `marked` ones. The
 * MTH of a range without marked entries depends only on its length, which makes trees of 2^53
 * entries computable while every node on a marked leaf's path stays distinct from its sibling.
 */
export function sparseMth(marked: ReadonlyMap<bigint, Uint8Array>, filler = new Uint8Array()): Mth {
  const positions = [...marked.keys()];
  const uniformMemo = new Map<bigint, Uint8Array>();
  const uniformMth = (n: bigint): Uint8Array => {
    let hash = uniformMemo.get(n);
    if (hash === undefined) {
      const k = largestPowerOfTwoBelow(n);
      hash = n === 1n ? leafHash(filler) : nodeHash(uniformMth(k), uniformMth(n - k));
      uniformMemo.set(n, hash);
    }
    return hash;
  };
  const mth: Mth = (lo, hi) => {
    if (!positions.some((p) => p >= lo && p < hi)) return uniformMth(hi - lo);
    if (hi - lo === 1n) return leafHash(marked.get(lo) as Uint8Array);
    const k = largestPowerOfTwoBelow(hi - lo);
    return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
  };
  return mth;
}

/** The root hash of a tree of `size` entries: SHA-256("") for the empty tree. */
export function referenceRoot(mth: Mth, size: bigint): Uint8Array {
  return size === 0n ? sha256() : mth(0n, size);
}

/** PATH(m, D[lo:hi]) (RFC 6962 §2.1.1), with m relative to lo. */
export function referencePath(mth: Mth, m: bigint, lo: bigint, hi: bigint): Uint8Array[] {
  if (hi - lo === 1n) return [];
  const k = largestPowerOfTwoBelow(hi - lo);
  if (m < k) return [...referencePath(mth, m, lo, lo + k), mth(lo + k, hi)];
  return [...referencePath(mth, m - k, lo + k, hi), mth(lo, lo + k)];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 6962 §2.1.2), for 0 < m <= n. */
export function referenceProof(mth: Mth, m: bigint, n: bigint): Uint8Array[] {
  return subproof(mth, m, 0n, n, true);
}

function subproof(mth: Mth, m: bigint, lo: bigint, hi: bigint, b: boolean): Uint8Array[] {
  if (m === hi - lo) return b ? [] : [mth(lo, hi)];
  const k = largestPowerOfTwoBelow(hi - lo);
  if (m <= k) return [...subproof(mth, m, lo, lo + k, b), mth(lo + k, hi)];
  return [...subproof(mth, m - k, lo + k, hi, false), mth(lo, lo + k)];
}

/**
 * Hash i of tile (level, index) per c2sp.org/tlog-tiles:
 * MTH(D[(index·256 + i)·256^level : (index·256 + i + 1)·256^level]), for i < width.
 */
export function referenceTileHashes(
  mth: Mth,
  tile: { level: number; index: number; width: number },
): Uint8Array[] {
  const span = 256n ** BigInt(tile.level);
  const hashes: Uint8Array[] = [];
  for (let i = 0n; i < BigInt(tile.width); i++) {
    const first = BigInt(tile.index) * 256n + i;
    hashes.push(mth(first * span, (first + 1n) * span));
  }
  return hashes;
}

/** `<N>` of a tile path: 3-digit groups, all but the last prefixed with "x". */
function encodeN(n: number): string {
  const groups: string[] = [];
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/**
 * Every tile-server resource for the tree of the first `treeSize` entries: path (below the
 * prefix) → bytes, for all full and partial hash tiles and entry bundles. For a log that grew
 * through several sizes, merge the maps of each size (old partial tiles stay served).
 */
export function tileResources(
  entries: readonly Uint8Array[],
  treeSize = entries.length,
  mth: Mth = listMth(entries),
): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (let level = 0; 256 ** level <= treeSize; level++) {
    const count = Math.floor(treeSize / 256 ** level); // hashes at this level
    for (let index = 0; index * 256 < count; index++) {
      const width = Math.min(256, count - index * 256);
      const suffix = width === 256 ? '' : `.p/${width}`;
      const hashes = referenceTileHashes(mth, { level, index, width });
      out.set(`tile/${level}/${encodeN(index)}${suffix}`, new Uint8Array(Buffer.concat(hashes)));
      if (level === 0) {
        const bundle = entries.slice(index * 256, index * 256 + width).flatMap((e) => {
          const prefix = Uint8Array.of(e.length >> 8, e.length & 0xff);
          return [prefix, e];
        });
        out.set(`tile/entries/${encodeN(index)}${suffix}`, new Uint8Array(Buffer.concat(bundle)));
      }
    }
  }
  return out;
}
