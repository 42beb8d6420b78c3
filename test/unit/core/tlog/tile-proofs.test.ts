// Proofs from tiles must equal the literal RFC 6962 reference proofs, for trees spanning level-0,
// level-1 and level-2 tiles (up to 70,000 entries) and for sparse virtual trees up to 2^53-1;
// every tile must be authenticated against the root before any of its hashes is used.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import {
  EMPTY_ROOT,
  verifyConsistency,
  verifyInclusion,
} from '../../../../electron/core/tlog/merkle';
import {
  authenticateTiles,
  consistencyProofFromTiles,
  extendAuthenticatedTiles,
  consistencyTiles,
  inclusionProofFromTiles,
  inclusionTiles,
  leafTiles,
  rootFromTiles,
  rootTiles,
  type TileHashes,
} from '../../../../electron/core/tlog/tile-proofs';
import { tilePath, type TileCoord } from '../../../../electron/core/tlog/tiles';
import {
  listMth,
  referencePath,
  referenceProof,
  referenceRoot,
  referenceTileHashes,
  sparseMth,
  type Mth,
} from '../../../support/reference-tree';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const hexes = (list: readonly Uint8Array[]) => list.map(hex);
const utf8 = (s: string) => new TextEncoder().encode(s);

const BIG = 70_000;
const MTH = listMth(Array.from({ length: BIG }, (_, i) => utf8(`entry ${i}`)));
const MAX = 2 ** 53 - 1;

const tileCache = new WeakMap<Mth, Map<string, Uint8Array[]>>();

/** The tiles of the reference tree, as a tile server would serve them (unauthenticated). */
function served(mth: Mth, tiles: readonly TileCoord[]): TileHashes[] {
  const cache = tileCache.get(mth) ?? new Map<string, Uint8Array[]>();
  tileCache.set(mth, cache);
  return tiles.map((tile) => {
    const path = tilePath(tile);
    const hashes = cache.get(path) ?? referenceTileHashes(mth, tile);
    cache.set(path, hashes);
    return { tile, hashes };
  });
}

/** Every value below `size` for small sizes and tile boundaries, a sample otherwise. */
function exhaustiveOrSample(size: number): number[] {
  if (size <= 20 || size === 256 || size === 257) return Array.from({ length: size }, (_, i) => i);
  return [...new Set([0, size >> 1, size - 2, size - 1])];
}

const checkpointOf = (mth: Mth, treeSize: number) => ({
  treeSize,
  rootHash: referenceRoot(mth, BigInt(treeSize)),
});

function proveInclusion(mth: Mth, index: number, treeSize: number) {
  const tiles = authenticateTiles(
    checkpointOf(mth, treeSize),
    served(mth, inclusionTiles(index, treeSize)),
  );
  return inclusionProofFromTiles(tiles, index);
}

function proveConsistency(mth: Mth, size1: number, size2: number) {
  const tiles = authenticateTiles(
    checkpointOf(mth, size2),
    served(mth, consistencyTiles(size1, size2)),
  );
  return consistencyProofFromTiles(tiles, size1);
}

/** Sizes at and around every tile boundary up to level 2, and the spec's 70,000 example. */
const SIZES = [
  1,
  2,
  3,
  7,
  8,
  255,
  256,
  257,
  511,
  512,
  513,
  767,
  1000,
  65_279,
  65_535,
  65_536,
  65_537,
  65_792,
  65_793,
  69_999,
  BIG,
];

const indicesOf = (size: number) =>
  [...new Set([0, 1, 254, 255, 256, 257, 65_535, 65_536, size >> 1, size - 2, size - 1])].filter(
    (i) => i >= 0 && i < size,
  );

describe('rootFromTiles', () => {
  it('equals the reference root for every size up to 600 and around level-2 boundaries', () => {
    const sizes = [...Array.from({ length: 601 }, (_, i) => i), ...SIZES];
    for (const size of sizes) {
      const root = rootFromTiles(size, (tile) => referenceTileHashes(MTH, tile));
      expect(hex(root)).toBe(hex(referenceRoot(MTH, BigInt(size))));
    }
  });

  it('reads only the right-edge tiles', () => {
    const read: string[] = [];
    rootFromTiles(BIG, (tile) => {
      read.push(tilePath(tile));
      return referenceTileHashes(MTH, tile);
    });
    expect([...new Set(read)].sort()).toEqual([
      'tile/0/273.p/112',
      'tile/1/001.p/17',
      'tile/2/000.p/1',
    ]);
    expect(rootTiles(BIG).map(tilePath)).toEqual([
      'tile/0/273.p/112',
      'tile/1/001.p/17',
      'tile/2/000.p/1',
    ]);
  });

  it('returns the empty root for the empty tree', () => {
    expect(rootFromTiles(0, () => [])).toEqual(EMPTY_ROOT);
  });

  it('rejects a tile with the wrong number of hashes', () => {
    expect(() => rootFromTiles(3, () => [EMPTY_ROOT])).toThrowCode('TILE_MALFORMED');
  });
});

