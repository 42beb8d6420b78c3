// The renderer's one way to the engine: window.vigil in Electron (the preload), or the serve-mode
// web bridge (HTTP for commands, a WebSocket for events) in a browser. Both implement the
// contract's Bridge, so state classes never know which they have.
import type { Bridge, EventName } from '../../../shared/ipc/contract';
import { isEventName } from '../../../shared/ipc/contract';
import { fail, type Result } from '../../../shared/result';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (serve mode). */
    readonly vigil?: Bridge;
  }
}

/** What the web bridge needs from the browser (tests pass fakes). */
export interface BrowserDeps {
  /** The page's URL: `http://127.0.0.1:<port>/<token>/...`; the token travels in the path. */
  readonly pageUrl: string;
  readonly fetch: typeof fetch;
  readonly openSocket: (url: string) => WebSocket;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
}

/** window.vigil when the preload provided it, else the web bridge for this page. */
export function createApi(): Bridge {
  if (window.vigil) return window.vigil;
  return createWebBridge({
    pageUrl: window.location.href,
    fetch: (...args) => window.fetch(...args),
    openSocket: (url) => new WebSocket(url),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  });
}

const RECONNECT_MS = [1000, 2000, 5000, 10_000];

type AnyListener = (...args: unknown[]) => void;

/**
 * The contract over serve mode's HTTP + WebSocket bridge, relative to the page's `/<token>/`
 * folder. invoke never rejects: an unreachable or refusing server becomes a failed Result. The
 * event socket opens with the first listener and reconnects with backoff when it drops.
 */
export function createWebBridge(deps: BrowserDeps): Bridge {
  const base = new URL('./', deps.pageUrl);
  const listeners = new Map<EventName, Set<AnyListener>>();
  let socket: WebSocket | undefined;
  let failures = 0;

  const connect = () => {
    const url = new URL('events', base);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = deps.openSocket(url.href);
    socket.onopen = () => {
      failures = 0;
    };
    socket.onmessage = (message) => {
      const parsed = parseEvent(message.data);
      if (!parsed) return;
      for (const listener of listeners.get(parsed.event) ?? []) listener(...parsed.args);
    };
    socket.onclose = () => {
      socket = undefined;
      const delay = RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]!;
      deps.setTimeout(() => {
        if (!socket && listeners.size > 0) connect();
      }, delay);
    };
  };

  return {
    async invoke(command, ...args) {
      let response: Response;
      try {
        response = await deps.fetch(new URL('api/invoke', base), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ command, args }),
        });
      } catch {
        return fail('INTERNAL', 'vigil serve is not reachable: is it still running?');
      }
      if (response.status === 403) {
        return fail('FORBIDDEN', 'vigil serve refused the request: open the URL it printed');
      }
      if (!response.ok) return fail('INTERNAL', `vigil serve answered HTTP ${response.status}`);
      try {
        return (await response.json()) as Result<never>;
      } catch {
        return fail('INTERNAL', 'vigil serve answered something that is not JSON');
      }
    },
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as AnyListener);
      if (!socket) connect();
      return () => {
        set.delete(listener as AnyListener);
        if (set.size === 0) listeners.delete(event);
      };
    },
  };
}

function parseEvent(data: unknown): { event: EventName; args: unknown[] } | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value = JSON.parse(data) as { event?: unknown; args?: unknown };
    if (!isEventName(value.event) || !Array.isArray(value.args)) return undefined;
    return { event: value.event, args: value.args };
  } catch {
    return undefined;
  }
}
