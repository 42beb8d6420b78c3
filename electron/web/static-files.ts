// Serves the built renderer (out/renderer) read-only: files under one directory, no listings,
// nothing outside it.
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * The file at URL path `path` (after the token; '' or '/' is index.html) under `root`, or
 * undefined when there is none. Refuses encoded separators, `..` and `.` segments, NUL and
 * backslashes rather than normalising them, so no path can leave `root`.
 */
export async function readStaticFile(root: string, path: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path === '' || path === '/' ? '/index.html' : path);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').slice(1);
  if (
    segments.some((s) => s === '' || s === '.' || s === '..' || /[\\\0]/.test(s)) ||
    /%2f/i.test(path)
  ) {
    return undefined;
  }
  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return undefined;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return {
      body: await readFile(file),
      contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    };
  } catch {
    return undefined;
  }
}
