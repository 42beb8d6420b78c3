// The one HTTP client every log reader uses: per-request timeouts, retries with exponential
// backoff and full jitter, 429 Retry-After, a response size cap enforced while streaming, and a
// User-Agent naming Vigil. Failures become FetchError (could not get data) or, for bodies that
// are not what the content type promises, VerificationError(RESPONSE_MALFORMED).
import { FetchError, VerificationError } from '../../core/errors';
import { decodeUtf8Strict, parseCanonicalUint } from '../../core/bytes';
import { USER_AGENT } from '../version';

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
}

/** A request whose 404 resolves to undefined. */
export type OptionalRequestOptions = RequestOptions & { readonly allow404: true };

/** What a log reader needs from HTTP. Only status 200 counts as success. */
export interface HttpClient {
  /** The response body. Undefined only for a 404 when `allow404` is set. */
  get(url: string, opts: OptionalRequestOptions): Promise<Uint8Array | undefined>;
  get(url: string, opts?: RequestOptions): Promise<Uint8Array>;
  /** The body decoded as strict UTF-8 (RESPONSE_MALFORMED otherwise). */
  getText(url: string, opts: OptionalRequestOptions): Promise<string | undefined>;
  getText(url: string, opts?: RequestOptions): Promise<string>;
  /** The body parsed as JSON (RESPONSE_MALFORMED otherwise). The value is untyped: parse it. */
  getJson(url: string, opts: OptionalRequestOptions): Promise<unknown>;
  getJson(url: string, opts?: RequestOptions): Promise<unknown>;
  /**
   * POSTs `body` as JSON and parses the JSON answer. Retried like a GET, so use it only for
   * idempotent queries (Rekor's `entries/retrieve`), never for writes.
   */
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
  /** Retries after the first attempt, for network errors, timeouts, 5xx and 429 (default 4). */
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

/** A failure worth another attempt, and how long the server asked us to wait (429). */
class RetryableFailure {
  constructor(
    readonly error: FetchError,
    readonly retryAfterMs?: number,
  ) {}
}

interface Attempt {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly body?: string;
  readonly accept: string;
  readonly allow404: boolean;
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
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

  async function request(attempt: Attempt): Promise<Uint8Array | undefined> {
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

  async function attemptOnce(a: Attempt): Promise<Uint8Array | undefined> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = a.signal ? AbortSignal.any([a.signal, timeout.signal]) : timeout.signal;
    const label = `${a.method} ${a.url}`;
    try {
      const headers: Record<string, string> = { 'user-agent': userAgent, accept: a.accept };
      if (a.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await fetchFn(a.url, { method: a.method, headers, body: a.body, signal });
      } catch (err) {
        throw transportFailure(err, label, a.signal, timeout.signal);
      }
      const { status } = response;
      if (status === 200) return await readCapped(response, a, label, timeout.signal);
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

  function get(url: string, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    return request(attemptFor('GET', url, undefined, opts, '*/*'));
  }

  async function getText(url: string, opts: RequestOptions = {}): Promise<string | undefined> {
    const bytes = await request(attemptFor('GET', url, undefined, opts, 'text/plain'));
    return bytes === undefined ? undefined : decodeText(bytes, url);
  }

  async function getJson(url: string, opts: RequestOptions = {}): Promise<unknown> {
    const bytes = await request(attemptFor('GET', url, undefined, opts, 'application/json'));
    return bytes === undefined ? undefined : parseJson(decodeText(bytes, url), url);
  }

  async function postJson(url: string, body: unknown, opts: RequestOptions = {}): Promise<unknown> {
    const json = JSON.stringify(body);
    const bytes = await request(attemptFor('POST', url, json, opts, 'application/json'));
    return bytes === undefined ? undefined : parseJson(decodeText(bytes, url), url);
  }

  function attemptFor(
    method: 'GET' | 'POST',
    url: string,
    body: string | undefined,
    opts: RequestOptions,
    defaultAccept: string,
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
    };
  }

  return { get, getText, getJson, postJson } as HttpClient;
}

/**
 * Classifies a fetch or body-read failure: the caller's cancellation is rethrown as its reason,
 * our own timer becomes a retryable LOG_TIMEOUT, anything else (refused, reset, a body cut
 * short) a retryable LOG_UNREACHABLE.
 */
function transportFailure(
  err: unknown,
  label: string,
  callerSignal: AbortSignal | undefined,
  timeoutSignal: AbortSignal,
): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (timeoutSignal.aborted) {
    return new RetryableFailure(
      new FetchError('LOG_TIMEOUT', `${label}: timed out`, undefined, { cause: err }),
    );
  }
  const detail = err instanceof Error ? describeCause(err) : String(err);
  return new RetryableFailure(
    new FetchError('LOG_UNREACHABLE', `${label}: ${detail}`, undefined, { cause: err }),
  );
}

/** Node's fetch says "fetch failed" and hides the useful part (ECONNREFUSED…) in `cause`. */
function describeCause(err: Error): string {
  const cause: unknown = err.cause;
  if (cause instanceof Error && cause.message !== '') return `${err.message}: ${cause.message}`;
  return err.message;
}

const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Retry-After (RFC 9110 §10.2.3) as a delay in ms: delay-seconds or an IMF-fixdate. Undefined
 * when absent or unparsable (the caller then backs off as for a 5xx).
 */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (value === undefined) return undefined;
  const seconds = parseCanonicalUint(value);
  if (seconds !== undefined) return seconds * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  const atMs = Date.parse(value);
  return Number.isNaN(atMs) ? undefined : Math.max(0, atMs - nowMs);
}

function decodeText(bytes: Uint8Array, url: string): string {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) {
    throw new VerificationError('RESPONSE_MALFORMED', `response from ${url} is not valid utf-8`);
  }
  return text;
}

function parseJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new VerificationError(
      'RESPONSE_MALFORMED',
      `response from ${url} is not json: ${detail}`,
    );
  }
}

/** Drops a body we will not read. Not awaited: a cancel may settle late, or never (a tee). */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