describe('inclusionProofFromTiles', () => {
  it('equals the reference proof for every size up to 300 (all indices at boundaries)', () => {
    for (let size = 1; size <= 300; size++) {
      for (const index of exhaustiveOrSample(size)) {
        const want = referencePath(MTH, BigInt(index), 0n, BigInt(size));
        expect(hexes(proveInclusion(MTH, index, size))).toEqual(hexes(want));
      }
    }
  });

  it.each(SIZES.filter((s) => s > 300))('equals the reference proof for size %i', (size) => {
    for (const index of indicesOf(size)) {
      const proof = proveInclusion(MTH, index, size);
      expect(hexes(proof)).toEqual(hexes(referencePath(MTH, BigInt(index), 0n, BigInt(size))));
      const i = BigInt(index);
      verifyInclusion(MTH(i, i + 1n), index, size, proof, referenceRoot(MTH, BigInt(size)));
    }
  });

  it.each([
    { index: 0, size: 2 ** 31 + 1 },
    { index: 2 ** 32, size: 2 ** 32 + 1 },
    { index: 3_000_000_001, size: 2 ** 32 + 300 },
    { index: 12_345_678_901, size: MAX },
    { index: MAX - 1, size: MAX },
  ])('equals the reference proof for index $index of a sparse tree of size $size', (c) => {
    const mth = sparseMth(
      new Map([
        [BigInt(c.index), utf8('marked')],
        [0n, utf8('first')],
      ]),
    );
    const want = referencePath(mth, BigInt(c.index), 0n, BigInt(c.size));
    expect(hexes(proveInclusion(mth, c.index, c.size))).toEqual(hexes(want));
  });
});

describe('consistencyProofFromTiles', () => {
  it('equals the reference proof for every size2 up to 300 (all size1 at boundaries)', () => {
    for (let size2 = 1; size2 <= 300; size2++) {
      for (const size1 of exhaustiveOrSample(size2 + 1).filter((s) => s > 0)) {
        const want = referenceProof(MTH, BigInt(size1), BigInt(size2));
        expect(hexes(proveConsistency(MTH, size1, size2))).toEqual(hexes(want));
      }
    }
  });

  it.each(SIZES.filter((s) => s > 300))('equals the reference proof to size %i', (size2) => {
    const olds = [1, 2, 255, 256, 257, 1000, 65_535, 65_536, 65_537, size2 - 1, size2];
    for (const size1 of olds.filter((s) => s <= size2)) {
      const proof = proveConsistency(MTH, size1, size2);
      expect(hexes(proof)).toEqual(hexes(referenceProof(MTH, BigInt(size1), BigInt(size2))));
      const [root1, root2] = [size1, size2].map((s) => referenceRoot(MTH, BigInt(s)));
      verifyConsistency(size1, size2, proof, root1 as Uint8Array, root2 as Uint8Array);
    }
  });

  it.each([
    { size1: 2 ** 31 - 1, size2: 2 ** 31 + 1 },
    { size1: 2 ** 32 - 1, size2: 2 ** 32 + 1 },
    { size1: 4_855_115, size2: 79_000_001 },
    { size1: 2 ** 32, size2: MAX },
    { size1: MAX - 1, size2: MAX },
  ])('equals the reference proof from $size1 to $size2 in a sparse tree', (c) => {
    const marks = [0, c.size1 - 1, c.size1, c.size2 - 1].map((m) => BigInt(m));
    const mth = sparseMth(new Map(marks.map((m) => [m, utf8(`marked ${m}`)])));
    const want = referenceProof(mth, BigInt(c.size1), BigInt(c.size2));
    expect(hexes(proveConsistency(mth, c.size1, c.size2))).toEqual(hexes(want));
  });
});

