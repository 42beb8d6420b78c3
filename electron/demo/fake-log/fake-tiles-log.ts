// The Rekor v2 half of the fake log: a C2SP tlog-tiles log (c2sp.org/tlog-tiles; FORMATS.md
// §2.2) under a prefix, with an Ed25519 checkpoint key whose name is the origin, as
// log2025-1.rekor.sigstore.dev serves it.
import type { KeyObject } from 'node:crypto';
import { ed25519NoteSigner, generateEd25519, signNote, type NoteSigner } from '../note-signer';
import { v2HashedRekordEntry } from './entry-factory';
import {
  bytesResponse,
  textResponse,
  type FakeRequest,
  type FakeResponse,
  type ViewSelector,
} from './http-types';
import { MerkleTree } from './tree';

export interface FakeTilesLogOptions {
  /** Origin and key name (default `log2025-1.fake.test`). */
  readonly origin?: string;
  /** Path prefix of checkpoint and tiles: `''` (the root, default) or e.g. `/api/v2`. */
  readonly prefix?: string;
  /** Ed25519 checkpoint key (default: freshly generated). */
  readonly privateKey?: KeyObject;
}

export const TILE_WIDTH = 256;
const MAX_ENTRY_BYTES = 0xffff;

/** A handle on a forked history, to grow it further. */
export interface FakeTilesFork {
  append(entries: readonly Uint8Array[]): void;
  readonly size: number;
}

/** A tlog-tiles log. Checkpoints are signed fresh for every request. */
export class FakeTilesLog {
  readonly origin: string;
  /** Normalised: empty or starting with `/`, never ending with `/`. */
  readonly prefix: string;
  readonly signer: NoteSigner;
  /** C2SP vkey of the checkpoint key. */
  readonly vkey: string;
  #main = new MerkleTree();
  readonly #forks: { tree: MerkleTree; when: ViewSelector }[] = [];

  constructor(options: FakeTilesLogOptions = {}) {
    this.origin = options.origin ?? 'log2025-1.fake.test';
    this.prefix = normalisePrefix(options.prefix ?? '');
    this.signer = ed25519NoteSigner(
      this.origin,
      options.privateKey ?? generateEd25519().privateKey,
    );
    this.vkey = this.signer.vkey;
  }

  get size(): number {
    return this.#main.size;
  }

  /** The main history's tree, for expectations and cross-checks. */
  tree(): MerkleTree {
    return this.#main;
  }

  /** Appends entries (each at most 65535 bytes); returns the index of the first. */
  append(entries: readonly Uint8Array[]): number {
    const first = this.size;
    appendTo(this.#main, entries);
    return first;
  }

  /**
   * Appends `count` entries `make(index)` (default: hashedrekord/0.0.2); returns the index of
   * the first. `make` must be deterministic: the bytes are rebuilt when served.
   */
  grow(count: number, make: (index: number) => Uint8Array = v2HashedRekordEntry): number {
    const first = this.size;
    for (let i = 0; i < count; i++) {
      const index = first + i;
      const entry = make(index);
      checkEntrySize(entry);
      this.#main.appendGenerated(make, index, entry);
    }
    return first;
  }

  /**
   * The first `at` entries, then `entries`, under the same origin and key. Without `when` the
   * fork replaces the history for every later request; with it, only the requests `when` picks.
   */
  fork(options: {
    at: number;
    entries?: readonly Uint8Array[];
    when?: ViewSelector;
  }): FakeTilesFork {
    const tree = this.#main.prefix(options.at);
    appendTo(tree, options.entries ?? []);
    if (options.when === undefined) this.#main = tree;
    else this.#forks.push({ tree, when: options.when });
    return {
      append: (entries) => appendTo(tree, entries),
      get size() {
        return tree.size;
      },
    };
  }

  /** Replaces the entry at `index` in place: same size, different root. */
  rewriteHistory(options: { index: number; entry: Uint8Array }): void {
    checkEntrySize(options.entry);
    this.#main.replace(options.index, options.entry);
  }

  /** A freshly signed checkpoint of the main history at `size` (default: its size). */
  checkpoint(size = this.size): string {
    return this.#sign(this.#main, size);
  }

  /** Serves `<prefix>/checkpoint` and `<prefix>/tile/...`; undefined for other paths. */
  handle(req: FakeRequest): FakeResponse | undefined {
    const { pathname } = req.url;
    if (req.method !== 'GET' || !pathname.startsWith(`${this.prefix}/`)) return undefined;
    const rest = pathname.slice(this.prefix.length);
    const tree = this.#forks.find((f) => f.when(req))?.tree ?? this.#main;
    if (rest === '/checkpoint') return textResponse(this.#sign(tree, tree.size));
    const tile = parseTilePath(rest);
    if (tile === undefined) return undefined;
    return tile.level === 'entries' ? entryBundle(tree, tile) : hashTile(tree, tile);
  }

  #sign(tree: MerkleTree, size: number): string {
    const root = Buffer.from(tree.root(size)).toString('base64');
    return signNote(`${this.origin}\n${size}\n${root}\n`, [this.signer]);
  }
}

interface TileRef {
  readonly level: number | 'entries';
  readonly index: number;
  readonly width: number;
}

const TILE_PATH =
  /^\/tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Parses `/tile/<L>/<N>[.p/<W>]` or `/tile/entries/<N>[.p/<W>]`, canonical spellings only. */
export function parseTilePath(path: string): TileRef | undefined {
  const m = TILE_PATH.exec(path);
  if (m === null) return undefined;
  const [, level, nPath, w] = m as unknown as [string, string, string, string | undefined];
  const index = Number(nPath.replace(/x|\//g, ''));
  const width = w === undefined ? TILE_WIDTH : Number(w);
  if (!Number.isSafeInteger(index) || encodeTileIndex(index) !== nPath || width > TILE_WIDTH) {
    return undefined;
  }
  if (w !== undefined && width === TILE_WIDTH) return undefined;
  return { level: level === 'entries' ? 'entries' : Number(level), index, width };
}

/** Tile index N as tlog-tiles path elements: 1234067 → `x001/x234/067`. */
export function encodeTileIndex(index: number): string {
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

function hashTile(tree: MerkleTree, tile: TileRef): FakeResponse | undefined {
  const level = (tile.level as number) * 8;
  const out = new Uint8Array(tile.width * 32);
  for (let i = 0; i < tile.width; i++) {
    if (!tree.copyNode(level, tile.index * TILE_WIDTH + i, out, i * 32)) return undefined;
  }
  return bytesResponse(out);
}

function entryBundle(tree: MerkleTree, tile: TileRef): FakeResponse | undefined {
  const start = tile.index * TILE_WIDTH;
  if (start + tile.width > tree.size) return undefined;
  const entries: Uint8Array[] = [];
  let length = 0;
  for (let i = start; i < start + tile.width; i++) {
    const entry = tree.entry(i);
    entries.push(entry);
    length += 2 + entry.length;
  }
  // One buffer, written in place: a bundle is the largest thing the log serves.
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const entry of entries) {
    at = out.writeUInt16BE(entry.length, at);
    out.set(entry, at);
    at += entry.length;
  }
  return bytesResponse(out);
}

function appendTo(tree: MerkleTree, entries: readonly Uint8Array[]): void {
  for (const entry of entries) {
    checkEntrySize(entry);
    tree.append(entry);
  }
}

function checkEntrySize(entry: Uint8Array): void {
  if (entry.length > MAX_ENTRY_BYTES) {
    throw new Error(`entry of ${entry.length} bytes does not fit an entry bundle's uint16 length`);
  }
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
