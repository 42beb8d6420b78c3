// The HTTP side of the TUF client: a tuf-js fetcher over Node's fetch that remembers whether the
// most recent download failed for network reasons. tuf-js wraps some download errors into plain
// RuntimeErrors, so without this record "mirror unreachable" and "mirror served bad metadata"
// would be indistinguishable, and that distinction is the one this app cares most about.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseFetcher } from 'tuf-js';
import { DownloadHTTPError } from 'tuf-js/dist/error.js';
import { FetchError } from '../../core/errors';

export interface MirrorFetcherOptions {
  /** Per request, including the body. */
  readonly timeoutMs: number;
  /** Extra attempts after a network error, a timeout, a 429 or a 5xx. */
  readonly retries: number;
  /** Delay before the first retry; doubles on each further one. */
  readonly retryDelayMs?: number;
  readonly userAgent?: string;
}

/**
 * A tuf-js `Fetcher` that downloads with `fetch`, retries transient failures, and records in
 * `lastFailure` the FetchError (TUF_UNREACHABLE) of the latest request, cleared when a request
 * succeeds. Length limits and hash checks stay with tuf-js (BaseFetcher.downloadFile).
 */
export class MirrorFetcher extends BaseFetcher {
  #lastFailure: FetchError | undefined;
  readonly #options: MirrorFetcherOptions;

  constructor(options: MirrorFetcherOptions) {
    super();
    this.#options = options;
  }

  /** Why the latest request failed to deliver bytes, or undefined if it did not fail. */
  get lastFailure(): FetchError | undefined {
    return this.#lastFailure;
  }

  override async fetch(url: string): Promise<NodeJS.ReadableStream> {
    const { retries, retryDelayMs = 500 } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#fetchOnce(url);
      } catch (err) {
        const transient = !(err instanceof DownloadHTTPError) || isTransientStatus(err.statusCode);
        if (!transient || attempt >= retries) throw err;
        await sleep(retryDelayMs * 2 ** attempt);
      }
    }
  }

  async #fetchOnce(url: string): Promise<NodeJS.ReadableStream> {
    this.#lastFailure = undefined;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'user-agent': this.#options.userAgent ?? 'vigil' },
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (err) {
      throw this.#unreachable(url, err);
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      this.#lastFailure = new FetchError(
        'TUF_UNREACHABLE',
        `GET ${url}: http status ${response.status}, want 200`,
        response.status,
      );
      // tuf-js needs its own class here: a 403/404 on <N>.root.json ends the root walk.
      throw new DownloadHTTPError(this.#lastFailure.message, response.status);
    }
    const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    return Readable.from(this.#recordingErrors(url, body));
  }

  /**
   * Passes the body through, recording a connection cut or timeout while it streams (which
   * surfaces inside tuf-js's read loop) as unreachability. Only errors from reading the body are
   * recorded: when tuf-js stops early (length limit), the abort it causes arrives at the yield.
   */
  async *#recordingErrors(url: string, body: Readable): AsyncGenerator<Buffer> {
    const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (err) {
          throw this.#unreachable(url, err);
        }
        if (next.done === true) return;
        yield next.value;
      }
    } finally {
      await chunks.return?.();
    }
  }

  #unreachable(url: string, err: unknown): FetchError {
    const message = `GET ${url}: ${describe(err)}`;
    this.#lastFailure = new FetchError('TUF_UNREACHABLE', message, undefined, { cause: err });
    return this.#lastFailure;
  }
}

function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, timeout) in cause.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`.toLowerCase();
}