describe('leafTiles', () => {
  it.each([
    { start: 0, end: 0, size: 10 },
    { start: 0, end: 10, size: 10 },
    { start: 250, end: 260, size: 300 },
    { start: 65_000, end: BIG, size: BIG },
    { start: 512, end: 513, size: 65_537 },
  ])('authenticates the leaf hashes of entries [$start, $end) of size $size', (c) => {
    const tiles = authenticateTiles(
      checkpointOf(MTH, c.size),
      served(MTH, leafTiles(c.start, c.end, c.size)),
    );
    for (let i = c.start; i < c.end; i++) {
      const leaves = tiles.hashesAt(0, Math.floor(i / 256));
      expect(hex(leaves[i % 256] as Uint8Array)).toBe(hex(MTH(BigInt(i), BigInt(i) + 1n)));
    }
  });
});

describe('authenticateTiles', () => {
  // Full and partial tiles at levels 0, 1 and 2.
  const cases = [
    { desc: 'inclusion of 300 in 70,000', coords: inclusionTiles(300, BIG) },
    { desc: 'consistency from 1000 to 70,000', coords: consistencyTiles(1000, BIG) },
    { desc: 'leaves 65,530..65,540 of 70,000', coords: leafTiles(65_530, 65_540, BIG) },
  ];

  it.each(cases)('rejects every tile with one bit flipped ($desc)', ({ coords }) => {
    const good = served(MTH, coords);
    expect(good.some((t) => t.tile.width === 256)).toBe(true);
    expect(good.some((t) => t.tile.level === 2)).toBe(true);
    good.forEach(({ tile, hashes }, n) => {
      for (const at of new Set([0, n % tile.width, tile.width - 1])) {
        const bad = hashes.map((h, i) => (i === at ? flipFirstBit(h) : h));
        const tampered = good.map((t) => (t.tile === tile ? { tile, hashes: bad } : t));
        expect(() => authenticateTiles(checkpointOf(MTH, BIG), tampered)).toThrowCode(
          'TILE_HASH_MISMATCH',
        );
      }
    });
  });

  it.each(cases)('needs every listed tile ($desc)', ({ coords }) => {
    const good = served(MTH, coords);
    for (const missing of good) {
      const run = () => {
        const tiles = authenticateTiles(
          checkpointOf(MTH, BIG),
          good.filter((t) => t !== missing),
        );
        inclusionProofFromTiles(tiles, 300);
        consistencyProofFromTiles(tiles, 1000);
        for (let i = 65_530; i < 65_540; i += 256) tiles.hashesAt(0, Math.floor(i / 256));
      };
      expect(run).toThrowCode('INTERNAL');
    }
  });

  it('rejects tiles that do not match the checkpoint root', () => {
    const tiles = served(MTH, rootTiles(1000));
    expect(() => authenticateTiles({ treeSize: 1000, rootHash: EMPTY_ROOT }, tiles)).toThrowCode(
      'TILE_HASH_MISMATCH',
    );
  });

  it('rejects a tile of another tree size', () => {
    const tiles = served(MTH, rootTiles(1000));
    expect(() => authenticateTiles(checkpointOf(MTH, 1001), tiles)).toThrowCode('INTERNAL');
  });

  it.each([
    { desc: 'one hash too few', edit: (h: Uint8Array[]) => h.slice(1) },
    { desc: 'a 31-byte hash', edit: (h: Uint8Array[]) => [h[0]!.subarray(1), ...h.slice(1)] },
  ])('rejects a malformed tile with $desc', ({ edit }) => {
    const [tile] = served(MTH, rootTiles(200));
    const bad = { tile: tile!.tile, hashes: edit([...tile!.hashes]) };
    expect(() => authenticateTiles(checkpointOf(MTH, 200), [bad])).toThrowCode('TILE_MALFORMED');
  });

  it('authenticates the empty tree with no tiles', () => {
    const tiles = authenticateTiles({ treeSize: 0, rootHash: EMPTY_ROOT }, []);
    expect(() => tiles.hashesAt(0, 0)).toThrowCode('INTERNAL');
  });

  it('gives an empty consistency proof for equal sizes', () => {
    const tiles = authenticateTiles(
      checkpointOf(MTH, 700),
      served(MTH, consistencyTiles(700, 700)),
    );
    expect(consistencyProofFromTiles(tiles, 700)).toEqual([]);
  });
});

