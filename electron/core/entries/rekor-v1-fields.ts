// Strict readers for fields of untrusted Rekor v1 JSON (API responses and LogEntry files). Each
// one returns the typed value or throws VerificationError(RESPONSE_MALFORMED) naming the JSON
// path, what it got and what it wants.
import { VerificationError } from '../errors';
import { decodeBase64Strict, decodeHex } from '../bytes';

/** A parsed JSON object (not an array, not null). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** RESPONSE_MALFORMED at `path`, e.g. `malformed('treeSize', 'got -1, want a uint')`. */
export function malformed(path: string, problem: string): VerificationError {
  return new VerificationError('RESPONSE_MALFORMED', `${path}: ${problem}`);
}

/** Short, safe rendering of an untrusted value for an error message. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'object') return 'an object';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * The value of a field the Rekor API marks optional, with a JSON null read as absent. Rekor is
 * written in Go, where go-swagger's generated models (sigstore/rekor pkg/generated/models) hold
 * optional fields as pointers or omitempty values: decoding `null` leaves them nil, exactly as
 * an absent field does. Rekor itself omits them, but other servers and proxies may write null.
 */
export function optionalField(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Requires a JSON object. */
export function readObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(path, `got ${describeJson(value)}, want an object`);
  }
  return value as JsonObject;
}

/** Requires a JSON array. */
export function readArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw malformed(path, `got ${describeJson(value)}, want an array`);
  return value;
}

/** Requires a JSON string. */
export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw malformed(path, `got ${describeJson(value)}, want a string`);
  return value;
}

/**
 * Requires a JSON number that is an integer in [0, 2^53-1]. JSON.parse has already rounded
 * larger literals, and such roundings are never safe integers, so they are rejected here too.
 */
export function readUint(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw malformed(path, `got ${describeJson(value)}, want an integer in [0, 2^53-1]`);
  }
  return value;
}

/** Requires exactly 64 hex digits (a SHA-256 hash) and returns its 32 bytes. */
export function readHash(value: unknown, path: string): Uint8Array {
  const text = readString(value, path);
  const bytes = text.length === 64 ? decodeHex(text) : undefined;
  if (bytes === undefined) throw malformed(path, `got ${describeJson(text)}, want 64 hex digits`);
  return bytes;
}

/** Requires canonical padded standard base64 (bytes.ts decodeBase64Strict). */
export function readBase64(value: unknown, path: string): Uint8Array {
  const text = readString(value, path);
  const bytes = decodeBase64Strict(text);
  if (bytes === undefined) throw malformed(path, `got ${describeJson(text)}, want base64`);
  return bytes;
}
