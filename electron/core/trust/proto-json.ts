// Strict readers for protobuf-JSON (https://protobuf.dev/programming-guides/json/), the encoding
// of Sigstore's trusted root, signing config, bundle and TransparencyLogEntry. Each reader takes
// the error to throw, so a bad bundle fails as BUNDLE_MALFORMED and a bad trusted root as
// TRUSTED_ROOT_MALFORMED. Unknown fields are ignored (Sigstore adds fields over time); known
// fields must have exactly the documented type and encoding. A JSON null counts as absent, as
// protobuf-JSON parsers treat it.
import { decodeBase64Strict, parseCanonicalUint } from '../bytes';
import type { VerificationError } from '../errors';
import type { ValidityWindow } from './types';

export type JsonObject = Readonly<Record<string, unknown>>;

/** Builds the error for a malformed document; `why` names the field and what was wrong. */
export type Malformed = (why: string) => VerificationError;

const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Reads fields of untrusted protobuf-JSON objects, throwing `malformed` on any deviation. */
export interface ProtoJsonReader {
  /** The error this reader throws, for checks made by the caller. */
  fail(why: string): VerificationError;
  /** `value` as a plain JSON object (not an array, not null). */
  object(value: unknown, path: string): JsonObject;
  /** `obj[key]` as an object; undefined when absent or null. */
  optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined;
  /** `obj[key]` as an object; throws when absent. */
  reqObject(obj: JsonObject, key: string, path: string): JsonObject;
  /** `obj[key]` as an array; an absent repeated field is the empty list. */
  array(obj: JsonObject, key: string, path: string): readonly unknown[];
  optString(obj: JsonObject, key: string, path: string): string | undefined;
  reqString(obj: JsonObject, key: string, path: string): string;
  /** A `bytes` field: standard padded base64, decoded; throws when absent. */
  reqBytes(obj: JsonObject, key: string, path: string): Uint8Array;
  /** A base64 string outside an object (e.g. an element of `hashes`). */
  bytesValue(value: unknown, path: string): Uint8Array;
  /**
   * An int64/uint64 field: a canonical non-negative decimal string or a safe integer number.
   * Negative values and values above 2^53-1 are rejected, not rounded. Undefined when absent.
   */
  optUint(obj: JsonObject, key: string, path: string): number | undefined;
  reqUint(obj: JsonObject, key: string, path: string): number;
  /** A google.protobuf.Timestamp (RFC 3339, UTC "Z" form) as epoch ms; undefined when absent. */
  optTimestampMs(obj: JsonObject, key: string, path: string): number | undefined;
  /**
   * A required TimeRange `obj[key]`: start is required (a missing bound must not read as
   * "forever"), end is optional and not before start. Both bounds are inclusive.
   */
  validFor(obj: JsonObject, key: string, path: string): ValidityWindow;
}

/** A reader whose every failure is `malformed(why)`. */
export function protoJsonReader(malformed: Malformed): ProtoJsonReader {
  const field = (obj: JsonObject, key: string): unknown =>
    Object.hasOwn(obj, key) && obj[key] !== null ? obj[key] : undefined;
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

  const object = (value: unknown, path: string): JsonObject => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw malformed(`${path || 'document'} must be an object`);
    }
    return value as JsonObject;
  };
  const optString = (obj: JsonObject, key: string, path: string): string | undefined => {
    const v = field(obj, key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw malformed(`${at(path, key)} must be a string`);
    return v;
  };
  const reqString = (obj: JsonObject, key: string, path: string): string => {
    const v = optString(obj, key, path);
    if (v === undefined || v === '') throw malformed(`${at(path, key)} is missing`);
    return v;
  };
  const bytesValue = (value: unknown, path: string): Uint8Array => {
    const bytes = typeof value === 'string' ? decodeBase64Strict(value) : undefined;
    if (!bytes) throw malformed(`${path} must be standard base64`);
    return bytes;
  };
  const optUint = (obj: JsonObject, key: string, path: string): number | undefined => {
    const v = field(obj, key);
    if (v === undefined) return undefined;
    const n =
      typeof v === 'string'
        ? parseCanonicalUint(v)
        : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
          ? v
          : undefined;
    if (n === undefined) {
      throw malformed(
        `${at(path, key)} must be a non-negative integer below 2^53, got ${JSON.stringify(v)}`,
      );
    }
    return n;
  };

  const optTimestampMs = (obj: JsonObject, key: string, path: string): number | undefined => {
    const text = optString(obj, key, path);
    if (text === undefined) return undefined;
    const ms = parseRfc3339Ms(text);
    if (ms === undefined) {
      throw malformed(
        `${at(path, key)} must be an RFC 3339 UTC timestamp, got ${JSON.stringify(text)}`,
      );
    }
    return ms;
  };

  return {
    fail: malformed,
    object,
    optObject: (obj, key, path) => {
      const v = field(obj, key);
      return v === undefined ? undefined : object(v, at(path, key));
    },
    reqObject: (obj, key, path) => {
      const v = field(obj, key);
      if (v === undefined) throw malformed(`${at(path, key)} is missing`);
      return object(v, at(path, key));
    },
    array: (obj, key, path) => {
      const v = field(obj, key);
      if (v === undefined) return [];
      if (!Array.isArray(v)) throw malformed(`${at(path, key)} must be an array`);
      return v;
    },
    optString,
    reqString,
    reqBytes: (obj, key, path) => {
      const v = field(obj, key);
      if (v === undefined) throw malformed(`${at(path, key)} is missing`);
      return bytesValue(v, at(path, key));
    },
    bytesValue,
    optUint,
    reqUint: (obj, key, path) => {
      const n = optUint(obj, key, path);
      if (n === undefined) throw malformed(`${at(path, key)} is missing`);
      return n;
    },
    optTimestampMs,
    validFor: (obj, key, path) => {
      const v = field(obj, key);
      if (v === undefined) throw malformed(`${at(path, key)} is missing`);
      const range = object(v, at(path, key));
      const startMs = optTimestampMs(range, 'start', at(path, key));
      if (startMs === undefined) throw malformed(`${at(path, key)}.start is missing`);
      const endMs = optTimestampMs(range, 'end', at(path, key));
      if (endMs !== undefined && endMs < startMs) {
        throw malformed(`${at(path, key)}.end is before its start`);
      }
      return endMs === undefined ? { startMs } : { startMs, endMs };
    },
  };
}

/**
 * Parses `YYYY-MM-DDTHH:MM:SS[.fraction]Z` to epoch ms, truncating the fraction below a
 * millisecond. Returns undefined for anything else, including impossible dates (Feb 30).
 */
export function parseRfc3339Ms(text: string): number | undefined {
  const m = RFC3339_UTC.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const d = new Date(t);
  // Date.UTC normalises overflow (month 13, day 31 in April); a round trip rejects it.
  if (
    d.getUTCFullYear() !== year ||
    d.getUTCMonth() !== month - 1 ||
    d.getUTCDate() !== day ||
    d.getUTCHours() !== hour ||
    d.getUTCMinutes() !== minute ||
    d.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return t;
}