describe('extendAuthenticatedTiles', () => {
  // The tiles above level 0 of 65,540..65,800 (and the right edge), then level-0 tiles below.
  const upper = () => {
    const coords = leafTiles(65_540, 65_800, BIG).filter((t) => t.level > 0 || t.width < 256);
    return authenticateTiles(checkpointOf(MTH, BIG), served(MTH, coords));
  };
  const level0 = (...indices: number[]) =>
    served(
      MTH,
      indices.map((index) => ({ level: 0, index, width: 256 })),
    );

  it('adds level-0 tiles whose parents are in the base, bound to the same root', () => {
    const base = upper();
    const tiles = extendAuthenticatedTiles(base, level0(256, 257));
    expect(tiles.treeSize).toBe(BIG);
    expect(hex(tiles.rootHash)).toBe(hex(base.rootHash));
    for (const i of [65_536, 65_600, 65_791]) {
      const leaves = tiles.hashesAt(0, Math.floor(i / 256));
      expect(hex(leaves[i % 256] as Uint8Array)).toBe(hex(MTH(BigInt(i), BigInt(i) + 1n)));
    }
    // The base's own tiles stay readable through the extension, and the base is unchanged.
    expect(tiles.hashesAt(1, 1)).toBe(base.hashesAt(1, 1));
    expect(() => base.hashesAt(0, 256)).toThrowCode('INTERNAL');
  });

  it('authenticates a tile against its parent among the new tiles, parents first', () => {
    const coords = rootTiles(BIG);
    const base = authenticateTiles(checkpointOf(MTH, BIG), served(MTH, coords));
    // tile/1/000 is full and not in the base; its parent tile/2/000.p/1 is.
    const tiles = extendAuthenticatedTiles(base, [
      ...level0(3),
      ...served(MTH, [{ level: 1, index: 0, width: 256 }]),
    ]);
    const i = 3 * 256 + 7;
    expect(hex(tiles.hashesAt(0, 3)[7] as Uint8Array)).toBe(hex(MTH(BigInt(i), BigInt(i) + 1n)));
  });

  it('rejects a level-0 tile with one bit flipped', () => {
    const [good] = level0(256);
    for (const at of [0, 100, 255]) {
      const hashes = good!.hashes.map((h, i) => (i === at ? flipFirstBit(h) : h));
      expect(() => extendAuthenticatedTiles(upper(), [{ tile: good!.tile, hashes }])).toThrowCode(
        'TILE_HASH_MISMATCH',
      );
    }
  });

  it('rejects a level-0 tile whose parent it was not given', () => {
    expect(() => extendAuthenticatedTiles(upper(), level0(3))).toThrowCode('INTERNAL');
  });

  it('rejects a partial tile: only the base may bring the right edge', () => {
    const edge = served(MTH, [{ level: 0, index: 273, width: 112 }]);
    expect(() => extendAuthenticatedTiles(upper(), edge)).toThrowCode('INTERNAL');
  });

  it('rejects a malformed tile', () => {
    const [good] = level0(256);
    const bad = { tile: good!.tile, hashes: good!.hashes.slice(1) };
    expect(() => extendAuthenticatedTiles(upper(), [bad])).toThrowCode('TILE_MALFORMED');
  });
});

describe('preconditions', () => {
  const tiles = authenticateTiles(checkpointOf(MTH, 10), served(MTH, rootTiles(10)));
  it.each([
    { desc: 'inclusionTiles beyond the tree', run: () => inclusionTiles(10, 10) },
    { desc: 'inclusionTiles with a negative index', run: () => inclusionTiles(-1, 10) },
    { desc: 'inclusionTiles with a fractional size', run: () => inclusionTiles(0, 1.5) },
    {
      desc: 'inclusionProofFromTiles beyond the tree',
      run: () => inclusionProofFromTiles(tiles, 10),
    },
    { desc: 'consistencyTiles from 0', run: () => consistencyTiles(0, 10) },
    { desc: 'consistencyTiles to a smaller tree', run: () => consistencyTiles(11, 10) },
    { desc: 'consistencyProofFromTiles from 0', run: () => consistencyProofFromTiles(tiles, 0) },
    { desc: 'leafTiles with start > end', run: () => leafTiles(5, 3, 10) },
    { desc: 'leafTiles beyond the tree', run: () => leafTiles(0, 11, 10) },
    { desc: 'leafTiles with a negative start', run: () => leafTiles(-1, 3, 10) },
    { desc: 'rootTiles above 2^53-1', run: () => rootTiles(2 ** 53) },
    { desc: 'rootFromTiles of a negative size', run: () => rootFromTiles(-1, () => []) },
  ])('throws INTERNAL for $desc', ({ run }) => {
    expect(run).toThrow(AppError);
    expect(run).toThrowCode('INTERNAL');
  });
});

function flipFirstBit(hash: Uint8Array): Uint8Array {
  const out = Uint8Array.from(hash);
  out[0] = (out[0] as number) ^ 1;
  return out;
}
