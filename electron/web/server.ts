// Serve mode: the renderer in a browser, talking to the engine over HTTP (commands) and a
// WebSocket (events) on 127.0.0.1. Exposes exactly the contract: `POST /<token>/api/invoke`
// with {command, args} answers a Result; `/<token>/events` pushes {event, args}. See ./guard.ts
// for who may connect.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import type { EventName, Events } from '../../shared/ipc/contract';
import { isCommandName } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/result';
import { dispatch, type Handlers } from './handlers';
import { isAllowedHost, isAllowedOrigin, newToken, pathAfterToken } from './guard';
import { readStaticFile } from './static-files';

/** The host serve mode binds: loopback only, never a public interface. */
export const BIND_HOST = '127.0.0.1';
/** Largest request body (a 1 Mi-character watchlist as UTF-8, with room for JSON escaping). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** A client that falls this far behind on events is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** The CSP of every response: same-origin scripts, styles and connections only. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Emits one contract event to every connected page. */
export type Emit = <E extends EventName>(event: E, ...args: Parameters<Events[E]>) => void;

export interface WebBridgeOptions {
  readonly handlers: Handlers;
  /** Connects the engine's events to `emit`; returns the disconnect. Called once. */
  readonly subscribe: (emit: Emit) => () => void;
  /** The built renderer (holding index.html); when it has none, a page says how to build it. */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Unexpected (non-AppError) handler failures; default console.error. */
  readonly log?: (err: unknown) => void;
}

export interface WebBridge {
  /** The URL to open, token included: `http://127.0.0.1:<port>/<token>/`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Disconnects every page and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts the bridge on 127.0.0.1 with a fresh token. Requests without the token, with a foreign
 * Host, or (for commands and the socket) without this server's Origin get 403 and reach no
 * handler. Rejects when the port cannot be bound.
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = newToken();
  const log = options.log ?? ((err: unknown) => console.error(err));
  const sockets = new Set<WebSocket>();
  // Loaded on first use, so that commands other than `vigil serve` never pay for it.
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  let port = 0;

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log(err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const isPost = req.method === 'POST';
    if (
      !isAllowedHost(req.headers.host, port) ||
      !isAllowedOrigin(req.headers.origin, port, isPost)
    ) {
      return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    }
    const path = pathAfterToken(req.url, token);
    if (path === undefined) {
      return send(
        res,
        403,
        'text/plain; charset=utf-8',
        'forbidden: open the URL vigil serve printed',
      );
    }
    if (path === '') {
      res.writeHead(308, { ...SECURITY_HEADERS, Location: `/${token}/` });
      return void res.end();
    }
    if (isPost && path === '/api/invoke') return invoke(req, res);
    if (req.method !== 'GET')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
    const file = await readStaticFile(options.rendererDir, path);
    if (file) return send(res, 200, file.contentType, file.body);
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', NOT_BUILT_PAGE);
    return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return send(res, 415, 'text/plain; charset=utf-8', 'want content-type application/json');
    }
    const body = await readBody(req);
    if (body === undefined) return send(res, 413, 'text/plain; charset=utf-8', 'body too large');
    const result = await invokeFromJson(body);
    return send(res, 200, 'application/json', JSON.stringify(result));
  }

  async function invokeFromJson(body: Buffer): Promise<Result<unknown>> {
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      return fail('INVALID_INPUT', 'request body is not JSON');
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return fail('INVALID_INPUT', 'want {"command": name, "args": [...]}');
    }
    const { command, args } = request as { command?: unknown; args?: unknown };
    if (!isCommandName(command)) {
      return fail(
        'INVALID_INPUT',
        `unknown command ${JSON.stringify(String(command).slice(0, 50))}`,
      );
    }
    if (!Array.isArray(args)) return fail('INVALID_INPUT', `${command}: args must be an array`);
    return dispatch(options.handlers, command, args, log);
  }

  server.on('upgrade', (req, socket, head) => {
    const allowed =
      isAllowedHost(req.headers.host, port) &&
      isAllowedOrigin(req.headers.origin, port, true) &&
      pathAfterToken(req.url, token) === '/events';
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // The page only listens; anything it sends is ignored (maxPayload bounds it).
      ws.on('error', () => sockets.delete(ws));
    });
  });

  const emit: Emit = (event, ...args) => {
    const message = JSON.stringify({ event, args });
    for (const ws of sockets) {
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) ws.terminate();
      else ws.send(message);
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BIND_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const unsubscribe = options.subscribe(emit);

  return {
    url: `http://${BIND_HOST}:${port}/${token}/`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType });
  res.end(body);
}

/** The body, or undefined once it passes MAX_BODY_BYTES (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head>
<body><h1>Vigil</h1>
<p>The user interface is not built yet. Run <code>npm run build</code> in the Vigil folder,
then start <code>vigil serve</code> again. The engine is running.</p></body></html>
`;
