import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import {
  createHttpClient,
  parseRetryAfterMs,
  type HttpClientOptions,
} from '../../../../electron/monitor/logs/http';
import { AppError, FetchError, VerificationError } from '../../../../electron/core/errors';
import { VIGIL_VERSION } from '../../../../electron/monitor/version';

type Step = Response | Error | ((init: RequestInit) => Promise<Response>);

/** A fetch that plays `steps` in order (the last one repeats) and records every call. */
function scriptedFetch(...steps: Step[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)] as Step;
    if (step instanceof Response) return step.clone();
    if (step instanceof Error) throw step;
    return step(init);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

/** An HttpClient whose sleeps are recorded, not waited for. */
function client(steps: Step[], options: HttpClientOptions = {}) {
  const { fetch, calls } = scriptedFetch(...steps);
  const sleeps: number[] = [];
  const http = createHttpClient({
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { http, calls, sleeps };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const ok = (body: string | Uint8Array = 'ok', headers?: Record<string, string>) =>
  new Response(body, { status: 200, headers });
const status = (code: number, headers?: Record<string, string>) =>
  new Response('{}', { status: code, headers });
const URL_ = 'https://log.test/api/v1/log';

afterEach(() => {
  vi.useRealTimers();
});

describe('createHttpClient', () => {
  it('returns the body and names Vigil and its version in the User-Agent when the log answers 200', async () => {
    const { http, calls } = client([ok('hello')]);

    const body = await http.get(URL_);

    expect(Buffer.from(body).toString()).toBe('hello');
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers['user-agent']).toBe(
      `vigil/${VIGIL_VERSION} (Sigstore transparency log monitor)`,
    );
    expect(VIGIL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(headers.accept).toBe('*/*');
  });

  it('uses the accept header asked for when one is given', async () => {
    const { http, calls } = client([ok()]);
    await http.get(URL_, { accept: 'text/plain' });
    expect((calls[0]?.init.headers as Record<string, string>).accept).toBe('text/plain');
  });

  it('retries a 5xx `retries` times and then fails with LOG_HTTP_STATUS', async () => {
    const { http, calls } = client([status(503)], { retries: 3 });

    const err = await rejection(http.get(URL_));

    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'LOG_HTTP_STATUS', status: 503 });
    expect(calls).toHaveLength(4);
  });

  it('retries 4 times by default', async () => {
    const { http, calls } = client([status(500)]);
    await rejection(http.get(URL_));
    expect(calls).toHaveLength(5);
  });

  it('returns the body when a retry succeeds after transient failures', async () => {
    const { http, calls } = client([status(502), new TypeError('fetch failed'), ok('fine')]);

    const body = await http.get(URL_);

    expect(Buffer.from(body).toString()).toBe('fine');
    expect(calls).toHaveLength(3);
  });

  it('fails with LOG_UNREACHABLE naming the cause when the connection keeps failing', async () => {
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    const { http, calls } = client([refused], { retries: 2 });

    const err = await rejection(http.get(URL_));

    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'LOG_UNREACHABLE' });
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(calls).toHaveLength(3);
  });

  it('backs off exponentially with full jitter up to the cap', async () => {
    const { http, sleeps } = client([status(500)], {
      retries: 5,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      random: () => 0.75,
    });

    await rejection(http.get(URL_));

    expect(sleeps).toEqual([75, 150, 300, 600, 750]);
  });

  it('keeps every backoff within [0, min(max, base·2^n)) for any jitter draw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 6,
          maxLength: 6,
        }),
        async (draws) => {
          let i = 0;
          const { http, sleeps } = client([status(500)], {
            retries: 6,
            backoffBaseMs: 100,
            backoffMaxMs: 2000,
            random: () => draws[i++] as number,
          });
          await rejection(http.get(URL_));
          sleeps.forEach((ms, n) => {
            expect(ms).toBeGreaterThanOrEqual(0);
            expect(ms).toBeLessThan(Math.min(2000, 100 * 2 ** n));
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('does not retry and fails with LOG_HTTP_STATUS when the log answers another 4xx', async () => {
    const { http, calls } = client([status(400)]);

    const err = await rejection(http.get(URL_));

    expect(err).toMatchObject({ code: 'LOG_HTTP_STATUS', status: 400 });
    expect(calls).toHaveLength(1);
  });

  it('resolves to undefined when the log answers 404 and allow404 is set', async () => {
    const { http, calls } = client([status(404)]);
    await expect(http.get(URL_, { allow404: true })).resolves.toBeUndefined();
    await expect(http.getJson(URL_, { allow404: true })).resolves.toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it('fails with LOG_HTTP_STATUS 404 without retrying when allow404 is not set', async () => {
    const { http, calls } = client([status(404)]);
    await expect(http.get(URL_)).rejects.toMatchObject({ code: 'LOG_HTTP_STATUS', status: 404 });
    expect(calls).toHaveLength(1);
  });

  it('waits the Retry-After seconds when the log answers 429', async () => {
    const { http, sleeps } = client([status(429, { 'retry-after': '7' }), ok()]);
    await http.get(URL_);
    expect(sleeps).toEqual([7000]);
  });

  it('waits until the Retry-After date when the log answers 429 with a date', async () => {
    const nowMs = Date.parse('2026-01-02T03:04:05Z');
    const { http, sleeps } = client(
      [status(429, { 'retry-after': 'Fri, 02 Jan 2026 03:04:17 GMT' }), ok()],
      { now: () => nowMs },
    );
    await http.get(URL_);
    expect(sleeps).toEqual([12_000]);
  });

  it('caps the Retry-After wait at retryAfterMaxMs', async () => {
    const { http, sleeps } = client([status(429, { 'retry-after': '86400' }), ok()], {
      retryAfterMaxMs: 5000,
    });
    await http.get(URL_);
    expect(sleeps).toEqual([5000]);
  });

  it('backs off as for a 5xx when a 429 has no usable Retry-After', async () => {
    const { http, sleeps } = client([status(429, { 'retry-after': 'soon' }), ok()], {
      backoffBaseMs: 100,
    });
    await http.get(URL_);
    expect(sleeps).toEqual([50]);
  });

  it('fails with LOG_RATE_LIMITED when the log keeps answering 429', async () => {
    const { http, calls } = client([status(429, { 'retry-after': '1' })], { retries: 2 });
    await expect(http.get(URL_)).rejects.toMatchObject({ code: 'LOG_RATE_LIMITED', status: 429 });
    expect(calls).toHaveLength(3);
  });

  it('fails with RESPONSE_TOO_LARGE before reading when Content-Length exceeds the cap', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => {
        pulled++;
        c.enqueue(new Uint8Array(10));
      },
    });
    const { http, calls } = client([
      async () => new Response(body, { status: 200, headers: { 'content-length': '2000' } }),
    ]);

    await expect(http.get(URL_, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
    });
    expect(calls).toHaveLength(1);
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('stops reading and fails with RESPONSE_TOO_LARGE when an endless body passes the cap', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => {
        pulled++;
        c.enqueue(new Uint8Array(100));
      },
      cancel: () => {
        cancelled = true;
      },
    });
    const { http, calls } = client([async () => new Response(endless, { status: 200 })]);

    const err = await rejection(http.get(URL_, { maxBytes: 1000 }));

    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(15);
    expect(calls).toHaveLength(1);
  });

  it('accepts a body of exactly the cap', async () => {
    const { http } = client([ok(new Uint8Array(1000))]);
    await expect(http.get(URL_, { maxBytes: 1000 })).resolves.toHaveLength(1000);
  });

  it('uses the client-wide cap when the request sets none', async () => {
    const { http } = client([ok(new Uint8Array(65))], { maxBytes: 64 });
    await expect(http.get(URL_)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });

  it('retries and then succeeds when a body is cut short', async () => {
    const cut = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start: (c) => {
            c.enqueue(new Uint8Array(5));
            c.error(new TypeError('terminated'));
          },
        }),
        { status: 200 },
      );
    const { http, calls } = client([async () => cut(), ok('whole')]);

    const body = await http.get(URL_);

    expect(Buffer.from(body).toString()).toBe('whole');
    expect(calls).toHaveLength(2);
  });

  it('fails with LOG_TIMEOUT after retrying when the log never answers', async () => {
    vi.useFakeTimers();
    const never = (init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const { http, calls } = client([never], { timeoutMs: 5000, retries: 1 });

    const pending = rejection(http.get(URL_));
    await vi.advanceTimersByTimeAsync(5000);
    await vi.advanceTimersByTimeAsync(5000);
    const err = await pending;

    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'LOG_TIMEOUT' });
    expect(calls).toHaveLength(2);
  });

  it('fails with LOG_TIMEOUT when the body stalls after the headers', async () => {
    vi.useFakeTimers();
    const stalled = async (init: RequestInit) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start: (c) => {
            c.enqueue(new Uint8Array(3));
            init.signal?.addEventListener('abort', () => c.error(init.signal?.reason));
          },
        }),
        { status: 200 },
      );
    const { http } = client([stalled], { timeoutMs: 1000, retries: 0 });

    const pending = rejection(http.get(URL_));
    await vi.advanceTimersByTimeAsync(1000);

    expect(await pending).toMatchObject({ code: 'LOG_TIMEOUT' });
  });

  it('rejects with the abort reason and makes no request when the client signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    controller.abort(reason);
    const { http, calls } = client([ok()], { signal: controller.signal });

    await expect(http.get(URL_)).rejects.toBe(reason);
    expect(calls).toHaveLength(0);
  });

  it('rejects with the abort reason when cancelled during a backoff wait', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const { fetch, calls } = scriptedFetch(status(500));
    const http = createHttpClient({
      fetch,
      random: () => 0.5,
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort(reason);
        }),
    });

    await expect(http.get(URL_, { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toHaveLength(1);
  });

  it('rejects with the abort reason when cancelled while the request is in flight', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const hanging = (init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        );
        controller.abort(reason);
      });
    const { http, calls } = client([hanging], { signal: controller.signal });

    await expect(http.get(URL_)).rejects.toBe(reason);
    expect(calls).toHaveLength(1);
  });
});

