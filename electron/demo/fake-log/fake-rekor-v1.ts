// The Rekor v1 half of the fake log (FORMATS.md §1): /api/v1/log with inactive shards,
// /api/v1/log/proof, /api/v1/log/entries?logIndex=, POST /api/v1/log/entries/retrieve and
// /api/v1/log/publicKey, served from real Merkle trees with ECDSA P-256 signed checkpoints and
// SETs, like rekor.sigstore.dev.
import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  ecdsaNoteSigner,
  generateEcdsaP256,
  signNote,
  spkiDer,
  type NoteSigner,
} from '../note-signer';
import { v1HashedRekordBody } from './entry-factory';
import {
  errorResponse,
  jsonResponse,
  textResponse,
  type FakeRequest,
  type FakeResponse,
  type ViewSelector,
} from './http-types';
import { MerkleTree } from './tree';

export interface FakeRekorV1Options {
  /** Key name of the checkpoints and first half of every origin (default `rekor.fake.test`). */
  readonly host?: string;
  /** Tree IDs for the first shard and each rotation, in order (default: random int63 values). */
  readonly treeIds?: readonly string[];
  /** ECDSA P-256 log key (default: freshly generated). */
  readonly privateKey?: KeyObject;
  /** integratedTime (unix seconds) for the entry appended at a global index. */
  readonly integratedTime?: (globalIndex: number) => number;
  /** Return retrieve results in reverse order, since nothing promises any order (default true). */
  readonly scrambleRetrieve?: boolean;
  /** Sign a SET for every entry served (default true; ECDSA per entry costs ~50 µs). */
  readonly signedEntryTimestamps?: boolean;
}

/** One history of one shard: its tree and the integratedTime of each entry. */
interface ShardView {
  tree: MerkleTree;
  times: number[];
}

interface Shard {
  readonly treeId: string;
  main: ShardView;
  /** Forks that serve the requests their selector picks (split views). */
  readonly forks: { view: ShardView; when: ViewSelector }[];
  /** Inactive shards serve one cached checkpoint, signed when frozen (as Rekor does). */
  frozenCheckpoint?: string;
}

/** A handle on a forked history, to grow it further. */
export interface FakeFork {
  append(entries: readonly Uint8Array[]): void;
  readonly size: number;
}

export const RETRIEVE_LIMIT = 10;

/** A Rekor v1 log with shards. Indexes are global unless a name says shard-local. */
export class FakeRekorV1 {
  readonly keyName: string;
  readonly signer: NoteSigner;
  /** C2SP vkey of the checkpoint key, for note verifiers in tests. */
  readonly vkey: string;
  readonly publicKeyPem: string;
  readonly spkiDer: Uint8Array;
  /** Hex SHA-256 of the SPKI: the logID of every entry. */
  readonly logIdHex: string;
  readonly #privateKey: KeyObject;
  readonly #shards: Shard[] = [];
  readonly #treeIds: readonly string[];
  readonly #integratedTime: (globalIndex: number) => number;
  readonly #scramble: boolean;
  readonly #sets: boolean;

