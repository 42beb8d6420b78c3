// Strict readers for fields of an untrusted entry body. Each returns the typed value or throws
// VerificationError(ENTRY_MALFORMED) naming the JSON path, what it got and what it wants.
import { VerificationError } from '../errors';
import { decodeBase64Strict } from '../bytes';

export type JsonObject = Readonly<Record<string, unknown>>;

/** ENTRY_MALFORMED at `path`, e.g. `entryMalformed('spec.signatures', 'got null, want an array')`. */
export function entryMalformed(path: string, problem: string, cause?: unknown): VerificationError {
  return new VerificationError(
    'ENTRY_MALFORMED',
    `malformed entry body: ${path}: ${problem}`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}

/** Requires `parent[key]` to be a JSON object; `path` names `parent`. */
export function objectField(parent: JsonObject, key: string, path: string): JsonObject {
  return asObject(parent[key], join(path, key));
}

/** Requires `parent[key]` to be a JSON array. */
export function arrayField(parent: JsonObject, key: string, path: string): readonly unknown[] {
  const value = parent[key];
  if (!Array.isArray(value)) throw wrongType(value, join(path, key), 'an array');
  return value;
}

/** Requires `parent[key]` to be a JSON string. */
export function stringField(parent: JsonObject, key: string, path: string): string {
  const value = parent[key];
  if (typeof value !== 'string') throw wrongType(value, join(path, key), 'a string');
  return value;
}

/** Requires `parent[key]` to be standard padded base64 (protobuf and Go []byte JSON form). */
export function base64Field(parent: JsonObject, key: string, path: string): Uint8Array {
  const bytes = decodeBase64Strict(stringField(parent, key, path));
  if (bytes === undefined) throw entryMalformed(join(path, key), 'not standard base64');
  return bytes;
}

/** Requires a JSON object. */
export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw wrongType(value, path, 'an object');
  }
  return value as JsonObject;
}

/** `spec` + `key` -> `spec.key`; array indices are written by callers as `[i]`. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function wrongType(value: unknown, path: string, want: string): VerificationError {
  return entryMalformed(path, `got ${describe(value)}, want ${want}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
