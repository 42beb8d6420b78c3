// An entry body (the leaf bytes of Rekor v1 and v2 logs) to the signers it names. Rekor v1
// bodies and Rekor v2 entries share the `{apiVersion, kind, spec}` envelope; v2 kinds are the
// 0.0.2 versions whose spec wraps `hashedRekordV002` / `dsseV002` (FORMATS.md §1.3, §2.3).
import { asObject, entryMalformed, objectField, stringField } from './entry-json';
import { REKOR_V1_KINDS, type SignerReader } from './rekor-v1-kinds';
import { readCanonicalRekorV2Entry } from './rekor-v2-canonical';
import { REKOR_V2_KINDS } from './rekor-v2-kinds';
import type { EntryBody } from './types';
import { decodeUtf8Strict } from '../bytes';

const KNOWN_KINDS: Readonly<Record<string, SignerReader>> = {
  ...REKOR_V1_KINDS,
  ...REKOR_V2_KINDS,
};

/** `kind@apiVersion` of every entry kind parseEntryBody reads signers from. */
export const KNOWN_ENTRY_KINDS: readonly string[] = Object.keys(KNOWN_KINDS);

/**
 * Parses entry body bytes into their kind, version and signers (certificates and public keys,
 * each with the JSON path it was found at). An unknown kind or version is not an error: it
 * comes back as `known: false` with no signers, so the caller can record it. Syntax only: no
 * signature, certificate or chain is checked here (see identity/identify).
 * Throws VerificationError(ENTRY_MALFORMED) for invalid UTF-8 or JSON, a missing or mistyped
 * field of a known kind, or signer material that does not decode.
 */
export function parseEntryBody(bytes: Uint8Array): EntryBody {
  // Nearly every entry a Rekor v2 scan reads is canonical JSON of a known shape: read those
  // without JSON.parse. Same result or error either way (see readCanonicalRekorV2Entry).
  return readCanonicalRekorV2Entry(bytes) ?? parseEntryBodyJson(bytes);
}

/**
 * parseEntryBody the general way, for any body: strict UTF-8, JSON.parse, then the kind's
 * reader. Exported so that tests can hold the canonical fast path to it; callers use
 * parseEntryBody.
 */
export function parseEntryBodyJson(bytes: Uint8Array): EntryBody {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw entryMalformed('body', 'not valid UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw entryMalformed('body', 'not valid JSON', err);
  }
  const body = asObject(json, 'body');
  const kind = stringField(body, 'kind', '');
  const apiVersion = stringField(body, 'apiVersion', '');
  const readSigners = Object.hasOwn(KNOWN_KINDS, `${kind}@${apiVersion}`)
    ? KNOWN_KINDS[`${kind}@${apiVersion}`]
    : undefined;
  if (readSigners === undefined) return { apiVersion, kind, known: false, signers: [] };
  return { apiVersion, kind, known: true, signers: readSigners(objectField(body, 'spec', '')) };
}
