// Where a scan's entries are matched against the watchlist: on the scanning thread, or on a
// worker thread. Matching (parsing entry bodies and certificates) is most of a scan's CPU; on a
// worker it runs on another core beside the fetching and hashing, and the process that hosts
// the monitor (Electron's main process) keeps its thread for the UI and IPC.
import { Worker } from 'node:worker_threads';
import type { IdentifyTrust } from '../../core/identity/identify';
import type { Watch } from '../../core/watch/types';
import { matchEntryBytes, type EntryMatcher, type EntryMatches } from './match-entry';
import type { ScannedEntry } from './tree';

/** One entry of a part that matched a watch or could not be examined. */
export interface MatchedEntry {
  /** Its position in the entries given to `match`. */
  readonly position: number;
  readonly result: EntryMatches;
}

export interface EntryMatching {
  /**
   * Matches `entries` (read from the tree `origin`); returns, in order, those with matches or
   * a problem. Rejects only for a failure of the matching itself (a worker that died), never
   * for an entry's bytes.
   */
  match(entries: readonly ScannedEntry[], origin: string): Promise<readonly MatchedEntry[]>;
}

/** What a matcher is built from: the watches and the Fulcio CAs certificates chain to. */
export interface MatcherSource {
  readonly watches: readonly Watch[];
  readonly trust: IdentifyTrust;
}

/** Matching on the calling thread. */
export function matchOnThisThread(matcher: EntryMatcher): EntryMatching {
  return {
    match: async (entries, origin) =>
      matchEach(
        matcher,
        origin,
        entries.length,
        (i) => (entries[i] as ScannedEntry).bytes,
        (i) => (entries[i] as ScannedEntry).integratedTimeMs,
      ),
  };
}

/** A part of a scan as it crosses to the worker: the entries' bytes end to end. */
export interface PackedEntries {
  readonly origin: string;
  readonly bytes: Uint8Array;
  /** Where each entry ends in `bytes`. */
  readonly ends: Uint32Array;
  /** Each entry's integrated time in ms, NaN where it has none (all of Rekor v2's). */
  readonly times: Float64Array;
}

/** Request to the worker; `source` when the watchlist changed since its last request. */
export interface MatchRequest extends PackedEntries {
  readonly id: number;
  readonly source?: MatcherSource;
  /** packEntries' buffers: moved to the worker, and back with its reply (see match-worker.ts). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly ends: Uint32Array<ArrayBuffer>;
  readonly times: Float64Array<ArrayBuffer>;
}

export type MatchReply =
  | { readonly id: number; readonly matched: readonly MatchedEntry[] }
  | {
      readonly id: number;
      readonly failure: { readonly message: string; readonly stack?: string };
    };

/** Copies the entries' bytes into one buffer, which is then moved (not copied) to the worker. */
export function packEntries(entries: readonly ScannedEntry[]): {
  bytes: Uint8Array<ArrayBuffer>;
  ends: Uint32Array<ArrayBuffer>;
  times: Float64Array<ArrayBuffer>;
} {
  let length = 0;
  for (const entry of entries) length += entry.bytes.length;
  const bytes = new Uint8Array(length);
  const ends = new Uint32Array(entries.length);
  const times = new Float64Array(entries.length);
  let at = 0;
  entries.forEach((entry, i) => {
    bytes.set(entry.bytes, at);
    at += entry.bytes.length;
    ends[i] = at;
    times[i] = entry.integratedTimeMs ?? NaN;
  });
  return { bytes, ends, times };
}

/** Matches every packed entry: what the worker does with a request. */
export function matchPacked(matcher: EntryMatcher, part: PackedEntries): MatchedEntry[] {
  const { bytes, ends, times } = part;
  return matchEach(
    matcher,
    part.origin,
    ends.length,
    (i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], ends[i]),
    (i) => (Number.isNaN(times[i]) ? undefined : times[i]),
  );
}

/** Matches entries 0..count-1 of `origin`; returns those with matches or a problem. */
function matchEach(
  matcher: EntryMatcher,
  origin: string,
  count: number,
  bytesAt: (i: number) => Uint8Array,
  timeAt: (i: number) => number | undefined,
): MatchedEntry[] {
  const matched: MatchedEntry[] = [];
  // One context object for every entry without an integrated time.
  const untimed = { origin };
  for (let position = 0; position < count; position++) {
    const integratedTimeMs = timeAt(position);
    const result = matchEntryBytes(
      matcher,
      bytesAt(position),
      integratedTimeMs === undefined ? untimed : { origin, integratedTimeMs },
    );
    if (result.matches.length > 0 || result.problem !== undefined) {
      matched.push({ position, result });
    }
  }
  return matched;
}

/**
 * One worker thread that matches scan parts (see match-worker.ts), started at the first
 * request. Requests are answered in order. A worker that dies fails its pending requests and
 * is replaced at the next one.
 */
export class MatchWorker {
  readonly #url: URL;
  #worker: Worker | undefined;
  /** The source the current worker last received. */
  #sent: MatcherSource | undefined;
  #nextId = 0;
  readonly #pending = new Map<
    number,
    { resolve: (m: readonly MatchedEntry[]) => void; reject: (e: Error) => void }
  >();

  /** `url`: the worker script (the built match-worker.js, or a launcher that loads the .ts). */
  constructor(url: URL) {
    this.#url = url;
  }

  /** Matching against `source` on this worker. */
  matching(source: MatcherSource): EntryMatching {
    return { match: (entries, origin) => this.#request(source, entries, origin) };
  }

  /** Stops the worker; pending requests fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#failAll(worker, new Error('the matching worker was closed'));
    await worker.terminate();
  }

  #request(
    source: MatcherSource,
    entries: readonly ScannedEntry[],
    origin: string,
  ): Promise<readonly MatchedEntry[]> {
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    const packed = packEntries(entries);
    const request: MatchRequest = {
      id,
      origin,
      ...packed,
      ...(this.#sent !== source && { source }),
    };
    this.#sent = source;
    return new Promise((resolve, reject) => {
      try {
        worker.postMessage(request, [packed.bytes.buffer, packed.ends.buffer, packed.times.buffer]);
      } catch (err) {
        // Not sent (a source that cannot be cloned): the worker has nothing of it.
        if (request.source !== undefined) this.#sent = undefined;
        return reject(err instanceof Error ? err : new Error(String(err)));
      }
      this.#pending.set(id, { resolve, reject });
      // An idle worker must not keep the process alive; one with work must (see #start).
      worker.ref();
    });
  }

  #start(): Worker {
    const worker = new Worker(this.#url, {
      // Its heap holds one part and its parse: small, and short-lived.
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    worker.on('message', (reply: MatchReply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if ('matched' in reply) pending.resolve(reply.matched);
      else {
        const err = new Error(`matching failed: ${reply.failure.message}`);
        if (reply.failure.stack !== undefined) err.stack = reply.failure.stack;
        pending.reject(err);
      }
    });
    worker.on('error', (err) => this.#failAll(worker, err));
    worker.on('exit', (code) =>
      this.#failAll(worker, new Error(`the matching worker exited with code ${code}`)),
    );
    return worker;
  }

  /** Fails every pending request of `worker` and forgets it, so the next request starts anew. */
  #failAll(worker: Worker, err: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#sent = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(err);
  }
}
