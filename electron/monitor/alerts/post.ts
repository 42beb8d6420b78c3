// A single HTTP request for alert channels: a POST, or the GET a channel makes to look before it
// posts. No retries here: the outbox retries with backoff, so a retry layer below it would
// multiply attempts.
import { FetchError } from '../../core/errors';

export type FetchLike = typeof fetch;

export interface PostOptions {
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** POSTs `body` (already serialised) and resolves with the response text; throws FetchError on failure. */
export function postBody(url: string, body: string, options: PostOptions = {}): Promise<string> {
  return send('POST', url, body, options);
}

/** GETs `url` and resolves with the response text; throws FetchError on failure. */
export function getBody(url: string, options: PostOptions = {}): Promise<string> {
  return send('GET', url, undefined, options);
}

async function send(
  method: 'GET' | 'POST',
  url: string,
  body: string | undefined,
  options: PostOptions,
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      ...(body !== undefined && { body }),
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      redirect: 'error',
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    throw new FetchError(
      timedOut ? 'LOG_TIMEOUT' : 'LOG_UNREACHABLE',
      `${method} ${redact(url)}: ${timedOut ? 'timed out' : err instanceof Error ? err.message : String(err)}`,
      undefined,
      { cause: err },
    );
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new FetchError(
      response.status === 429 ? 'LOG_RATE_LIMITED' : 'LOG_HTTP_STATUS',
      `${method} ${redact(url)}: status ${response.status}`,
      response.status,
    );
  }
  return text;
}

/** Webhook URLs carry secrets in their path (Slack): never put one whole into a message. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid url>';
  }
}
