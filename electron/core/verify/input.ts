// Recognises what was handed to `vigil verify` (and `vigil inspect`/`vigil match`): a signed
// checkpoint, a Rekor v1 LogEntry (or an entries/retrieve array of them), a Sigstore bundle, a
// protobuf-JSON TransparencyLogEntry or a cosign bundle annotation, and normalises it.
import { parseRekorV1LogEntry } from '../entries/rekor-v1-entry';
import { InputError } from '../errors';
import { isBundleMediaType, parseBundleEntries } from './bundle';
import {
  entryInputFromRekorV1,
  parseCosignBundleAnnotation,
  parseTransparencyLogEntry,
  type EntryInput,
} from './entry-input';

/** One thing to verify: a checkpoint's signed note envelope, or one entry. */
export type VerifyInput =
  | { readonly type: 'checkpoint'; readonly envelope: string }
  | { readonly type: 'entry'; readonly entry: EntryInput };

const REKOR_V1_UUID = /^(?:[0-9a-f]{16})?[0-9a-f]{64}$/;

/**
 * Reads a whole file's text. Text whose first non-space character is `{`, `[` or `"` must be
 * JSON and is passed to parseInputValue; anything else is taken verbatim as a signed checkpoint
 * (not trimmed: the signature covers the exact bytes). Throws InputError('INVALID_INPUT') for
 * invalid JSON, and whatever parseInputValue throws.
 */
export function parseInputText(text: string): VerifyInput[] {
  return /^\s*[[{"]/.test(text)
    ? parseInputValue(parseJson(text))
    : [{ type: 'checkpoint', envelope: text }];
}

/**
 * Recognises one JSON value: a string is a checkpoint envelope; an object is a bundle (it has a
 * Sigstore bundle mediaType), a TransparencyLogEntry (it has canonicalizedBody or kindVersion),
 * a cosign bundle annotation (Payload + SignedEntryTimestamp) or a Rekor v1 LogEntry (one key,
 * an entry UUID); an array is a list of LogEntry objects (entries/retrieve output). A bundle
 * yields one input per tlog entry. Throws InputError('INVALID_INPUT') for anything else, or
 * the VerificationError of the recognised form's parser (BUNDLE_MALFORMED, RESPONSE_MALFORMED,
 * ENTRY_MALFORMED, ENTRY_MISMATCH).
 */
export function parseInputValue(value: unknown): VerifyInput[] {
  if (typeof value === 'string') return [{ type: 'checkpoint', envelope: value }];
  if (Array.isArray(value)) {
    if (value.length === 0) throw unrecognised('an empty array');
    return value.map((v) => {
      if (!isRekorV1LogEntry(v))
        throw unrecognised('an array of something other than LogEntry objects');
      return entry(entryInputFromRekorV1(parseRekorV1LogEntry(v)));
    });
  }
  if (typeof value !== 'object' || value === null)
    throw unrecognised(`a JSON ${value === null ? 'null' : typeof value}`);
  const obj = value as Readonly<Record<string, unknown>>;
  if (Object.hasOwn(obj, 'mediaType') && isBundleMediaType(obj.mediaType)) {
    return parseBundleEntries(obj).map(entry);
  }
  if (Object.hasOwn(obj, 'canonicalizedBody') || Object.hasOwn(obj, 'kindVersion')) {
    return [entry(parseTransparencyLogEntry(obj))];
  }
  if (Object.hasOwn(obj, 'Payload') && Object.hasOwn(obj, 'SignedEntryTimestamp')) {
    return [entry(parseCosignBundleAnnotation(obj))];
  }
  if (isRekorV1LogEntry(obj)) return [entry(entryInputFromRekorV1(parseRekorV1LogEntry(obj)))];
  throw unrecognised('a JSON object of no known form');
}

/** Parses JSON text, throwing InputError('INVALID_INPUT') instead of SyntaxError. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError('INVALID_INPUT', `not valid JSON: ${(err as Error).message}`);
  }
}

function isRekorV1LogEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && REKOR_V1_UUID.test(keys[0]!);
}

const entry = (e: EntryInput): VerifyInput => ({ type: 'entry', entry: e });

const unrecognised = (what: string) =>
  new InputError(
    'INVALID_INPUT',
    `got ${what}; want a signed checkpoint, a Rekor LogEntry, a Sigstore bundle or a TransparencyLogEntry`,
  );
