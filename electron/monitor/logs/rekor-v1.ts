// Reader for a Rekor v1 log's REST API (sigstore/rekor openapi.yaml; FORMATS.md §1): log info
// with shards, consistency proofs, and entries by global index. It parses strictly and verifies
// nothing: checkpoints, proofs and SETs are the caller's to verify.
import { InputError, VerificationError } from '../../core/errors';
import { readArray } from '../../core/entries/rekor-v1-fields';
import { parseRekorV1LogEntry, type RekorV1Entry } from '../../core/entries/rekor-v1-entry';
import { isMalformedAnswer, withFreshConnections, type HttpClient } from './http';
import { isTreeId, parseRekorV1ConsistencyProof, parseRekorV1LogInfo } from './rekor-v1-responses';
import { requireIndex, type RekorV1LogInfo } from './rekor-v1-shards';

export type { RekorV1Entry, RekorV1InclusionProof } from '../../core/entries/rekor-v1-entry';
export {
  globalToShard,
  shardOffsets,
  type RekorV1LogInfo,
  type ShardInfo,
  type ShardLocation,
  type ShardOffset,
} from './rekor-v1-shards';

/** Rekor refuses a retrieve query with more than 10 items in total (HTTP 422). */
export const RETRIEVE_BATCH_SIZE = 10;

export interface RekorV1ClientOptions {
  /** e.g. `https://rekor.sigstore.dev` (a trailing slash is ignored). */
  readonly baseUrl: string;
  readonly http: HttpClient;
  /** Retrieve requests in flight at once (default 8). */
  readonly concurrency?: number;
}

export interface RekorV1Client {
  /** `GET /api/v1/log`: the active shard and the inactive ones, oldest first. */
  getLogInfo(): Promise<RekorV1LogInfo>;
  /**
   * `GET /api/v1/log/proof`: hashes proving the shard's tree of size `firstSize` is a prefix of
   * the one of size `lastSize` (shard-local sizes; `treeId` selects an inactive shard, default the
   * active one). Not verified: check it against two verified checkpoints. Returns [] without a
   * request when `firstSize` is 0 or equals `lastSize`, where the only valid proof is empty.
   * Requires 0 <= firstSize <= lastSize (InputError).
   */
  getConsistencyProof(firstSize: number, lastSize: number, treeId?: string): Promise<Uint8Array[]>;
  /**
   * `GET /api/v1/log/entries?logIndex=`: the entry at a global index. A 404 is a FetchError
   * LOG_HTTP_STATUS; an entry with another logIndex is VerificationError ENTRY_MISMATCH.
   */
  getEntry(globalIndex: number): Promise<RekorV1Entry>;
  /**
   * `POST /api/v1/log/entries/retrieve` in batches of 10, `concurrency` at a time. Results are
   * matched by logIndex, since the server neither keeps request order nor reports misses.
   * Indexes the server did not return are absent from the map: the caller decides whether that
   * is lag or withholding. An entry that was not asked for is ENTRY_MISMATCH; an answer with the
   * same index twice is malformed (retried, then FetchError RESPONSE_MALFORMED). The first failed
   * batch fails the call.
   */
  retrieveEntries(globalIndexes: readonly number[]): Promise<Map<number, RekorV1Entry>>;
  /** The same client with every request on a fresh connection (to confirm a failure). */
  onFreshConnections(): RekorV1Client;
}

