import { describe, expect, it, vi } from 'vitest';
import { createWebBridge, type BrowserDeps } from '../../../renderer/src/lib/api';

const PAGE = 'http://127.0.0.1:4567/TOKEN/';

class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {}
}

function deps(over: Partial<BrowserDeps> = {}) {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const d: BrowserDeps = {
    pageUrl: PAGE,
    fetch: vi.fn(async () => new Response(JSON.stringify({ ok: true, value: 1 }))),
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s as unknown as WebSocket;
    },
    setTimeout: (fn) => timers.push(fn),
    ...over,
  };
  return { d, sockets, timers };
}

describe('createWebBridge', () => {
  it('posts the command as JSON under the token path and returns its Result', async () => {
    const { d } = deps();
    const bridge = createWebBridge(d);
    expect(await bridge.invoke('alerts:acknowledge', 3)).toEqual({ ok: true, value: 1 });
    const [url, init] = vi.mocked(d.fetch).mock.calls[0]!;
    expect(String(url)).toBe('http://127.0.0.1:4567/TOKEN/api/invoke');
    expect(init).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'alerts:acknowledge', args: [3] }),
    });
  });

  it.each([
    {
      desc: 'the server refuses',
      reply: async () => new Response('', { status: 403 }),
      code: 'FORBIDDEN',
    },
    {
      desc: 'the server fails',
      reply: async () => new Response('', { status: 500 }),
      code: 'INTERNAL',
    },
    { desc: 'the answer is not JSON', reply: async () => new Response('<html>'), code: 'INTERNAL' },
    {
      desc: 'the server is gone',
      reply: async (): Promise<Response> => {
        throw new TypeError('fetch failed');
      },
      code: 'INTERNAL',
    },
  ])('resolves to a failed Result when $desc', async ({ reply, code }) => {
    const { d } = deps({ fetch: reply });
    const result = await createWebBridge(d).invoke('status:get');
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('opens the event socket under the token path and delivers contract events only', () => {
    const { d, sockets } = deps();
    const bridge = createWebBridge(d);
    const listener = vi.fn();
    bridge.on('alert:opened', listener);
    expect(sockets.map((s) => s.url)).toEqual(['ws://127.0.0.1:4567/TOKEN/events']);
    const socket = sockets[0]!;
    socket.onmessage!({ data: JSON.stringify({ event: 'alert:opened', args: [7] }) });
    socket.onmessage!({ data: JSON.stringify({ event: 'ipc:raw', args: [8] }) });
    socket.onmessage!({ data: 'not json' });
    expect(listener.mock.calls).toEqual([[7]]);
  });

  it('reconnects after the socket drops while someone listens', () => {
    const { d, sockets, timers } = deps();
    createWebBridge(d).on('monitor:event', vi.fn());
    sockets[0]!.onclose!();
    expect(sockets).toHaveLength(1);
    timers.shift()!();
    expect(sockets).toHaveLength(2);
  });
});
