// The fake log's HTTP server on 127.0.0.1 (random port): routes requests to the Rekor v1 log and
// the tlog-tiles logs, applies injected faults, and counts requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeRekorV1, type FakeRekorV1Options } from './fake-rekor-v1';
import { FakeTilesLog, type FakeTilesLogOptions } from './fake-tiles-log';
import { errorResponse, type FakeRequest, type FakeResponse } from './http-types';

/**
 * Something to do instead of (or on top of) the normal answer, for the requests it matches.
 * Applied in this order: delayMs, hang, then the answer (oversizeBytes, else status/body, else
 * the real answer with headers/transform), then halve or truncate.
 */
export interface Fault {
  /** A RegExp is tested against `<METHOD> <path and query>`, e.g. `POST /api/v1/log/entries/retrieve`. */
  readonly match: RegExp | ((req: FakeRequest) => boolean);
  /** How many matching requests to affect; undefined = every one. Counts down. */
  times?: number;
  /**
   * Affect only every Nth matching request (the Nth, 2Nth, ...), counting every request the
   * fault matches, whether or not another fault answered it: `{ match: /./, every: 7 }` is
   * "every 7th response". Faults earlier in the list win when several fall on one request.
   */
  readonly every?: number;
  /** Requests this fault answered so far (set by the server). */
  applied?: number;
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the log closes. */
  readonly hang?: boolean;
  /** Answer with this status (body: `body`, or a Rekor-style error JSON). */
  readonly status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer 200 (or `status`) with exactly this body, e.g. malformed JSON. */
  readonly body?: string | Uint8Array;
  /** Rewrites the real answer's body text (to corrupt one field of an otherwise real answer). */
  readonly transform?: (body: string, req: FakeRequest) => string;
  /** Rewrites the real answer's bytes (for binary answers: tiles, entry bundles). */
  readonly transformBytes?: (body: Uint8Array, req: FakeRequest) => Uint8Array;
  /** Send the real Content-Length but only half of the body, then reset the connection. */
  readonly truncate?: boolean;
  /**
   * Send only the first half of the body, with a Content-Length that says that is all: a
   * complete HTTP answer whose body is cut (as a proxy or a CDN can serve it).
   */
  readonly halve?: boolean;
  /** Answer 200 with a body of this many bytes. */
  readonly oversizeBytes?: number;
}

/**
 * How a deployment names its checkpoint keys and origins after its own URL (FORMATS.md §1.3,
 * §2.1). Rekor v1 signs origin `<name> - <tree ID>` under key name `<name>`, its configured
 * `rekor_server.hostname` (sigstore/rekor pkg/util/checkpoint.go): `rekor.sigstore.dev` in
 * production, `localhost:8000` in sigstore-conformance, a machine name by default. Rekor v2
 * signs under its origin, the `--hostname` flag of rekor-tiles: sigstore-go expects the URL's
 * hostname (pkg/verify/tlog.go), a local deployment may say `host:port`.
 */
export interface FakeLogNaming {
  /** The Rekor v1 key name: the URL's hostname, its host:port, or another name. */
  readonly v1: 'hostname' | 'host:port' | { readonly name: string };
  /** The first tlog-tiles log's origin (and key name): the URL's hostname, or its host:port. */
  readonly v2: 'hostname' | 'host:port';
}

/** The v1 key name and v2 origin that `naming` gives a log at `url`. */
export function namesFor(url: string, naming: FakeLogNaming): { v1: string; v2: string } {
  const { hostname, host } = new URL(url);
  const pick = (n: 'hostname' | 'host:port') => (n === 'hostname' ? hostname : host);
  return {
    v1: typeof naming.v1 === 'string' ? pick(naming.v1) : naming.v1.name,
    v2: pick(naming.v2),
  };
}

/**
 * Options, or a function of the server's URL returning them: use it to name keys and origins
 * after the real address (`v1: (url) => ({ host: new URL(url).host })`), or say `naming`.
 */
export interface FakeLogOptions {
  readonly v1?: FakeRekorV1Options | ((url: string) => FakeRekorV1Options);
  readonly v2?: FakeTilesLogOptions | ((url: string) => FakeTilesLogOptions);
  /**
   * Name the v1 key (and origins) and the first tiles log's origin after the server's URL this
   * way, unless `v1.host` or `v2.origin` say otherwise.
   */
  readonly naming?: FakeLogNaming;
}

/** Request counters; `reset()` starts afresh. */
export interface FakeLogStats {
  readonly requests: readonly FakeRequest[];
  /** Requests so far, or those whose `<METHOD> <path>` matches. */
  count(match?: RegExp): number;
  readonly inFlight: number;
  /** Highest number of requests being answered at once since the last reset. */
  readonly maxInFlight: number;
  reset(): void;
}

export interface FakeLog {
  /** `http://127.0.0.1:<port>` (no trailing slash): Rekor v1 base URL. */
  readonly url: string;
  readonly v1: FakeRekorV1;
  /** The first tlog-tiles log; its URL is `url + v2.prefix`. */
  readonly v2: FakeTilesLog;
  /** Every tlog-tiles log, `v2` first. */
  readonly tilesLogs: readonly FakeTilesLog[];
  /** Serves another tlog-tiles log under its own prefix (a new v2 shard, e.g. log2026-1). */
  addTilesLog(options: FakeTilesLogOptions & { prefix: string }): FakeTilesLog;
  /** Push faults here; the first matching one with `times` left applies. */
  readonly faults: Fault[];
  readonly stats: FakeLogStats;
  close(): Promise<void>;
}