  constructor(options: FakeRekorV1Options = {}) {
    this.keyName = options.host ?? 'rekor.fake.test';
    this.#privateKey = options.privateKey ?? generateEcdsaP256().privateKey;
    this.signer = ecdsaNoteSigner(this.keyName, this.#privateKey);
    this.vkey = this.signer.vkey;
    this.spkiDer = spkiDer(this.#privateKey);
    this.publicKeyPem = createPublicKey(this.#privateKey)
      .export({ format: 'pem', type: 'spki' })
      .toString();
    this.logIdHex = createHash('sha256').update(this.spkiDer).digest('hex');
    this.#treeIds = options.treeIds ?? [];
    this.#integratedTime = options.integratedTime ?? ((i) => 1_700_000_000 + i);
    this.#scramble = options.scrambleRetrieve ?? true;
    this.#sets = options.signedEntryTimestamps ?? true;
    this.#shards.push(this.#newShard());
  }

  /** Tree IDs, oldest shard first, the active shard last. */
  get treeIds(): string[] {
    return this.#shards.map((s) => s.treeId);
  }

  get activeTreeId(): string {
    return this.#active.treeId;
  }

  /** Global size: every shard's size added up. */
  get size(): number {
    return this.#shards.reduce((sum, s) => sum + s.main.tree.size, 0);
  }

  /** `<host> - <treeId>` (default: the active shard). */
  origin(treeId = this.activeTreeId): string {
    return `${this.keyName} - ${treeId}`;
  }

  /** The main history's tree of a shard (default: active), for expectations and cross-checks. */
  tree(treeId = this.activeTreeId): MerkleTree {
    return this.#shard(treeId).main.tree;
  }

  /** Global offset of a shard's entry 0. */
  offset(treeId: string): number {
    let offset = 0;
    for (const shard of this.#shards) {
      if (shard.treeId === treeId) return offset;
      offset += shard.main.tree.size;
    }
    throw new Error(`no shard ${treeId}`);
  }

  /** Appends entry bodies to the active shard; returns the global index of the first. */
  append(entries: readonly Uint8Array[]): number {
    const first = this.size;
    entries.forEach((entry, i) => this.#push(this.#active.main, first + i, entry));
    return first;
  }

  /**
   * Appends `count` entries `make(globalIndex)` (default: hashedrekord bodies); returns the
   * global index of the first. `make` must be deterministic: the bytes are rebuilt when served.
   */
  grow(count: number, make: (globalIndex: number) => Uint8Array = v1HashedRekordBody): number {
    const first = this.size;
    const view = this.#active.main;
    for (let i = 0; i < count; i++) {
      view.times.push(this.#integratedTime(first + i));
      view.tree.appendGenerated(make, first + i);
    }
    return first;
  }

  /** Freezes the active shard (its checkpoint is signed once, now) and starts a new one. */
  rotateShard(): string {
    const frozen = this.#active;
    frozen.frozenCheckpoint = this.checkpoint(frozen.treeId);
    this.#shards.push(this.#newShard());
    return this.activeTreeId;
  }

  /**
   * Forks the active shard: its first `at` (shard-local) entries, then `entries`, under the same
   * origin. Without `when` the fork replaces the history for every later request; with it, only
   * the requests `when` picks see the fork (a split view).
   */
  fork(options: { at: number; entries?: readonly Uint8Array[]; when?: ViewSelector }): FakeFork {
    const shard = this.#active;
    const view: ShardView = {
      tree: shard.main.tree.prefix(options.at),
      times: shard.main.times.slice(0, options.at),
    };
    const offset = this.offset(shard.treeId);
    const append = (entries: readonly Uint8Array[]) => {
      for (const entry of entries) this.#push(view, offset + view.tree.size, entry);
    };
    append(options.entries ?? []);
    if (options.when === undefined) shard.main = view;
    else shard.forks.push({ view, when: options.when });
    return {
      append,
      get size() {
        return view.tree.size;
      },
    };
  }

  /**
   * Replaces the entry at a global index in place: same sizes, different roots. An inactive
   * shard's cached checkpoint is re-signed over the new root, as a log hiding a rewrite would.
   */
  rewriteHistory(options: { index: number; entry: Uint8Array }): void {
    const { shard, local } = this.#locate(options.index, undefined);
    shard.main.tree.replace(local, options.entry);
    if (shard.frozenCheckpoint !== undefined) {
      shard.frozenCheckpoint = this.checkpoint(shard.treeId);
    }
  }

  /** A freshly signed checkpoint of a shard's main history at `size` (default: its size). */
  checkpoint(treeId = this.activeTreeId, size?: number): string {
    const tree = this.#shard(treeId).main.tree;
    return this.#sign(treeId, tree, size ?? tree.size);
  }

  /** Serves /api/v1/...; undefined for paths it does not own. */
  handle(req: FakeRequest): FakeResponse | undefined {
    const { pathname, searchParams } = req.url;
    if (req.method === 'GET' && pathname === '/api/v1/log') return this.#logInfo(req);
    if (req.method === 'GET' && pathname === '/api/v1/log/proof')
      return this.#proof(req, searchParams);
    if (req.method === 'GET' && pathname === '/api/v1/log/publicKey') {
      return textResponse(this.publicKeyPem, 'application/x-pem-file');
    }
    if (req.method === 'GET' && pathname === '/api/v1/log/entries') {
      const index = canonicalIndex(searchParams.get('logIndex'));
      if (index === undefined) return errorResponse(400, 'logIndex must be a non-negative integer');
      const entry = this.#entryJson(req, index, new Map());
      return entry === undefined ? errorResponse(404, 'entry not found') : jsonResponse(entry);
    }
    if (req.method === 'POST' && pathname === '/api/v1/log/entries/retrieve') {
      return this.#retrieve(req);
    }
    return undefined;
  }

  get #active(): Shard {
    return this.#shards.at(-1) as Shard;
  }

  #push(view: ShardView, globalIndex: number, entry: Uint8Array): void {
    view.times.push(this.#integratedTime(globalIndex));
    view.tree.append(entry);
  }

  #newShard(): Shard {
    const treeId = this.#treeIds[this.#shards.length] ?? randomTreeId();
    if (this.#shards.some((s) => s.treeId === treeId)) throw new Error(`tree ID ${treeId} reused`);
    return { treeId, main: { tree: new MerkleTree(), times: [] }, forks: [] };
  }

  #shard(treeId: string): Shard {
    const shard = this.#shards.find((s) => s.treeId === treeId);
    if (shard === undefined) throw new Error(`no shard ${treeId}`);
    return shard;
  }

  #view(shard: Shard, req: FakeRequest | undefined): ShardView {
    if (req === undefined) return shard.main;
    return shard.forks.find((f) => f.when(req))?.view ?? shard.main;
  }

  /** The shard and shard-local index of a global index, as `req` sees the log. */
  #locate(index: number, req: FakeRequest | undefined): { shard: Shard; local: number } {
    let offset = 0;
    for (const shard of this.#shards) {
      const size = this.#view(shard, req).tree.size;
      if (index < offset + size || shard === this.#active) return { shard, local: index - offset };
      offset += size;
    }
    throw new Error('unreachable: the active shard is last');
  }

  #sign(treeId: string, tree: MerkleTree, size: number): string {
    const root = Buffer.from(tree.root(size)).toString('base64');
    return signNote(`${this.origin(treeId)}\n${size}\n${root}\n`, [this.signer]);
  }

  #shardJson(shard: Shard, req: FakeRequest): Record<string, unknown> {
    const { tree } = this.#view(shard, req);
    return {
      rootHash: Buffer.from(tree.root()).toString('hex'),
      signedTreeHead: shard.frozenCheckpoint ?? this.#sign(shard.treeId, tree, tree.size),
      treeID: shard.treeId,
      treeSize: tree.size,
    };
  }

