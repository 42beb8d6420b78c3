// Who may talk to the serve-mode bridge. It listens on 127.0.0.1 only, but other local users and
// any web page the user opens can reach 127.0.0.1 too, so every request must also carry the
// per-run token (the first path segment of the URL `vigil serve` prints), name this server in
// its Host header (a DNS-rebinding page names its own host), and, where a browser sends an
// Origin, come from this server's own origin (a cross-site page cannot forge that header).
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh unguessable token: 32 random bytes, base64url (43 characters, URL-path safe). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The origins this server answers as: 127.0.0.1 and localhost at its port. */
export function allowedOrigins(port: number): ReadonlySet<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

/** True when the Host header names this server (`127.0.0.1:port` or `localhost:port`). */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedOrigins(port).has(`http://${host.toLowerCase()}`);
}

/**
 * True when the Origin header is absent (and `required` is false) or is this server's origin.
 * `required` is for requests that act (POST, WebSocket): browsers always send Origin on those.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  port: number,
  required: boolean,
): boolean {
  if (origin === undefined) return !required;
  return allowedOrigins(port).has(origin.toLowerCase());
}

/**
 * The request path after `/<token>` when the first path segment equals `token` (compared in
 * constant time), else undefined. `/<token>` alone yields ''. Query strings are ignored.
 */
export function pathAfterToken(url: string | undefined, token: string): string | undefined {
  if (url === undefined || !url.startsWith('/')) return undefined;
  const pathname = url.split('?', 1)[0]!;
  const end = pathname.indexOf('/', 1);
  const segment = end === -1 ? pathname.slice(1) : pathname.slice(1, end);
  const given = Buffer.from(segment, 'utf8');
  const want = Buffer.from(token, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
  return end === -1 ? '' : pathname.slice(end);
}
