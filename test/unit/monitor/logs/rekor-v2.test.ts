// The Rekor v2 reader against an in-memory tile server built from the reference tree.
import { describe, expect, it } from 'vitest';
import { FetchError, VerificationError } from '../../../../electron/core/errors';
import { openCheckpoint, type VerifiedCheckpoint } from '../../../../electron/core/tlog/checkpoint';
import { verifyInclusion } from '../../../../electron/core/tlog/merkle';
import { ed25519NoteVerifier } from '../../../../electron/core/tlog/note-verifiers';
import {
  createRekorV2Reader,
  type RekorV2ReaderOptions,
  type TileFetcher,
} from '../../../../electron/monitor/logs/rekor-v2';
import {
  ed25519NoteSigner,
  ed25519PublicKeyBytes,
  generateEd25519,
  signNote,
} from '../../../../electron/demo/note-signer';
import {
  listMth,
  referencePath,
  referenceProof,
  referenceRoot,
  tileResources,
} from '../../../support/reference-tree';

const ORIGIN = 'log2025-1.rekor.test';
const PREFIX = 'https://log.test/api/v2';
const KEY = generateEd25519();
const SIGNER = ed25519NoteSigner(ORIGIN, KEY.privateKey);
const LOG_KEY = ed25519NoteVerifier(ORIGIN, ed25519PublicKeyBytes(KEY.privateKey));

const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const entriesOf = (n: number, tag = 'entry') =>
  Array.from({ length: n }, (_, i) => utf8(`${tag} ${i}`));
const ENTRIES = entriesOf(1100);

