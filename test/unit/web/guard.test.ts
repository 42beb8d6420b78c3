import { describe, expect, it } from 'vitest';
import {
  isAllowedHost,
  isAllowedOrigin,
  newToken,
  pathAfterToken,
} from '../../../electron/web/guard';

const TOKEN = 'A'.repeat(43);

describe('newToken', () => {
  it('makes a 43-character base64url token that differs every call', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });
});

describe('isAllowedHost', () => {
  it.each([
    { host: '127.0.0.1:8080', want: true },
    { host: 'localhost:8080', want: true },
    { host: 'LOCALHOST:8080', want: true },
    { host: '127.0.0.1:8081', want: false },
    { host: '127.0.0.1', want: false },
    { host: 'evil.example:8080', want: false },
    { host: 'localhost.evil.example:8080', want: false },
    { host: undefined, want: false },
  ])('answers $want for Host $host', ({ host, want }) => {
    expect(isAllowedHost(host, 8080)).toBe(want);
  });
});

describe('isAllowedOrigin', () => {
  it.each([
    { origin: 'http://127.0.0.1:8080', required: true, want: true },
    { origin: 'http://localhost:8080', required: true, want: true },
    { origin: undefined, required: false, want: true },
    { origin: undefined, required: true, want: false },
    { origin: 'null', required: false, want: false },
    { origin: 'https://127.0.0.1:8080', required: true, want: false },
    { origin: 'http://127.0.0.1:9999', required: true, want: false },
    { origin: 'http://evil.example', required: false, want: false },
  ])('answers $want for Origin $origin (required: $required)', ({ origin, required, want }) => {
    expect(isAllowedOrigin(origin, 8080, required)).toBe(want);
  });
});

describe('pathAfterToken', () => {
  it.each([
    { url: `/${TOKEN}/`, want: '/' },
    { url: `/${TOKEN}`, want: '' },
    { url: `/${TOKEN}/api/invoke?x=1`, want: '/api/invoke' },
    { url: `/${TOKEN}/assets/index.js`, want: '/assets/index.js' },
    { url: '/', want: undefined },
    { url: `/${TOKEN.slice(1)}/`, want: undefined },
    { url: `/${TOKEN}A/`, want: undefined },
    { url: `/B${TOKEN.slice(1)}/`, want: undefined },
    { url: `/?token=${TOKEN}`, want: undefined },
    { url: `http://127.0.0.1/${TOKEN}/`, want: undefined },
    { url: undefined, want: undefined },
  ])('yields $want for $url', ({ url, want }) => {
    expect(pathAfterToken(url, TOKEN)).toBe(want);
  });
});
