import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  TILE_HEIGHT,
  TILE_WIDTH,
  entryBundlePath,
  parseHashTile,
  parseTilePath,
  rightEdgeTiles,
  splitEntryBundle,
  tileInTree,
  tilePath,
} from '../../../../electron/core/tlog/tiles';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('tilePath', () => {
  it.each([
    { level: 0, index: 0, width: 256, want: 'tile/0/000' },
    { level: 0, index: 5, width: 256, want: 'tile/0/005' },
    { level: 1, index: 999, width: 256, want: 'tile/1/999' },
    { level: 2, index: 1000, width: 256, want: 'tile/2/x001/000' },
    { level: 0, index: 1234067, width: 256, want: 'tile/0/x001/x234/067' },
    { level: 0, index: 1234067, width: 17, want: 'tile/0/x001/x234/067.p/17' },
    { level: 3, index: 7, width: 1, want: 'tile/3/007.p/1' },
    { level: 0, index: 2 ** 45 - 1, width: 255, want: 'tile/0/x035/x184/x372/x088/831.p/255' },
  ])('encodes level $level index $index width $width as $want', ({ level, index, width, want }) => {
    expect(tilePath({ level, index, width })).toBe(want);
    expect(parseTilePath(want)).toEqual({ kind: 'tile', tile: { level, index, width } });
  });

  it('uses 8-level, 256-wide tiles', () => {
    expect([TILE_HEIGHT, TILE_WIDTH]).toEqual([8, 256]);
  });
});

describe('entryBundlePath', () => {
  it.each([
    { index: 0, width: 256, want: 'tile/entries/000' },
    { index: 18964, width: 211, want: 'tile/entries/x018/964.p/211' },
    { index: 1000000, width: 256, want: 'tile/entries/x001/x000/000' },
  ])('encodes bundle $index width $width as $want', ({ index, width, want }) => {
    expect(entryBundlePath(index, width)).toBe(want);
    expect(parseTilePath(want)).toEqual({ kind: 'entries', bundle: { index, width } });
  });
});

describe('parseTilePath', () => {
  it.each([
    { desc: 'no tile/ prefix', path: '0/000' },
    { desc: 'a leading slash', path: '/tile/0/000' },
    { desc: 'a two-digit last group', path: 'tile/0/05' },
    { desc: 'a four-digit group', path: 'tile/0/0005' },
    { desc: 'a last group with x', path: 'tile/0/x005' },
    { desc: 'an inner group without x', path: 'tile/0/001/005' },
    { desc: 'a leading zero group', path: 'tile/0/x000/005' },
    { desc: 'a level with a leading zero', path: 'tile/01/000' },
    { desc: 'level 64', path: 'tile/64/000' },
    { desc: 'width 0', path: 'tile/0/000.p/0' },
    { desc: 'width 256', path: 'tile/0/000.p/256' },
    { desc: 'a width with a leading zero', path: 'tile/0/000.p/017' },
    { desc: 'an empty width', path: 'tile/0/000.p/' },
    { desc: 'an index above 2^53-1', path: 'tile/0/x009/x007/x199/x254/x740/992' },
    { desc: 'a trailing slash', path: 'tile/0/000/' },
    { desc: 'an unknown kind', path: 'tile/data/000' },
  ])('rejects $desc', ({ path }) => {
    expect(() => parseTilePath(path)).toThrowCode('TILE_MALFORMED');
  });

  it('accepts level 63 and the largest safe index', () => {
    expect(parseTilePath('tile/63/x009/x007/x199/x254/x740/991')).toEqual({
      kind: 'tile',
      tile: { level: 63, index: 2 ** 53 - 1, width: 256 },
    });
  });
});