/** Creates a Rekor v1 reader over `http`. */
export function createRekorV1Client(options: RekorV1ClientOptions): RekorV1Client {
  const base = options.baseUrl.replace(/\/+$/, '');
  const { http } = options;
  const concurrency = options.concurrency ?? 8;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new InputError('INVALID_INPUT', `concurrency ${concurrency}, want an integer >= 1`);
  }

  async function getLogInfo(): Promise<RekorV1LogInfo> {
    return http.getJson(`${base}/api/v1/log`, { parse: parseRekorV1LogInfo });
  }

  async function getConsistencyProof(
    firstSize: number,
    lastSize: number,
    treeId?: string,
  ): Promise<Uint8Array[]> {
    requireIndex(firstSize);
    requireIndex(lastSize);
    if (firstSize > lastSize) {
      throw new InputError('INVALID_INPUT', `firstSize ${firstSize} above lastSize ${lastSize}`);
    }
    if (treeId !== undefined && !isTreeId(treeId)) {
      throw new InputError('INVALID_INPUT', `tree ID ${JSON.stringify(treeId)}, want decimal`);
    }
    if (firstSize === 0 || firstSize === lastSize) return [];
    const query = new URLSearchParams({ firstSize: `${firstSize}`, lastSize: `${lastSize}` });
    if (treeId !== undefined) query.set('treeID', treeId);
    return http.getJson(`${base}/api/v1/log/proof?${query}`, {
      parse: parseRekorV1ConsistencyProof,
    });
  }

  async function getEntry(globalIndex: number): Promise<RekorV1Entry> {
    requireIndex(globalIndex);
    const entry = await http.getJson(`${base}/api/v1/log/entries?logIndex=${globalIndex}`, {
      parse: parseEntry,
    });
    if (entry.logIndex !== globalIndex) throw notAsked(entry, [globalIndex]);
    return entry;
  }

  async function retrieveBatch(
    batch: readonly number[],
    into: Map<number, RekorV1Entry>,
  ): Promise<void> {
    const found = await http.postJson(
      `${base}/api/v1/log/entries/retrieve`,
      { logIndexes: batch },
      { parse: parseRetrieved },
    );
    const asked = new Set(batch);
    for (const entry of found.values()) {
      if (!asked.has(entry.logIndex)) throw notAsked(entry, batch);
    }
    for (const [index, entry] of found) into.set(index, entry);
  }

  async function retrieveEntries(
    globalIndexes: readonly number[],
  ): Promise<Map<number, RekorV1Entry>> {
    globalIndexes.forEach(requireIndex);
    const unique = [...new Set(globalIndexes)];
    const batches: number[][] = [];
    for (let i = 0; i < unique.length; i += RETRIEVE_BATCH_SIZE) {
      batches.push(unique.slice(i, i + RETRIEVE_BATCH_SIZE));
    }
    const result = new Map<number, RekorV1Entry>();
    let next = 0;
    let failed = false;
    // A fixed pool of workers pulling batches keeps exactly `concurrency` requests in flight.
    const worker = async () => {
      while (!failed && next < batches.length) {
        const batch = batches[next++] as number[];
        try {
          await retrieveBatch(batch, result);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    const workers = Array.from({ length: Math.min(concurrency, batches.length) }, worker);
    await Promise.all(workers);
    return result;
  }

  let fresh: RekorV1Client | undefined;
  const onFreshConnections = () =>
    (fresh ??= createRekorV1Client({ ...options, http: withFreshConnections(http) }));

  return { getLogInfo, getConsistencyProof, getEntry, retrieveEntries, onFreshConnections };
}

/**
 * parseRekorV1LogEntry, keeping the entry as received (its JSON) with an error that is not
 * about syntax (a body that does not match its uuid): that is evidence against the log.
 */
function parseEntry(json: unknown): RekorV1Entry {
  let entry: RekorV1Entry;
  try {
    entry = parseRekorV1LogEntry(json);
  } catch (err) {
    if (!(err instanceof VerificationError) || isMalformedAnswer(err)) throw err;
    throw new VerificationError(
      err.code,
      err.message,
      { ...err.evidence, received: JSON.stringify(json) },
      { cause: err },
    );
  }
  // Saved old entries may lack it; every live Rekor v1 attaches one (since sigstore/rekor#1015).
  if (entry.inclusionProof && entry.inclusionProof.checkpoint === undefined) {
    throw new VerificationError(
      'RESPONSE_MALFORMED',
      `entry ${entry.logIndex}: inclusion proof without a checkpoint`,
    );
  }
  return entry;
}

/** A retrieve answer by logIndex; the same index twice is RESPONSE_MALFORMED. */
function parseRetrieved(json: unknown): Map<number, RekorV1Entry> {
  const found = new Map<number, RekorV1Entry>();
  readArray(json, 'retrieve').forEach((item) => {
    const entry = parseEntry(item);
    if (found.has(entry.logIndex)) {
      throw new VerificationError(
        'RESPONSE_MALFORMED',
        `retrieve: logIndex ${entry.logIndex} returned twice`,
      );
    }
    found.set(entry.logIndex, entry);
  });
  return found;
}

function notAsked(entry: RekorV1Entry, asked: readonly number[]): VerificationError {
  return new VerificationError(
    'ENTRY_MISMATCH',
    `log returned entry at logIndex ${entry.logIndex}, want one of ${asked.join(', ')}`,
    { uuid: entry.uuid, logIndex: entry.logIndex, asked: [...asked] },
  );
}