  #logInfo(req: FakeRequest): FakeResponse {
    const inactive = this.#shards.slice(0, -1).map((s) => this.#shardJson(s, req));
    return jsonResponse({
      ...(inactive.length > 0 && { inactiveShards: inactive }),
      ...this.#shardJson(this.#active, req),
    });
  }

  #proof(req: FakeRequest, params: URLSearchParams): FakeResponse {
    const treeId = params.get('treeID') ?? this.activeTreeId;
    const shard = this.#shards.find((s) => s.treeId === treeId);
    if (shard === undefined) return errorResponse(400, `unknown treeID ${treeId}`);
    const first = params.has('firstSize') ? canonicalIndex(params.get('firstSize')) : 1;
    const last = canonicalIndex(params.get('lastSize'));
    const { tree } = this.#view(shard, req);
    if (first === undefined || last === undefined || first < 1 || first > last) {
      return errorResponse(400, 'firstSize must be >= 1 and <= lastSize');
    }
    if (last > tree.size) return errorResponse(400, 'lastSizeGreaterThanKnown');
    const hashes = first === last ? [] : tree.consistencyProof(first, last);
    return jsonResponse({
      hashes: hashes.map((h) => Buffer.from(h).toString('hex')),
      rootHash: Buffer.from(tree.root()).toString('hex'),
    });
  }

  #retrieve(req: FakeRequest): FakeResponse {
    let query: unknown;
    try {
      query = JSON.parse(req.body);
    } catch {
      return errorResponse(400, 'body is not json');
    }
    const indexes = (query as { logIndexes?: unknown } | null)?.logIndexes;
    if (!Array.isArray(indexes) || !indexes.every((i) => Number.isSafeInteger(i) && i >= 0)) {
      return errorResponse(422, 'logIndexes must be an array of non-negative integers');
    }
    if (indexes.length > RETRIEVE_LIMIT) {
      return errorResponse(422, `at most ${RETRIEVE_LIMIT} queries per request`);
    }
    // One freshly signed checkpoint per shard per response, shared by its entries.
    const checkpoints = new Map<string, string>();
    const found = (indexes as number[])
      .map((i) => this.#entryJson(req, i, checkpoints))
      .filter((e) => e !== undefined);
    if (this.#scramble) found.reverse();
    return jsonResponse(found);
  }

  /** The LogEntry map for a global index, or undefined past the end of the log. */
  #entryJson(
    req: FakeRequest,
    index: number,
    checkpoints: Map<string, string>,
  ): Record<string, unknown> | undefined {
    const { shard, local } = this.#locate(index, req);
    const view = this.#view(shard, req);
    if (local >= view.tree.size) return undefined;
    const { tree } = view;
    const body = Buffer.from(tree.entry(local)).toString('base64');
    const integratedTime = view.times[local] as number;
    let checkpoint = shard.frozenCheckpoint ?? checkpoints.get(shard.treeId);
    if (checkpoint === undefined) {
      checkpoint = this.#sign(shard.treeId, tree, tree.size);
      checkpoints.set(shard.treeId, checkpoint);
    }
    const uuid = treeIdHex(shard.treeId) + Buffer.from(tree.leafHash(local)).toString('hex');
    // RFC 8785 canonical JSON of the four fields, keys already in sorted order.
    const setPayload = JSON.stringify({
      body,
      integratedTime,
      logID: this.logIdHex,
      logIndex: index,
    });
    return {
      [uuid]: {
        body,
        integratedTime,
        logID: this.logIdHex,
        logIndex: index,
        verification: {
          inclusionProof: {
            checkpoint,
            hashes: tree
              .inclusionProof(local, tree.size)
              .map((h) => Buffer.from(h).toString('hex')),
            logIndex: local,
            rootHash: Buffer.from(tree.root()).toString('hex'),
            treeSize: tree.size,
          },
          ...(this.#sets && {
            signedEntryTimestamp: sign(
              'sha256',
              Buffer.from(setPayload),
              this.#privateKey,
            ).toString('base64'),
          }),
        },
      },
    };
  }
}

/** A canonical decimal index, or undefined. */
function canonicalIndex(text: string | null): number | undefined {
  if (text === null || !/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The tree ID as 16 lowercase hex digits, left-padded (sharding.PadToTreeIDLen). */
export function treeIdHex(treeId: string): string {
  return BigInt(treeId).toString(16).padStart(16, '0');
}

/** A random positive int63 in decimal, like Trillian's tree IDs (usually above 2^53). */
function randomTreeId(): string {
  const id = randomBytes(8).readBigUInt64BE() >> 1n;
  return (id === 0n ? 1n : id).toString();
}
