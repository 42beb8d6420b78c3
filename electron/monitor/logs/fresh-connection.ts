// Requests on a connection of their own, for the one re-read that confirms a verification
// failure (jobs/confirm.ts): a pooled connection through a misbehaving proxy must not answer it.
import type { HttpClient, RequestOptions } from './http';

/** Fetch options for a request on a connection of its own, and how to close it after. */
export interface OneShotConnection {
  readonly init: Readonly<Record<string, unknown>>;
  close(): void;
}

/** `http` with every request sent on a new connection (RequestOptions.freshConnection). */
export function withFreshConnections(http: HttpClient): HttpClient {
  const fresh = <O extends object | undefined>(opts: O) => ({ ...opts, freshConnection: true });
  return {
    get: (url: string, opts?: RequestOptions) => http.get(url, fresh(opts)),
    getText: (url: string, opts?: RequestOptions) => http.getText(url, fresh(opts)),
    getJson: (url: string, opts?: RequestOptions) => http.getJson(url, fresh(opts)),
    postJson: (url: string, body: unknown, opts?: RequestOptions) =>
      http.postJson(url, body, fresh(opts)),
  } as HttpClient;
}

/**
 * A connection of its own for one request of Node's fetch (undici): a new dispatcher of the
 * class of the global one, which undici publishes under `Symbol.for('undici.globalDispatcher.1')`
 * for exactly this kind of sharing (nodejs/undici lib/global.js); closed once the request is
 * done. Undefined before fetch's first request (undici creates its global dispatcher then, so
 * there is no pooled connection to avoid yet) and when fetch is not undici's; the request then
 * goes through the default dispatcher.
 */
export function oneShotConnection(): OneShotConnection | undefined {
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')];
  if (typeof global !== 'object' || global === null) return undefined;
  const Dispatcher = global.constructor as new () => { close(): Promise<void> };
  const dispatcher = new Dispatcher();
  return { init: { dispatcher }, close: () => void dispatcher.close().catch(() => undefined) };
}
