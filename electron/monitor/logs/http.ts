// The one HTTP client every log reader uses: per-request timeouts, retries with exponential
// backoff and full jitter, 429 Retry-After, a response size cap enforced while streaming, and a
// User-Agent naming Vigil. A body that does not parse (cut short with a matching Content-Length,
// an HTML page from a proxy or captive portal, bytes that are not what was asked for) is
// retried like a 5xx, with the same backoff and budget: it says nothing about the log, only
// about the path to it. Every failure to get a usable answer is a FetchError (operational);
// what a parser finds wrong with a well-formed answer (a bad signature...) passes through as is.
import { FetchError, VerificationError } from '../../core/errors';
import type { VerificationCode } from '../../../shared/errors';
import { parseCanonicalUint } from '../../core/bytes';
import { USER_AGENT } from '../version';
import { oneShotConnection, type OneShotConnection } from './fresh-connection';
import {
  RetryableFailure,
  decodeText,
  discard,
  isHtml,
  malformedAnswer,
  parseJson,
  parseRetryAfterMs,
  sleepWithSignal,
  transportFailure,
} from './http-failures';

export {
  oneShotConnection,
  withFreshConnections,
  type OneShotConnection,
} from './fresh-connection';
export { parseRetryAfterMs } from './http-failures';

/** Per-request options. */
export interface RequestOptions {
  /** Resolve to undefined on 404 instead of failing with LOG_HTTP_STATUS. */
  readonly allow404?: boolean;
  /** Response size cap in bytes for this request (default: the client's `maxBytes`). */
  readonly maxBytes?: number;
  /** Accept header (defaults: `*\/*` for get/getText, `application/json` for getJson/postJson). */
  readonly accept?: string;
  /** Cancels this request (in addition to the client's own signal). */
  readonly signal?: AbortSignal;
  /**
   * Sends this request, and each retry of it, on a new connection of its own, never a pooled
   * one: for the one re-fetch that confirms an integrity failure, so that a corrupted answer
   * from one connection (a misbehaving proxy, a bad middlebox) is not taken for the log's.
   */
  readonly freshConnection?: boolean;
}

/** A request whose 404 resolves to undefined. */
export type OptionalRequestOptions = RequestOptions & { readonly allow404: true };

/**
 * Parses the answer inside the request's attempt: a VerificationError with a code of
 * MALFORMED_CODES (the answer does not parse) is retried like a 5xx, and once the retries are
 * spent becomes FetchError RESPONSE_MALFORMED. Any other error it throws fails the request at
 * once, unchanged.
 */
export interface Parsing<In, Out> {
  readonly parse: (value: In) => Out;
}

/**
 * The codes of "this answer does not parse": a cut or foreign body, not evidence against the
 * log (a correct signature or a hash contradicting a verified root is; those are never here).
 */
export const MALFORMED_CODES: ReadonlySet<VerificationCode> = new Set<VerificationCode>([
  'RESPONSE_MALFORMED',
  'NOTE_MALFORMED',
  'CHECKPOINT_MALFORMED',
  'PROOF_MALFORMED',
  'TILE_MALFORMED',
  'ENTRY_BUNDLE_MALFORMED',
]);

/** True for an error that says an answer did not parse (see MALFORMED_CODES). */
export function isMalformedAnswer(err: unknown): boolean {
  return err instanceof VerificationError && MALFORMED_CODES.has(err.code);
}

/** What a log reader needs from HTTP. Only status 200 counts as success. */
export interface HttpClient {
  /** The body (through `parse`). Undefined only for a 404 when `allow404` is set. */
  get<T>(
    url: string,
    opts: OptionalRequestOptions & Parsing<Uint8Array, T>,
  ): Promise<T | undefined>;
  get<T>(url: string, opts: RequestOptions & Parsing<Uint8Array, T>): Promise<T>;
  get(url: string, opts: OptionalRequestOptions): Promise<Uint8Array | undefined>;
  get(url: string, opts?: RequestOptions): Promise<Uint8Array>;
  /** The body decoded as strict UTF-8 (malformed otherwise), then through `parse`. */
  getText<T>(
    url: string,
    opts: OptionalRequestOptions & Parsing<string, T>,
  ): Promise<T | undefined>;
  getText<T>(url: string, opts: RequestOptions & Parsing<string, T>): Promise<T>;
  getText(url: string, opts: OptionalRequestOptions): Promise<string | undefined>;
  getText(url: string, opts?: RequestOptions): Promise<string>;
  /** The body parsed as JSON (malformed otherwise), then through `parse`; untyped without it. */
  getJson<T>(
    url: string,
    opts: OptionalRequestOptions & Parsing<unknown, T>,
  ): Promise<T | undefined>;
  getJson<T>(url: string, opts: RequestOptions & Parsing<unknown, T>): Promise<T>;
  getJson(url: string, opts?: RequestOptions): Promise<unknown>;
  /**
   * POSTs `body` as JSON and parses the JSON answer (then through `parse`). Retried like a GET,
   * so use it only for idempotent queries (Rekor's `entries/retrieve`), never for writes.
   */
  postJson<T>(url: string, body: unknown, opts: RequestOptions & Parsing<unknown, T>): Promise<T>;
  postJson(url: string, body: unknown, opts?: RequestOptions): Promise<unknown>;
}