/** A signed, opened checkpoint of the first `size` of `entries`. */
function checkpoint(entries: readonly Uint8Array[], size: number): VerifiedCheckpoint {
  const root = referenceRoot(listMth(entries), BigInt(size));
  const text = `${ORIGIN}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
  return openCheckpoint(signNote(text, [SIGNER]), { origin: ORIGIN, logKey: LOG_KEY });
}

interface Request {
  path: string;
  allow404: boolean;
  maxBytes: number | undefined;
}

/**
 * An in-memory tlog-tiles server: every resource of the log at each of `sizes` (old partial
 * tiles stay served, like a log that keeps them), plus the checkpoint at the largest size.
 */
function tileServer(entries: readonly Uint8Array[], sizes: readonly number[]) {
  const mth = listMth(entries);
  const files = new Map<string, Uint8Array>();
  for (const size of sizes) {
    for (const [path, bytes] of tileResources(entries, size, mth)) files.set(path, bytes);
  }
  const latest = checkpoint(entries, Math.max(...sizes));
  files.set('checkpoint', utf8(latest.note));
  const requests: Request[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const get = async (url: string, opts?: { allow404?: boolean; maxBytes?: number }) => {
    expect(url.startsWith(`${PREFIX}/`)).toBe(true);
    const path = url.slice(PREFIX.length + 1);
    requests.push({ path, allow404: opts?.allow404 ?? false, maxBytes: opts?.maxBytes });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Let other requests start, as a real network would.
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
    const bytes = files.get(path);
    if (bytes) return bytes;
    if (opts?.allow404) return undefined;
    throw new FetchError('LOG_HTTP_STATUS', `GET ${url}: status 404, want 200`, 404);
  };
  // Parses as the HTTP client does, inside the request (here without retries).
  type Opts = { allow404?: boolean; maxBytes?: number; parse?: (v: never) => unknown };
  const parsed = async <In>(read: Promise<In | undefined>, opts?: Opts) => {
    const value = await read;
    if (value === undefined || opts?.parse === undefined) return value;
    return (opts.parse as (v: In) => unknown)(value);
  };
  const http: TileFetcher = {
    get: ((url: string, opts?: Opts) => parsed(get(url, opts), opts)) as TileFetcher['get'],
    getText: ((url: string, opts?: Opts) =>
      parsed(
        get(url, opts).then((b) => b && new TextDecoder().decode(b)),
        opts,
      )) as TileFetcher['getText'],
  };
  return {
    http,
    files,
    requests,
    latest,
    maxInFlight: () => maxInFlight,
    paths: () => requests.map((r) => r.path),
    reader: (options: Partial<RekorV2ReaderOptions> = {}) =>
      createRekorV2Reader({
        prefixUrl: `${PREFIX}/`,
        origin: ORIGIN,
        logKey: LOG_KEY,
        http,
        ...options,
      }),
  };
}

/** A copy of `bytes` with one bit flipped at byte `at`. */
function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[at] = (out[at] as number) ^ 0x40;
  return out;
}

describe('getCheckpoint', () => {
  it('fetches <prefix>/checkpoint and opens it with the log key', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const cp = await server.reader().getCheckpoint();
    expect(cp.treeSize).toBe(1000);
    expect(hex(cp.rootHash)).toBe(hex(server.latest.rootHash));
    expect(server.requests).toEqual([
      { path: 'checkpoint', allow404: false, maxBytes: 1024 * 1024 },
    ]);
  });

  it('rejects a checkpoint signed by another key', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const other = ed25519NoteSigner(ORIGIN, generateEd25519().privateKey);
    server.files.set('checkpoint', utf8(signNote(`${ORIGIN}\n1\n${'A'.repeat(43)}=\n`, [other])));
    await expect(server.reader().getCheckpoint()).rejects.toMatchObject({ code: 'NOTE_UNTRUSTED' });
  });
});

describe('readEntries', () => {
  it('returns the entries of a range across bundles, each with its leaf hash', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const got = await server.reader().readEntries(250, 700, server.latest);
    expect(got.map((e) => e.index)).toEqual(Array.from({ length: 450 }, (_, i) => 250 + i));
    const mth = listMth(ENTRIES);
    for (const e of got) {
      expect(e.bytes).toEqual(ENTRIES[e.index]);
      expect(hex(e.leafHash)).toBe(hex(mth(BigInt(e.index), BigInt(e.index) + 1n)));
    }
  });

  it('reads the partial bundle at the end of the tree and tiles up to level 2', async () => {
    // 65,600 = 256·256 + 64: level 1 has no partial tile, level 2 one of width 1.
    const entries = entriesOf(66_000);
    const server = tileServer(entries, [65_600]);
    const got = await server.reader().readEntries(65_530, 65_600, server.latest);
    expect(got.map((e) => e.index)).toEqual(Array.from({ length: 70 }, (_, i) => 65_530 + i));
    // The full level-0 tile 255 is computed from its bundle, not fetched.
    expect(server.paths()).not.toContain('tile/0/255');
    expect(server.paths()).toEqual(
      expect.arrayContaining([
        'tile/entries/255',
        'tile/entries/256.p/64',
        'tile/0/256.p/64',
        'tile/1/000',
        'tile/2/000.p/1',
      ]),
    );
  });

  it('fetches only the partial tiles its checkpoint implies', async () => {
    // The log has grown to 1100 since the checkpoint of 700 we verified.
    const server = tileServer(ENTRIES, [700, 1100]);
    await server.reader().readEntries(600, 700, checkpoint(ENTRIES, 700));
    const partials = server.paths().filter((p) => p.includes('.p/'));
    expect(partials.sort()).toEqual([
      'tile/0/002.p/188',
      'tile/1/000.p/2',
      'tile/entries/002.p/188',
    ]);
  });

  it('falls back to the full tile and bundle when the partial ones are gone', async () => {
    const server = tileServer(ENTRIES, [700, 1100]);
    server.files.delete('tile/0/002.p/188');
    server.files.delete('tile/entries/002.p/188');
    const got = await server.reader().readEntries(690, 700, checkpoint(ENTRIES, 700));
    expect(got.map((e) => e.bytes)).toEqual(ENTRIES.slice(690, 700));
    const asked = server.requests.map((r) => `${r.path}${r.allow404 ? ' (404 ok)' : ''}`);
    expect(asked).toEqual(
      expect.arrayContaining([
        'tile/0/002.p/188 (404 ok)',
        'tile/0/002',
        'tile/entries/002.p/188 (404 ok)',
        'tile/entries/002',
      ]),
    );
  });

  it('returns nothing and fetches nothing for an empty range', async () => {
    const server = tileServer(ENTRIES, [1000]);
    expect(await server.reader().readEntries(5, 5, server.latest)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it.each([
    { desc: 'start > end', start: 6, end: 5 },
    { desc: 'end beyond the tree', start: 0, end: 1001 },
    { desc: 'a negative start', start: -1, end: 5 },
    { desc: 'a fractional end', start: 0, end: 2.5 },
  ])('rejects a range with $desc', async ({ start, end }) => {
    const server = tileServer(ENTRIES, [1000]);
    await expect(server.reader().readEntries(start, end, server.latest)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it.each([
    {
      desc: 'an entry in a full bundle',
      path: 'tile/entries/001',
      at: 40,
      code: 'TILE_HASH_MISMATCH',
    },
    {
      desc: 'an entry in a partial bundle',
      path: 'tile/entries/003.p/232',
      at: 9,
      code: 'TILE_HASH_MISMATCH',
    },
    {
      desc: 'a partial level-0 tile',
      path: 'tile/0/003.p/232',
      at: 100,
      code: 'TILE_HASH_MISMATCH',
    },
    { desc: 'the level-1 tile', path: 'tile/1/000.p/3', at: 33, code: 'TILE_HASH_MISMATCH' },
    {
      desc: 'a bundle length prefix',
      path: 'tile/entries/001',
      at: 0,
      code: 'ENTRY_BUNDLE_MALFORMED',
    },
  ])('rejects the batch when $desc is tampered with', async ({ path, at, code }) => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.set(path, flipped(server.files.get(path) as Uint8Array, at));
    const run = server.reader().readEntries(0, 1000, server.latest);
    await expect(run).rejects.toBeInstanceOf(VerificationError);
    await expect(run).rejects.toMatchObject({ code });
  });

  it.each([
    { desc: 'one entry short', edit: (b: Uint8Array) => b.subarray(0, b.length - 11) },
    { desc: 'an extra entry', edit: (b: Uint8Array) => Uint8Array.of(...b, 0, 1, 65) },
  ])('rejects a bundle with $desc', async ({ edit }) => {
    const server = tileServer(ENTRIES, [1000]);
    const path = 'tile/entries/000';
    server.files.set(path, edit(server.files.get(path) as Uint8Array));
    await expect(server.reader().readEntries(0, 10, server.latest)).rejects.toMatchObject({
      code: 'ENTRY_BUNDLE_MALFORMED',
    });
  });

  it('names the entry when one of a full bundle is not the one in the tree', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const path = 'tile/entries/001';
    const bundle = server.files.get(path) as Uint8Array;
    // Entry 256 is the first of bundle 1: "entry 256" after its 2-byte length.
    server.files.set(path, flipped(bundle, 2));
    const run = server.reader().readEntries(0, 1000, server.latest);
    await expect(run).rejects.toMatchObject({
      code: 'TILE_HASH_MISMATCH',
      evidence: { index: 256, note: server.latest.note },
    });
    // Only then is the level-0 tile fetched, to name the entry.
    expect(server.paths()).toContain('tile/0/001');
  });

  it('reports a level-0 tile that fails to authenticate when it fetches one to name an entry', async () => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.set('tile/entries/001', flipped(server.files.get('tile/entries/001')!, 40));
    server.files.set('tile/0/001', flipped(server.files.get('tile/0/001')!, 5000));
    const run = server.reader().readEntries(0, 1000, server.latest);
    await expect(run).rejects.toMatchObject({
      code: 'TILE_HASH_MISMATCH',
      message: expect.stringMatching(/tile/),
    });
    await expect(run).rejects.not.toMatchObject({ evidence: { index: expect.anything() } });
  });

  it('still reports the tampered bundle when its level-0 tile cannot be fetched', async () => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.set('tile/entries/001', flipped(server.files.get('tile/entries/001')!, 40));
    server.files.delete('tile/0/001');
    const run = server.reader().readEntries(0, 1000, server.latest);
    await expect(run).rejects.toBeInstanceOf(VerificationError);
    await expect(run).rejects.toMatchObject({ code: 'TILE_HASH_MISMATCH' });
  });

  it('proves full bundles without the level-0 tiles the log serves', async () => {
    const server = tileServer(ENTRIES, [1000]);
    // Tampered and truncated level-0 tiles are never read: the bundles prove themselves.
    server.files.set('tile/0/001', flipped(server.files.get('tile/0/001') as Uint8Array, 5000));
    server.files.set('tile/0/000', (server.files.get('tile/0/000') as Uint8Array).subarray(1));
    const got = await server.reader().readEntries(0, 768, server.latest);
    expect(got.map((e) => e.bytes)).toEqual(ENTRIES.slice(0, 768));
    // Only the partial tile of the right edge, which authenticates the root.
    expect(server.paths().filter((p) => p.startsWith('tile/0/'))).toEqual(['tile/0/003.p/232']);
  });

  it('rejects a truncated hash tile', async () => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.set(
      'tile/0/003.p/232',
      (server.files.get('tile/0/003.p/232') as Uint8Array).subarray(1),
    );
    await expect(server.reader().readEntries(990, 1000, server.latest)).rejects.toMatchObject({
      code: 'TILE_MALFORMED',
    });
  });

  it('reports a missing bundle as a FetchError', async () => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.delete('tile/entries/001');
    await expect(server.reader().readEntries(0, 1000, server.latest)).rejects.toBeInstanceOf(
      FetchError,
    );
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const entries = entriesOf(3000);
    const server = tileServer(entries, [3000]);
    await server.reader({ concurrency: 3 }).readEntries(0, 3000, server.latest);
    expect(server.maxInFlight()).toBe(3);
    const wide = tileServer(entries, [3000]);
    await wide.reader().readEntries(0, 3000, wide.latest);
    expect(wide.maxInFlight()).toBe(8);
  });

  it('fetches the shared tiles once per checkpoint', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const reader = server.reader();
    await reader.readEntries(0, 10, server.latest);
    await reader.readEntries(10, 20, server.latest);
    expect(server.paths().filter((p) => p === 'tile/1/000.p/3')).toHaveLength(1);
    expect(server.paths().filter((p) => p === 'tile/entries/000')).toHaveLength(2);
  });

  it('proves the entries of every batch of one checkpoint', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const reader = server.reader();
    expect(await reader.readEntries(0, 256, server.latest)).toHaveLength(256);
    const path = 'tile/entries/001';
    server.files.set(path, flipped(server.files.get(path) as Uint8Array, 64));
    await expect(reader.readEntries(256, 512, server.latest)).rejects.toMatchObject({
      code: 'TILE_HASH_MISMATCH',
    });
  });

  it('authenticates the shared tiles again for another checkpoint', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const reader = server.reader();
    await reader.readEntries(0, 10, server.latest);
    // The same size with another root: no tile of this log is bound to it.
    const other = checkpoint(entriesOf(1000, 'other'), 1000);
    await expect(reader.readEntries(0, 10, other)).rejects.toMatchObject({
      code: 'TILE_HASH_MISMATCH',
    });
  });

  it('does not keep shared tiles that failed to authenticate', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const path = 'tile/1/000.p/3';
    const good = server.files.get(path) as Uint8Array;
    server.files.set(path, flipped(good, 0));
    const reader = server.reader();
    await expect(reader.readEntries(0, 10, server.latest)).rejects.toMatchObject({
      code: 'TILE_HASH_MISMATCH',
    });
    server.files.set(path, good);
    expect(await reader.readEntries(0, 10, server.latest)).toHaveLength(10);
  });
});

describe('proveConsistency', () => {
  it('computes, verifies and returns the RFC 6962 proof from tiles', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const old = checkpoint(ENTRIES, 300);
    const proof = await server.reader().proveConsistency(old, server.latest);
    const want = referenceProof(listMth(ENTRIES), 300n, 1000n);
    expect(proof.map(hex)).toEqual(want.map(hex));
  });

  it('proves nothing and fetches nothing from the empty tree', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const empty = { treeSize: 0, rootHash: new Uint8Array(32) };
    expect(await server.reader().proveConsistency(empty, server.latest)).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('accepts the same tree with an empty proof', async () => {
    const server = tileServer(ENTRIES, [1000]);
    expect(await server.reader().proveConsistency(server.latest, server.latest)).toEqual([]);
  });

  it('rejects a tree of the same size with another root, with evidence', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const other = checkpoint(entriesOf(1000, 'forked'), 1000);
    const run = server.reader().proveConsistency(other, server.latest);
    await expect(run).rejects.toMatchObject({
      code: 'CONSISTENCY_PROOF_INVALID',
      evidence: { olderTreeSize: 1000, proof: [], newerNote: server.latest.note },
    });
  });

  it('rejects a forked history, with the proof as evidence', async () => {
    // Same log key, same first 500 entries, then a rewritten history.
    const forked = [...ENTRIES.slice(0, 500), ...entriesOf(600, 'forked')];
    const server = tileServer(forked, [1000]);
    const old = checkpoint(ENTRIES, 700);
    const run = server.reader().proveConsistency(old, server.latest);
    await expect(run).rejects.toBeInstanceOf(VerificationError);
    await expect(run).rejects.toMatchObject({
      code: 'CONSISTENCY_PROOF_INVALID',
      message: expect.stringContaining(ORIGIN),
      evidence: {
        olderTreeSize: 700,
        olderRootHash: hex(old.rootHash),
        newerNote: server.latest.note,
        proof: referenceProof(listMth(forked), 700n, 1000n).map(hex),
      },
    });
  });

  it('rejects tiles that do not match the latest checkpoint', async () => {
    const server = tileServer(ENTRIES, [1000]);
    server.files.set(
      'tile/1/000.p/3',
      flipped(server.files.get('tile/1/000.p/3') as Uint8Array, 0),
    );
    await expect(
      server.reader().proveConsistency(checkpoint(ENTRIES, 300), server.latest),
    ).rejects.toMatchObject({ code: 'TILE_HASH_MISMATCH' });
  });

  it('rejects an older tree that is larger than the latest', async () => {
    const server = tileServer(ENTRIES, [1000]);
    await expect(
      server.reader().proveConsistency(checkpoint(ENTRIES, 1100), server.latest),
    ).rejects.toMatchObject({ code: 'CONSISTENCY_PROOF_INVALID' });
  });
});

describe('inclusionProof', () => {
  it.each([0, 255, 256, 700, 999])('returns the reference proof for entry %i', async (index) => {
    const server = tileServer(ENTRIES, [1000]);
    const proof = await server.reader().inclusionProof(index, server.latest);
    const mth = listMth(ENTRIES);
    expect(proof.map(hex)).toEqual(referencePath(mth, BigInt(index), 0n, 1000n).map(hex));
    const i = BigInt(index);
    verifyInclusion(mth(i, i + 1n), index, 1000, proof, server.latest.rootHash);
  });

  it('uses the level-0 tiles its reads computed, and fetches only the others', async () => {
    const server = tileServer(ENTRIES, [1000]);
    const reader = server.reader({ tileCacheSize: 1 });
    await reader.readEntries(0, 256, server.latest); // computes tile/0/000
    await reader.readEntries(256, 512, server.latest); // computes tile/0/001, evicts tile/0/000
    const mth = listMth(ENTRIES);
    for (const index of [300, 5]) {
      const proof = await reader.inclusionProof(index, server.latest);
      expect(proof.map(hex)).toEqual(referencePath(mth, BigInt(index), 0n, 1000n).map(hex));
    }
    const full = server.paths().filter((p) => p.startsWith('tile/0/') && !p.includes('.p/'));
    expect(full).toEqual(['tile/0/000']);
  });

  it.each([-1, 1000, 0.5])('rejects index %d', async (index) => {
    const server = tileServer(ENTRIES, [1000]);
    await expect(server.reader().inclusionProof(index, server.latest)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