describe('HttpClient.getJson', () => {
  it('returns the parsed value when the body is JSON', async () => {
    const { http, calls } = client([ok('{"treeSize":3}')]);
    await expect(http.getJson(URL_)).resolves.toEqual({ treeSize: 3 });
    expect((calls[0]?.init.headers as Record<string, string>).accept).toBe('application/json');
  });

  it.each([
    { desc: 'truncated JSON', body: '{"treeSize":' },
    { desc: 'HTML error page', body: '<html>bad gateway</html>' },
    { desc: 'empty body', body: '' },
    { desc: 'invalid UTF-8', body: new Uint8Array([0x7b, 0xff, 0x7d]) },
  ])('retries $desc like a 5xx and returns the answer that parses', async ({ body }) => {
    const { http, calls, sleeps } = client([ok(body), ok('{"treeSize":3}')]);

    await expect(http.getJson(URL_)).resolves.toEqual({ treeSize: 3 });

    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([250]);
  });

  it('fails with FetchError RESPONSE_MALFORMED, a log serving malformed responses, once the retries are spent', async () => {
    const { http, calls, sleeps } = client([ok('{"treeSize":')]);

    const err = await rejection(http.getJson(URL_));

    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'RESPONSE_MALFORMED' });
    expect((err as Error).message).toMatch(
      /^GET https:\/\/log\.test\/api\/v1\/log: serving malformed responses \(not json: /,
    );
    expect(calls).toHaveLength(5);
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('shares one budget between 5xx answers and answers that do not parse', async () => {
    const { http, calls } = client([status(503), ok('<html>'), status(500), ok('['), ok('{}')]);
    await expect(http.getJson(URL_, { parse: () => 'parsed' })).resolves.toBe('parsed');
    expect(calls).toHaveLength(5);

    const spent = client([status(503), ok('<html>'), status(500), ok('['), status(502)]);
    await expect(spent.http.getJson(URL_)).rejects.toMatchObject({ code: 'LOG_HTTP_STATUS' });
    expect(spent.calls).toHaveLength(5);
  });

  it('treats an HTML page as malformed even when it would parse', async () => {
    const page = ok('"captive portal"', { 'content-type': 'text/html; charset=utf-8' });
    const { http, calls } = client([page, ok('"log"', { 'content-type': 'application/json' })]);
    await expect(http.getJson(URL_)).resolves.toBe('log');
    expect(calls).toHaveLength(2);
  });

  it('retries a malformed error from `parse`, and fails at once on any other error it throws', async () => {
    const shape = (json: unknown) => {
      if (typeof json !== 'number')
        throw new VerificationError('RESPONSE_MALFORMED', 'want a number');
      return json;
    };
    const retried = client([ok('"text"'), ok('7')]);
    await expect(retried.http.getJson(URL_, { parse: shape })).resolves.toBe(7);
    expect(retried.calls).toHaveLength(2);

    const contradiction = new VerificationError('NOTE_BAD_SIGNATURE', 'bad signature');
    const failed = client([ok('7')]);
    const err = await rejection(
      failed.http.getJson(URL_, {
        parse: () => {
          throw contradiction;
        },
      }),
    );
    expect(err).toBe(contradiction);
    expect(failed.calls).toHaveLength(1);
  });
});

describe('HttpClient freshConnection', () => {
  it('sends each attempt on a one-shot connection and closes it after', async () => {
    const opened: string[] = [];
    const closed: string[] = [];
    const { http, calls } = client([status(500), ok('ok')], {
      newConnection: () => {
        const name = `c${opened.length}`;
        opened.push(name);
        return { init: { dispatcher: name }, close: () => void closed.push(name) };
      },
    });

    await http.get(URL_, { freshConnection: true });
    expect(opened).toEqual(['c0', 'c1']);
    expect(closed).toEqual(['c0', 'c1']);
    await http.get(URL_);
    expect(opened).toHaveLength(2);
    expect(calls.map((c) => (c.init as { dispatcher?: string }).dispatcher)).toEqual([
      'c0',
      'c1',
      undefined,
    ]);
  });

  it('opens a new TCP connection per request with Node fetch', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => res.end(String(req.socket.remotePort)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const http = createHttpClient({});
      const url = `http://127.0.0.1:${port}/`;
      const text = (opts = {}) => http.getText(url, opts);
      const pooled = [await text(), await text()];
      const fresh = [await text({ freshConnection: true }), await text({ freshConnection: true })];
      expect(new Set([...pooled, ...fresh]).size).toBe(pooled[0] === pooled[1] ? 3 : 4);
      expect(pooled).not.toContain(fresh[0]);
      expect(fresh[0]).not.toBe(fresh[1]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('HttpClient.getText', () => {
  it('returns the body decoded as UTF-8', async () => {
    const { http } = client([ok('log.test\n3\n—\n')]);
    await expect(http.getText(URL_)).resolves.toBe('log.test\n3\n—\n');
  });

  it('fails with RESPONSE_MALFORMED when the body is never UTF-8', async () => {
    const { http } = client([ok(new Uint8Array([0xc3, 0x28]))]);
    await expect(http.getText(URL_)).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });

  it('parses the text inside the attempt: a cut note is retried', async () => {
    const parse = (text: string) => {
      if (!text.endsWith('\n')) throw new VerificationError('NOTE_MALFORMED', 'cut');
      return text.length;
    };
    const { http, calls } = client([ok('log.te'), ok('log.test\n')]);
    await expect(http.getText(URL_, { parse })).resolves.toBe(9);
    expect(calls).toHaveLength(2);
  });
});

describe('HttpClient.postJson', () => {
  it('POSTs the value as JSON and parses the JSON answer', async () => {
    const { http, calls } = client([ok('[]')]);

    await expect(http.postJson(URL_, { logIndexes: [1, 2] })).resolves.toEqual([]);

    const init = calls[0]?.init as RequestInit;
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"logIndexes":[1,2]}');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('retries a 5xx like a GET', async () => {
    const { http, calls } = client([status(500), ok('[]')]);
    await http.postJson(URL_, {});
    expect(calls).toHaveLength(2);
  });
});

describe('parseRetryAfterMs', () => {
  const at = (value: string) => parseRetryAfterMs(new Headers({ 'retry-after': value }), 0);

  it.each([
    { desc: 'delay-seconds', value: '120', want: 120_000 },
    { desc: 'zero seconds', value: '0', want: 0 },
    { desc: 'an IMF-fixdate', value: 'Thu, 01 Jan 1970 00:00:09 GMT', want: 9000 },
    { desc: 'a date in the past', value: 'Wed, 31 Dec 1969 23:59:00 GMT', want: 0 },
    { desc: 'negative seconds', value: '-5', want: undefined },
    { desc: 'fractional seconds', value: '1.5', want: undefined },
    { desc: 'hex', value: '0x10', want: undefined },
    { desc: 'an RFC 850 date', value: 'Thursday, 01-Jan-70 00:00:09 GMT', want: undefined },
    { desc: 'garbage', value: 'later', want: undefined },
  ])('reads $desc', ({ value, want }) => {
    expect(at(value)).toBe(want);
  });

  it('returns undefined when the header is absent', () => {
    expect(parseRetryAfterMs(new Headers(), 0)).toBeUndefined();
  });
});

describe('HttpClient errors', () => {
  it('raises only AppErrors for any status code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), async (code) => {
        const { http } = client(
          [new Response([204, 205, 304].includes(code) ? null : 'x', { status: code })],
          {
            retries: 1,
          },
        );
        try {
          await http.get(URL_);
          expect(code).toBe(200);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 100 },
    );
  });
});