describe('splitEntryBundle', () => {
  it.each([
    { desc: 'one entry', input: bytes(0, 2, 7, 8), want: [[7, 8]] },
    { desc: 'a zero-length entry', input: bytes(0, 0, 0, 1, 9), want: [[], [9]] },
    {
      desc: 'a 258-byte length',
      input: bytes(1, 2, ...new Array<number>(258).fill(4)),
      want: [new Array<number>(258).fill(4)],
    },
  ])('splits $desc', ({ input, want }) => {
    expect(splitEntryBundle(input).map((e) => [...e])).toEqual(want);
  });

  it('splits a full bundle of 256 entries of up to 65535 bytes', () => {
    const entries = Array.from({ length: 256 }, (_, i) => new Uint8Array(i === 0 ? 0xffff : i));
    const bundle = Buffer.concat(entries.flatMap((e) => [bytes(e.length >> 8, e.length & 255), e]));
    expect(splitEntryBundle(bundle).map((e) => e.length)).toEqual(entries.map((e) => e.length));
  });

  it.each([
    { desc: 'an empty bundle', input: bytes() },
    { desc: 'a one-byte length prefix', input: bytes(0) },
    { desc: 'a length prefix cut after an entry', input: bytes(0, 1, 5, 0) },
    { desc: 'an entry shorter than its length', input: bytes(0, 3, 1, 2) },
    { desc: 'a length prefix with no entry', input: bytes(0, 1) },
    { desc: 'more than 256 entries', input: new Uint8Array(257 * 2) },
  ])('rejects $desc', ({ input }) => {
    expect(() => splitEntryBundle(input)).toThrowCode('ENTRY_BUNDLE_MALFORMED');
  });
});

describe('parseHashTile', () => {
  it('splits a tile into width 32-byte hashes', () => {
    const tile = Uint8Array.from({ length: 3 * 32 }, (_, i) => i);
    const hashes = parseHashTile(tile, 3);
    expect(hashes.map((h) => h[0])).toEqual([0, 32, 64]);
    expect(hashes.every((h) => h.length === 32)).toBe(true);
  });

  it.each([
    { desc: 'one byte short', length: 8191, width: 256 },
    { desc: 'one byte long', length: 8193, width: 256 },
    { desc: 'a full tile for width 17', length: 8192, width: 17 },
    { desc: 'empty', length: 0, width: 1 },
    { desc: 'width 0', length: 0, width: 0 },
    { desc: 'width 257', length: 257 * 32, width: 257 },
    { desc: 'a fractional width', length: 48, width: 1.5 },
  ])('rejects a tile that is $desc', ({ length, width }) => {
    expect(() => parseHashTile(new Uint8Array(length), width)).toThrowCode('TILE_MALFORMED');
  });
});

describe('tileInTree and rightEdgeTiles', () => {
  it('describes a tree of 70,000 entries as C2SP tlog-tiles does', () => {
    // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one
    // partial level 1 tile of width 17, and one partial level 2 tile of width 1."
    expect(tileInTree(0, 272, 70_000)).toEqual({ level: 0, index: 272, width: 256 });
    expect(tileInTree(0, 273, 70_000)).toEqual({ level: 0, index: 273, width: 112 });
    expect(tileInTree(0, 274, 70_000)).toBeUndefined();
    expect(tileInTree(1, 0, 70_000)).toEqual({ level: 1, index: 0, width: 256 });
    expect(rightEdgeTiles(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it.each([
    { size: 0, want: [] },
    { size: 1, want: [{ level: 0, index: 0, width: 1 }] },
    { size: 256, want: [{ level: 1, index: 0, width: 1 }] },
    { size: 65536, want: [{ level: 2, index: 0, width: 1 }] },
    {
      size: 2 ** 53 - 1,
      want: [0, 1, 2, 3, 4, 5]
        .map((level) => ({
          level,
          index: Math.floor((2 ** 53 - 1) / 256 ** (level + 1)),
          width: 255,
        }))
        .concat([{ level: 6, index: 0, width: 31 }]),
    },
  ])('lists the partial tiles of a tree of size $size', ({ size, want }) => {
    expect(rightEdgeTiles(size)).toEqual(want);
  });
});

describe('parsers of untrusted bytes', () => {
  const onlyVerificationErrors = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
    }
  };

  it('raise only VerificationError for random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.integer({ min: -1, max: 300 }), (b, w) => {
        onlyVerificationErrors(() => splitEntryBundle(b));
        onlyVerificationErrors(() => parseHashTile(b, w));
        onlyVerificationErrors(() => parseTilePath(Buffer.from(b).toString('latin1')));
      }),
      { numRuns: 2000 },
    );
  });

  it('raise only VerificationError for random path-like text', () => {
    const pathChar = fc.constantFrom(...'tile/entrs0123456789x.p'.split(''));
    fc.assert(
      fc.property(fc.array(pathChar, { maxLength: 40 }), (chars) => {
        onlyVerificationErrors(() => parseTilePath(`tile/${chars.join('')}`));
      }),
      { numRuns: 2000 },
    );
  });
});
