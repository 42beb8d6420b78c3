// Serves a TufTestRepository over HTTP on 127.0.0.1 only, with switches to fail like a real
// mirror can: answer every request with an HTTP error, or go away entirely.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TufTestRepository } from './tuf-repository';

export interface TufServer {
  /** Mirror URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Paths requested so far, in order (no leading slash). */
  readonly requests: string[];
  /** Answer every request with this HTTP status (e.g. 500) until called with undefined. */
  failWith(status: number | undefined): void;
  /** Stops listening and drops open connections: the mirror is offline. Idempotent. */
  close(): Promise<void>;
}

/** Starts serving `repo` on an ephemeral 127.0.0.1 port; files are read at request time. */
export async function serveTufRepository(repo: TufTestRepository): Promise<TufServer> {
  let failStatus: number | undefined;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1);
    requests.push(path);
    const body = failStatus === undefined ? repo.files.get(path) : undefined;
    if (body === undefined) {
      res.writeHead(failStatus ?? 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failWith(status) {
      failStatus = status;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
