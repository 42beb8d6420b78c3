import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { MonitorEvent } from '../../../shared/events';
import { createHandlers, type Engine } from '../../../electron/web/handlers';
import { startWebBridge, type Emit, type WebBridge } from '../../../electron/web/server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request with exactly these headers (Host defaults to the bridge's). */
function request(
  bridge: WebBridge,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: bridge.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${bridge.port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const origin = (bridge: WebBridge) => `http://127.0.0.1:${bridge.port}`;

function invoke(bridge: WebBridge, payload: unknown, headers: Record<string, string> = {}) {
  return request(bridge, {
    path: `/${bridge.token}/api/invoke`,
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: origin(bridge), ...headers },
    body: JSON.stringify(payload),
  });
}

let dir: string;
let bridge: WebBridge;
let emit: Emit;
const status = vi.fn();

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Vigil UI</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  status.mockReset().mockReturnValue({ dataDir: dir, watches: 0 });
  const engine = { monitoring: { status } } as unknown as Engine;
  bridge = await startWebBridge({
    handlers: createHandlers(engine, { exportDir: async () => dir }),
    subscribe: (e) => {
      emit = e;
      return () => undefined;
    },
    rendererDir: join(dir, 'renderer'),
    log: () => undefined,
  });
});

afterEach(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startWebBridge', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/${bridge.token}/`);
  });

  it('serves the renderer with a strict CSP when the token is in the path', async () => {
    const reply = await request(bridge, { path: `/${bridge.token}/` });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('Vigil UI');
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const asset = await request(bridge, { path: `/${bridge.token}/assets/app.js` });
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    { desc: 'no token', path: () => '/' },
    { desc: 'no token, asset path', path: () => '/assets/app.js' },
    { desc: 'token in the query', path: (b: WebBridge) => `/?token=${b.token}` },
    { desc: 'wrong token', path: (b: WebBridge) => `/${b.token.slice(1)}x/` },
  ])('refuses a page request with $desc', async ({ path }) => {
    const reply = await request(bridge, { path: path(bridge) });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('Vigil UI');
  });

  it('refuses a request whose Host is another name (DNS rebinding)', async () => {
    const reply = await request(bridge, {
      path: `/${bridge.token}/`,
      headers: { host: `rebind.example:${bridge.port}` },
    });
    expect(reply.status).toBe(403);
  });

  it.each([
    { desc: 'outside the renderer folder', path: '/..%2fsecret.txt' },
    { desc: 'a dot-dot segment', path: '/assets/../../secret.txt' },
    { desc: 'an encoded dot-dot segment', path: '/%2e%2e/secret.txt' },
  ])('does not serve a file $desc', async ({ path }) => {
    const reply = await request(bridge, { path: `/${bridge.token}${path}` });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('outside the renderer');
  });

  it('answers a command with its Result when token, Host and Origin are right', async () => {
    const reply = await invoke(bridge, { command: 'status:get', args: [] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { dataDir: dir, watches: 0 } });
  });

  it.each([
    { desc: 'without an Origin', origin: () => undefined },
    { desc: 'from another site', origin: () => 'http://evil.example' },
    { desc: 'from another local port', origin: () => 'http://127.0.0.1:1' },
  ])('refuses a command $desc and calls no handler', async ({ origin: from }) => {
    const sentOrigin = from();
    const reply = await request(bridge, {
      path: `/${bridge.token}/api/invoke`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sentOrigin !== undefined && { origin: sentOrigin }),
      },
      body: JSON.stringify({ command: 'status:get', args: [] }),
    });
    expect(reply.status).toBe(403);
    expect(status).not.toHaveBeenCalled();
  });

  it('refuses a command without the token and calls no handler', async () => {
    const reply = await request(bridge, {
      path: '/api/invoke',
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: origin(bridge) },
      body: JSON.stringify({ command: 'status:get', args: [] }),
    });
    expect(reply.status).toBe(403);
    expect(status).not.toHaveBeenCalled();
  });

  it('refuses a form post (no JSON content type) with 415', async () => {
    const reply = await invoke(
      bridge,
      { command: 'status:get', args: [] },
      {
        'content-type': 'text/plain',
      },
    );
    expect(reply.status).toBe(415);
    expect(status).not.toHaveBeenCalled();
  });

  it.each([
    { desc: 'a name outside the contract', payload: { command: 'constructor', args: [] } },
    { desc: 'args that are not an array', payload: { command: 'status:get', args: {} } },
    { desc: 'a body that is not an object', payload: ['status:get'] },
  ])('answers INVALID_INPUT for $desc', async ({ payload }) => {
    const reply = await invoke(bridge, payload);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(status).not.toHaveBeenCalled();
  });

  it('answers 413 and calls no handler when the body is too large', async () => {
    const reply = await request(bridge, {
      path: `/${bridge.token}/api/invoke`,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: origin(bridge) },
      body: JSON.stringify({ command: 'status:get', args: ['x'.repeat(9 * 1024 * 1024)] }),
    });
    expect(reply.status).toBe(413);
  });

  it('pushes events to a socket that has the token and this origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/${bridge.token}/events`, {
      origin: origin(bridge),
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const received = new Promise<string>((resolve) =>
      ws.once('message', (m) => resolve(String(m))),
    );
    const event: MonitorEvent = { type: 'warning', message: 'hello' };
    emit('monitor:event', event);
    expect(JSON.parse(await received)).toEqual({ event: 'monitor:event', args: [event] });
    ws.close();
  });

  it.each([
    { desc: 'without the token', path: () => '/events', origin: (b: WebBridge) => origin(b) },
    {
      desc: 'from another origin',
      path: (b: WebBridge) => `/${b.token}/events`,
      origin: () => 'http://evil.example',
    },
    { desc: 'without an origin', path: (b: WebBridge) => `/${b.token}/events`, origin: () => '' },
  ])('refuses a socket $desc', async ({ path, origin: from }) => {
    const o = from(bridge);
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}${path(bridge)}`, {
      ...(o !== '' && { origin: o }),
    });
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!)),
    );
    expect(status).toBe(403);
  });
});

describe('startWebBridge without a built renderer', () => {
  it('serves a page that says how to build it', async () => {
    const bare = await startWebBridge({
      handlers: createHandlers({} as Engine, { exportDir: async () => dir }),
      subscribe: () => () => undefined,
      rendererDir: join(dir, 'missing'),
    });
    try {
      const reply = await request(bare, { path: `/${bare.token}/` });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