/** Starts a fake Rekor v1 + tlog-tiles log server on a random loopback port. */
export async function startFakeLog(options: FakeLogOptions = {}): Promise<FakeLog> {
  // Assigned once the server listens (the options may depend on its URL); no request can
  // arrive before that.
  // eslint-disable-next-line prefer-const -- the routes close over it before it is assigned
  let v1!: FakeRekorV1;
  const tilesLogs: FakeTilesLog[] = [];
  const faults: Fault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let requests: FakeRequest[] = [];
  const seen = new WeakMap<Fault, number>();
  const connections = new WeakMap<object, number>();
  let inFlight = 0;
  let maxInFlight = 0;

  const route = (req: FakeRequest): FakeResponse =>
    v1.handle(req) ??
    tilesLogs.reduce<FakeResponse | undefined>(
      (found, log) => found ?? log.handle(req),
      undefined,
    ) ??
    errorResponse(404, `no route for ${req.method} ${req.path}`);

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function serve(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const req: FakeRequest = {
      method: incoming.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      url,
      seq: requests.length,
      connection: connectionOf(incoming.socket),
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);

    const fault = takeFault(faults, seen, req);
    if (fault?.delayMs !== undefined) await delay(fault.delayMs);
    if (fault?.hang || res.destroyed) return;
    const response = answer(fault, req, route);
    // A view, not a copy: bodies are only read from here on.
    const whole = Buffer.from(
      response.body.buffer,
      response.body.byteOffset,
      response.body.byteLength,
    );
    const body = fault?.halve ? whole.subarray(0, Math.floor(whole.length / 2)) : whole;
    res.writeHead(response.status, { ...response.headers, 'content-length': body.length });
    if (fault?.truncate) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    } else {
      res.end(body);
    }
  }

  /** A number per TCP connection, in order of first use (FakeRequest.connection). */
  function connectionOf(socket: object): number {
    let id = connections.get(socket);
    if (id === undefined) {
      id = nextConnection++;
      connections.set(socket, id);
    }
    return id;
  }
  let nextConnection = 0;

  const server = createServer((incoming, res) => {
    serve(incoming, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake log failed: ${err instanceof Error ? err.stack : String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const names = options.naming && namesFor(url, options.naming);
  const v1Options = typeof options.v1 === 'function' ? options.v1(url) : options.v1;
  const v2Options = typeof options.v2 === 'function' ? options.v2(url) : options.v2;
  v1 = new FakeRekorV1({ ...(names && { host: names.v1 }), ...v1Options });
  tilesLogs.push(new FakeTilesLog({ ...(names && { origin: names.v2 }), ...v2Options }));

  return {
    url,
    v1,
    v2: tilesLogs[0] as FakeTilesLog,
    tilesLogs,
    addTilesLog(opts) {
      const log = new FakeTilesLog(opts);
      if (tilesLogs.some((l) => l.prefix === log.prefix))
        throw new Error(`prefix ${log.prefix} taken`);
      tilesLogs.push(log);
      return log;
    },
    faults,
    stats: {
      get requests() {
        return requests;
      },
      count: (match) =>
        match === undefined
          ? requests.length
          : requests.filter((r) => match.test(`${r.method} ${r.path}`)).length,
      get inFlight() {
        return inFlight;
      },
      get maxInFlight() {
        return maxInFlight;
      },
      reset() {
        requests = [];
        maxInFlight = inFlight;
      },
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function takeFault(
  faults: Fault[],
  seen: WeakMap<Fault, number>,
  req: FakeRequest,
): Fault | undefined {
  let taken: Fault | undefined;
  for (const f of faults) {
    if (!(f.match instanceof RegExp ? f.match.test(`${req.method} ${req.path}`) : f.match(req))) {
      continue;
    }
    // Every matching fault counts the request, so each `every` keeps its own rhythm.
    const n = (seen.get(f) ?? 0) + 1;
    seen.set(f, n);
    const due = f.every === undefined || n % f.every === 0;
    if (taken === undefined && due && (f.times === undefined || f.times > 0)) taken = f;
  }
  if (taken?.times !== undefined) taken.times--;
  if (taken) taken.applied = (taken.applied ?? 0) + 1;
  return taken;
}

function answer(
  fault: Fault | undefined,
  req: FakeRequest,
  route: (req: FakeRequest) => FakeResponse,
): FakeResponse {
  if (fault?.oversizeBytes !== undefined) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', ...fault.headers },
      body: new Uint8Array(fault.oversizeBytes).fill(0x20),
    };
  }
  if (fault?.status !== undefined || fault?.body !== undefined) {
    const status = fault.status ?? 200;
    const base = fault.body === undefined ? errorResponse(status, 'injected fault') : undefined;
    const body = fault.body ?? (base as FakeResponse).body;
    return {
      status,
      headers: { 'content-type': 'application/json', ...fault.headers },
      body: typeof body === 'string' ? new Uint8Array(Buffer.from(body)) : body,
    };
  }
  const real = route(req);
  let body = real.body;
  if (fault?.transform !== undefined) {
    body = new Uint8Array(Buffer.from(fault.transform(Buffer.from(body).toString('utf8'), req)));
  }
  if (fault?.transformBytes !== undefined) body = fault.transformBytes(body, req);
  return { status: real.status, headers: { ...real.headers, ...fault?.headers }, body };
}