/** Everything is optional; the defaults suit a public log such as rekor.sigstore.dev. */
export interface HttpClientOptions {
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Waits `ms`, rejecting with the signal's reason when it aborts. Defaults to a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. Defaults to Math.random. */
  readonly random?: () => number;
  /** Epoch ms, to turn a Retry-After HTTP date into a delay. Defaults to Date.now. */
  readonly now?: () => number;
  /** Per attempt, covering headers and body (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * A one-shot connection for a `freshConnection` request: fetch options that make the request
   * open a connection of its own, and `close` to drop it after. Defaults to a new dispatcher of
   * Node's fetch (see oneShotConnection).
   */
  readonly newConnection?: () => OneShotConnection | undefined;
  /**
   * Retries after the first attempt, for network errors, timeouts, 5xx, 429 and answers that do
   * not parse (default 4).
   */
  readonly retries?: number;
  /** Backoff before retry n (0-based) is uniform in [0, min(backoffMaxMs, backoffBaseMs·2^n)). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Upper bound on a 429's Retry-After wait (default 60 s). */
  readonly retryAfterMaxMs?: number;
  /** Default response size cap (32 MiB: a full entry bundle is at most 256·(2+65535) bytes). */
  readonly maxBytes?: number;
  readonly userAgent?: string;
  /** Cancels every request of this client, including backoff waits. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 4;
export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_MAX_MS = 30_000;
export const DEFAULT_RETRY_AFTER_MAX_MS = 60_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

interface Attempt {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
  readonly accept: string;
  readonly allow404: boolean;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  readonly freshConnection: boolean;
  /** The body as the caller wants it; throws a malformed error when it does not parse. */
  readonly parse: (body: Uint8Array) => unknown;
}

