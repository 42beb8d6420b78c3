import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error.js';
import { FetchError } from '../../../../electron/core/errors';
import { MirrorFetcher } from '../../../../electron/monitor/tuf/mirror-fetcher';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Serves the responses in order, one per request (the last one repeats). */
async function serve(...responses: ((res: ServerResponse) => void)[]): Promise<string> {
  let n = 0;
  server = createServer((_req, res) => responses[Math.min(n++, responses.length - 1)]!(res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/timestamp.json`;
}

const ok = (body: string) => (res: ServerResponse) => res.writeHead(200).end(body);
const status = (code: number) => (res: ServerResponse) => res.writeHead(code).end();

function fetcher(retries = 0, timeoutMs = 2000) {
  return new MirrorFetcher({ timeoutMs, retries, retryDelayMs: 0 });
}

describe('MirrorFetcher', () => {
  it('returns the body and records no failure when the mirror answers 200', async () => {
    const f = fetcher();

    const bytes = await f.downloadBytes(await serve(ok('{"signed":{}}')), 1000);

    expect(bytes.toString()).toBe('{"signed":{}}');
    expect(f.lastFailure).toBeUndefined();
  });

  it('retries a 500 and clears the failure when a retry succeeds', async () => {
    const f = fetcher(1);

    const bytes = await f.downloadBytes(await serve(status(500), ok('later')), 1000);

    expect(bytes.toString()).toBe('later');
    expect(f.lastFailure).toBeUndefined();
  });

  it('records TUF_UNREACHABLE and throws DownloadHTTPError when every attempt answers 503', async () => {
    const f = fetcher(2);
    const url = await serve(status(503));

    await expect(f.downloadBytes(url, 1000)).rejects.toBeInstanceOf(DownloadHTTPError);

    expect(f.lastFailure).toBeInstanceOf(FetchError);
    expect(f.lastFailure).toMatchObject({ code: 'TUF_UNREACHABLE', status: 503 });
  });

  it('does not retry a 404, which ends the root walk in tuf-js', async () => {
    const f = fetcher(2);
    const url = await serve(status(404), ok('never reached'));

    await expect(f.downloadBytes(url, 1000)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('records TUF_UNREACHABLE when the connection is refused', async () => {
    const url = await serve(ok(''));
    await new Promise((resolve) => server!.close(resolve));
    const f = fetcher();

    await expect(f.downloadBytes(url, 1000)).rejects.toMatchObject({ code: 'TUF_UNREACHABLE' });
    expect(f.lastFailure?.message).toMatch(/econnrefused/);
  });

  it('records TUF_UNREACHABLE when the body stalls past the timeout', async () => {
    const f = fetcher(0, 200);
    const url = await serve((res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('{"partial":');
    });

    await expect(f.downloadBytes(url, 1000)).rejects.toBeInstanceOf(Error);

    expect(f.lastFailure).toMatchObject({ code: 'TUF_UNREACHABLE' });
  });

  it('records no failure when tuf-js stops reading a body over its length limit', async () => {
    const f = fetcher();

    const download = f.downloadBytes(await serve(ok('x'.repeat(100_000))), 10);

    await expect(download).rejects.toBeInstanceOf(DownloadLengthMismatchError);
    expect(f.lastFailure).toBeUndefined();
  });
});
