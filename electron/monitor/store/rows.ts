// Small helpers the *-store.ts modules share when mapping rows to domain objects and back.
import { InputError, StorageError } from '../../core/errors';
import type { JsonValue } from './types';

/** A BLOB column as a plain Uint8Array view (better-sqlite3 returns Buffers). */
export function blobToBytes(blob: Buffer): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
}

/**
 * Parses a JSON column this build wrote. A parse failure means the file was edited or damaged,
 * so it is reported as DB_CORRUPT naming the column, never as a raw SyntaxError.
 */
export function parseStoredJson<T = JsonValue>(text: string, column: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new StorageError('DB_CORRUPT', `column ${column} holds invalid JSON`, { cause: err });
  }
}

/** Page size for keyset queries: 1..500, default 50. */
export function pageLimit(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isSafeInteger(n) || n < 1 || n > 500) {
    throw new InputError('INVALID_INPUT', `page limit ${n}, want 1..500`);
  }
  return n;
}

/** Requires a non-negative safe integer (indices, tree sizes, epoch ms). */
export function checkUint(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InputError('INVALID_INPUT', `${what} ${value}, want a non-negative integer`);
  }
}

/** Longest note a match or a log alert may carry, in UTF-16 code units. */
export const MAX_NOTE_LENGTH = 10_000;

/** Requires a note: a string of at most MAX_NOTE_LENGTH characters ('' removes one). */
export function checkNote(note: string): void {
  if (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH) {
    throw new InputError(
      'INVALID_INPUT',
      `note must be a string of at most ${MAX_NOTE_LENGTH} characters`,
    );
  }
}

/** Requires a non-empty string (names, origins, keys). */
export function checkName(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError('INVALID_INPUT', `${what} must be a non-empty string`);
  }
}

/** SQLite has no boolean: 0 or 1. */
export const toFlag = (b: boolean): number => (b ? 1 : 0);