/**
 * Creates an HttpClient. Cancellation (the client's or the request's signal) rejects with the
 * signal's reason, unwrapped, so the canceller recognises its own abort.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? sleepWithSignal;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const backoffMaxMs = options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const retryAfterMaxMs = options.retryAfterMaxMs ?? DEFAULT_RETRY_AFTER_MAX_MS;
  const defaultMaxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const userAgent = options.userAgent ?? USER_AGENT;
  const newConnection = options.newConnection ?? oneShotConnection;

  async function request(attempt: Attempt): Promise<unknown> {
    for (let n = 0; ; n++) {
      attempt.signal?.throwIfAborted();
      try {
        return await attemptOnce(attempt);
      } catch (err) {
        if (!(err instanceof RetryableFailure)) throw err;
        if (n >= retries) throw err.error;
        const backoffMs = random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** n);
        await sleep(Math.min(err.retryAfterMs ?? backoffMs, retryAfterMaxMs), attempt.signal);
      }
    }
  }

  async function attemptOnce(a: Attempt): Promise<unknown> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = a.signal ? AbortSignal.any([a.signal, timeout.signal]) : timeout.signal;
    const label = `${a.method} ${a.url}`;
    const connection = a.freshConnection ? newConnection() : undefined;
    try {
      const headers: Record<string, string> = { 'user-agent': userAgent, accept: a.accept };
      if (a.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetchFn(a.url, {
          ...connection?.init,
          method: a.method,
          headers,
          body: a.body,
          signal,
        });
      } catch (err) {
        throw transportFailure(err, label, a.signal, timeout.signal);
      }
      const { status } = response;
      if (status === 200) {
        if (isHtml(response.headers) && !/html/i.test(a.accept)) {
          discard(response);
          throw malformedAnswer(label, `content type ${response.headers.get('content-type')}`);
        }
        const body = await readCapped(response, a, label, timeout.signal);
        try {
          return a.parse(body);
        } catch (err) {
          if (isMalformedAnswer(err)) throw malformedAnswer(label, (err as Error).message, err);
          throw err;
        }
      }
      discard(response);
      if (status === 404 && a.allow404) return undefined;
      if (status === 429) {
        const error = new FetchError('LOG_RATE_LIMITED', `${label}: status 429`, status);
        throw new RetryableFailure(error, parseRetryAfterMs(response.headers, now()));
      }
      const error = new FetchError(
        'LOG_HTTP_STATUS',
        `${label}: status ${status}, want 200`,
        status,
      );
      if (status >= 500) throw new RetryableFailure(error);
      throw error;
    } finally {
      clearTimeout(timer);
      connection?.close();
    }
  }

  async function readCapped(
    response: Response,
    a: Attempt,
    label: string,
    timeoutSignal: AbortSignal,
  ): Promise<Uint8Array> {
    const tooLarge = (got: string) =>
      new FetchError(
        'RESPONSE_TOO_LARGE',
        `${label}: body ${got}, want at most ${a.maxBytes} bytes`,
      );
    // Content-Length is only a hint (it may lie or be absent); the stream count is what binds.
    const declared = parseCanonicalUint(response.headers.get('content-length') ?? '');
    if (declared !== undefined && declared > a.maxBytes) {
      discard(response);
      throw tooLarge(`of ${declared} bytes`);
    }
    if (response.body === null) return new Uint8Array(0);
    const reader = response.body.getReader();
    // Chunks are copied into one buffer as they arrive, sized by Content-Length when there is
    // one (a body is then held once, not as its chunks and their concatenation), and grown
    // when the body runs past it.
    let body = new Uint8Array(declared ?? 0);
    let total = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw transportFailure(err, label, a.signal, timeoutSignal);
      }
      if (chunk.done) return total === body.length ? body : body.slice(0, total);
      const bytes = chunk.value;
      if (total + bytes.byteLength > a.maxBytes) {
        reader.cancel().catch(() => undefined);
        throw tooLarge(`of more than ${a.maxBytes} bytes`);
      }
      if (total + bytes.byteLength > body.length) {
        const grown = new Uint8Array(
          Math.min(a.maxBytes, Math.max(2 * body.length, total + bytes.byteLength)),
        );
        grown.set(body.subarray(0, total));
        body = grown;
      }
      body.set(bytes, total);
      total += bytes.byteLength;
    }
  }

  type AnyParse = Partial<Parsing<never, unknown>>;
  const then =
    <In>(read: (body: Uint8Array) => In, opts: AnyParse) =>
    (body: Uint8Array): unknown => {
      const value = read(body);
      return opts.parse === undefined ? value : (opts.parse as (v: In) => unknown)(value);
    };
  const raw = (body: Uint8Array) => body;
  const text = (body: Uint8Array) => decodeText(body);
  const json = (body: Uint8Array) => parseJson(decodeText(body));

  function get(url: string, opts: RequestOptions & AnyParse = {}): Promise<unknown> {
    return request(attemptFor('GET', url, undefined, opts, '*/*', then(raw, opts)));
  }

  function getText(url: string, opts: RequestOptions & AnyParse = {}): Promise<unknown> {
    return request(attemptFor('GET', url, undefined, opts, 'text/plain', then(text, opts)));
  }

  function getJson(url: string, opts: RequestOptions & AnyParse = {}): Promise<unknown> {
    return request(attemptFor('GET', url, undefined, opts, 'application/json', then(json, opts)));
  }

  function postJson(
    url: string,
    body: unknown,
    opts: RequestOptions & AnyParse = {},
  ): Promise<unknown> {
    const payload = JSON.stringify(body);
    return request(attemptFor('POST', url, payload, opts, 'application/json', then(json, opts)));
  }

  function attemptFor(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    opts: RequestOptions,
    defaultAccept: string,
    parse: Attempt['parse'],
  ): Attempt {
    const signals = [options.signal, opts.signal].filter((s) => s !== undefined);
    return {
      method,
      url,
      body,
      accept: opts.accept ?? defaultAccept,
      allow404: opts.allow404 ?? false,
      maxBytes: opts.maxBytes ?? defaultMaxBytes,
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      freshConnection: opts.freshConnection ?? false,
      parse,
    };
  }

  return { get, getText, getJson, postJson } as HttpClient;
}
