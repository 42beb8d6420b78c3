// How the HTTP client names what went wrong with an attempt: a failure worth retrying (network,
// timeout, 5xx, 429, an answer that does not parse) and the FetchError it becomes, Retry-After,
// and the helpers that read or drop an answer's body.
import { FetchError, VerificationError } from '../../core/errors';
import { decodeUtf8Strict, parseCanonicalUint } from '../../core/bytes';

/** A failure worth another attempt, and how long the server asked us to wait (429). */
export class RetryableFailure {
  constructor(
    readonly error: FetchError,
    readonly retryAfterMs?: number,
  ) {}
}

/** The failure of an answer that does not parse: retried, then FetchError RESPONSE_MALFORMED. */
export function malformedAnswer(label: string, detail: string, cause?: unknown): RetryableFailure {
  return new RetryableFailure(
    new FetchError(
      'RESPONSE_MALFORMED',
      `${label}: serving malformed responses (${detail})`,
      undefined,
      cause === undefined ? undefined : { cause },
    ),
  );
}

/** An HTML page (a proxy's or captive portal's) where a log answer was expected. */
export function isHtml(headers: Headers): boolean {
  const type = headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/**
 * Classifies a fetch or body-read failure: the caller's cancellation is rethrown as its reason,
 * our own timer becomes a retryable LOG_TIMEOUT, anything else (refused, reset, a body cut
 * short) a retryable LOG_UNREACHABLE.
 */
export function transportFailure(
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

export function decodeText(bytes: Uint8Array): string {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new VerificationError('RESPONSE_MALFORMED', 'not valid utf-8');
  return text;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new VerificationError('RESPONSE_MALFORMED', `not json: ${detail}`);
  }
}

/** Drops a body we will not read. Not awaited: a cancel may settle late, or never (a tee). */
export function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
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
