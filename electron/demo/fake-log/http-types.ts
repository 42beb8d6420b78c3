// Request and response shapes shared by the fake log's handlers, fault injection and server.

/** One request as the fake log saw it. */
export interface FakeRequest {
  readonly method: string;
  /** Path and query, e.g. `/api/v1/log/entries?logIndex=3`. */
  readonly path: string;
  readonly url: URL;
  /** 0-based arrival order across the whole server. */
  readonly seq: number;
  /** 0-based number of the TCP connection it came on, in order of first use. */
  readonly connection: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Request body as text (empty for GET). */
  readonly body: string;
}

/** What a handler answers. */
export interface FakeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** Picks, per request, whether a view (a fork) serves it. */
export type ViewSelector = (req: FakeRequest) => boolean;

export function jsonResponse(value: unknown, status = 200): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(Buffer.from(JSON.stringify(value))),
  };
}

export function textResponse(
  text: string,
  contentType = 'text/plain; charset=utf-8',
): FakeResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType },
    body: new Uint8Array(Buffer.from(text)),
  };
}

export function bytesResponse(body: Uint8Array): FakeResponse {
  return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body };
}

/** Rekor's error body shape: `{ code, message }`. */
export function errorResponse(status: number, message: string): FakeResponse {
  return jsonResponse({ code: status, message }, status);
}
