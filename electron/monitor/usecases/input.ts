// The argument readers every use case shares. The renderer and the web client are untrusted, so
// each use case checks every value it is given (type, range, known keys) before a store sees it,
// and reports the first problem as InputError INVALID_INPUT naming the argument. Readers that
// belong to one use case (a query's keys, its enums) live with it.
import { isAbsolute, resolve } from 'node:path';
import type { TriageState } from '../../../shared/domain';
import { InputError } from '../../core/errors';

/** Longest free-text argument (names, origins, search text) a use case accepts. */
export const MAX_TEXT_CHARS = 1000;

/** Describes a value for an error message without echoing much of it. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

const invalid = (what: string, want: string, value: unknown) =>
  new InputError('INVALID_INPUT', `${what}: want ${want}, got ${describe(value)}`);

/** A database id or sequence number: a positive safe integer. */
export function readId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(what, 'a positive integer', value);
  }
  return value;
}

/** A non-negative safe integer (epoch ms). */
export function readUint(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(what, 'a non-negative integer', value);
  }
  return value;
}

/** A page size, 1..500 (the stores' largest page). */
export function readLimit(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 500) {
    throw invalid(what, 'an integer 1..500', value);
  }
  return value;
}

/** A non-empty string of at most `maxChars` UTF-16 units, well-formed (no lone surrogates). */
export function readText(value: unknown, what: string, maxChars = MAX_TEXT_CHARS): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) {
    throw invalid(what, `a string of 1-${maxChars} characters`, value);
  }
  // In a /u regex \p{Cs} matches only lone surrogates, which SQLite would store as U+FFFD.
  if (/\p{Cs}/u.test(value)) throw invalid(what, 'well-formed text', value);
  return value;
}

/**
 * A string of at most `maxChars` (the empty string allowed), well-formed: free text such as a
 * note, where '' means "none".
 */
export function readFreeText(value: unknown, what: string, maxChars: number): string {
  if (typeof value !== 'string' || value.length > maxChars) {
    throw invalid(what, `a string of at most ${maxChars} characters`, value);
  }
  if (/\p{Cs}/u.test(value)) throw invalid(what, 'well-formed text', value);
  return value;
}

// Channel names appear in commands (`vigil channels test NAME`), audit events and logs.
const CHANNEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A channel name: 1-64 of A-Z a-z 0-9 . _ -, starting alphanumeric. */
export function readChannelName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !CHANNEL_NAME.test(value)) {
    throw invalid(what, '1-64 of A-Z a-z 0-9 . _ - starting alphanumeric', value);
  }
  return value;
}

/** An absolute file system path (normalised), without NUL, of at most 4096 characters. */
export function readAbsolutePath(value: unknown, what: string): string {
  if (
    typeof value !== 'string' ||
    value.length > 4096 ||
    value.includes('\0') ||
    !isAbsolute(value)
  ) {
    throw invalid(what, 'an absolute path', value);
  }
  return resolve(value);
}

/** A boolean, exactly. */
export function readBoolean(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalid(what, 'true or false', value);
  return value;
}

/** One of `allowed`, exactly. */
export function readEnum<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(what, allowed.join(' or '), value);
  }
  return value as T;
}

/**
 * A plain object with only `keys` (a missing or undefined `value` reads as {}). Unknown keys are
 * errors, not ignored: a misspelt filter must not silently widen a query.
 */
export function readRecord(
  value: unknown,
  what: string,
  keys: readonly string[],
): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(what, 'an object', value);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new InputError('INVALID_INPUT', `${what}: unknown key ${JSON.stringify(key)}`);
    }
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * `read(record[key])` when the key holds a value other than undefined, else undefined; for
 * building objects without undefined members: `...optional(q, 'limit', readLimit, 'query')`.
 */
export function optional<K extends string, T>(
  record: Readonly<Record<string, unknown>>,
  key: K,
  read: (value: unknown, what: string) => T,
  what: string,
): { [P in K]?: T } {
  const value = record[key];
  if (value === undefined) return {};
  return { [key]: read(value, `${what}.${key}`) } as { [P in K]?: T };
}

/** A triage state (matches and alerts are filtered by it). */
export const readTriage = (value: unknown, what: string): TriageState =>
  readEnum(value, ['new', 'acknowledged', 'expected'], what);

/** `fields` without its undefined members, for optional DTO fields. */
export function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
