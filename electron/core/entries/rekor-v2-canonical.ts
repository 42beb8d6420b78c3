// A fast path of parseEntryBody for Rekor v2 entries in the form rekor-tiles logs them: RFC 8785
// canonical JSON (keys sorted, no whitespace) of hashedrekord 0.0.2 and dsse 0.0.2. A scan
// spent more time in UTF-8 decoding and JSON.parse than in anything else; this reads such a
// body in one pass and finds its long base64 fields with a byte search.
import { verifierKeySigner } from './rekor-v2-kinds';
import type { EntryBody, Signer } from './types';
import { decodeBase64AsciiStrict } from '../bytes';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Reads `bytes` when they are exactly a canonical hashedrekord 0.0.2 or dsse 0.0.2 entry (as
 * in test/fixtures/realdata/rekor-v2) whose strings hold no escapes and no non-ASCII text, and
 * whose rawBytes fields are standard base64; returns undefined for anything else, which the
 * caller must then parse the general way. When it returns a value, or throws, it returns or
 * throws exactly what the general path (strict UTF-8, JSON.parse, REKOR_V2_KINDS) would: the
 * bytes are then valid JSON whose value it knows, and it builds the signers with the same
 * function. Checks no signature or certificate contents (see identity/identify).
 */
export function readCanonicalRekorV2Entry(bytes: Uint8Array): EntryBody | undefined {
  const cursor = new Cursor(bytes);
  if (!cursor.literal('{"apiVersion":"0.0.2","kind":"')) return undefined;
  if (cursor.literal('hashedrekord","spec":{"hashedRekordV002":{"data":')) {
    if (!cursor.hashOutput() || !cursor.literal(',"signature":')) return undefined;
    const signature = cursor.signature();
    if (signature === undefined || !cursor.literal('}}}') || !cursor.atEnd()) return undefined;
    return known('hashedrekord', [signature], () => 'spec.hashedRekordV002.signature.verifier');
  }
  if (cursor.literal('dsse","spec":{"dsseV002":{"payloadHash":')) {
    if (!cursor.hashOutput() || !cursor.literal(',"signatures":[')) return undefined;
    const signatures: CanonicalSignature[] = [];
    do {
      const signature = cursor.signature();
      if (signature === undefined) return undefined;
      signatures.push(signature);
    } while (cursor.literal(','));
    if (!cursor.literal(']}}}') || !cursor.atEnd()) return undefined;
    return known('dsse', signatures, (i) => `spec.dsseV002.signatures[${i}].verifier`);
  }
  return undefined;
}

/** One `{"content":…,"verifier":{…}}` object, its rawBytes not yet decoded. */
interface CanonicalSignature {
  readonly keyDetails: string;
  readonly key: 'x509Certificate' | 'publicKey';
  /** The text of rawBytes, as the ASCII bytes of the body (not yet known to be base64). */
  readonly rawBytes: Uint8Array;
}

/**
 * The body of a known kind: undefined (take the general path) if any rawBytes is not standard
 * base64, since the general path reports that with its own error.
 */
function known(
  kind: 'hashedrekord' | 'dsse',
  signatures: readonly CanonicalSignature[],
  verifierPath: (i: number) => string,
): EntryBody | undefined {
  const ders: Uint8Array[] = [];
  for (const { rawBytes } of signatures) {
    const der = decodeBase64AsciiStrict(rawBytes);
    if (der === undefined) return undefined;
    ders.push(der);
  }
  // In order, as the general path reads them, so the first bad signer throws the same error.
  const signers: Signer[] = signatures.map(({ key, keyDetails }, i) =>
    verifierKeySigner(key, ders[i] as Uint8Array, verifierPath(i), keyDetails),
  );
  return { apiVersion: '0.0.2', kind, known: true, signers };
}

/** Reads canonical JSON forward; every method consumes input only when it returns success. */
class Cursor {
  readonly #bytes: Uint8Array;
  /** The same memory, for Buffer's native search and Latin-1 decoding. */
  readonly #buffer: Buffer;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  atEnd(): boolean {
    return this.#at === this.#bytes.length;
  }

  /** Consumes `text` (ASCII) if the input continues with it. */
  literal(text: string): boolean {
    const bytes = this.#bytes;
    const at = this.#at;
    if (at + text.length > bytes.length) return false;
    for (let i = 0; i < text.length; i++) {
      if (bytes[at + i] !== text.charCodeAt(i)) return false;
    }
    this.#at = at + text.length;
    return true;
  }

  /** `{"algorithm":"…","digest":"…"}` (HashOutput), neither value read further. */
  hashOutput(): boolean {
    return (
      this.literal('{"algorithm":"') &&
      this.skipPlainString() &&
      this.literal('","digest":"') &&
      this.skipPlainString() &&
      this.literal('"}')
    );
  }

  /** `{"content":"…","verifier":{"keyDetails":"…","<key>":{"rawBytes":"…"}}}`. */
  signature(): CanonicalSignature | undefined {
    if (!this.literal('{"content":"') || !this.skipPlainString()) return undefined;
    if (!this.literal('","verifier":{"keyDetails":"')) return undefined;
    const keyDetails = this.plainString();
    if (keyDetails === undefined || !this.literal('","')) return undefined;
    const key = this.literal('x509Certificate') ? 'x509Certificate' : 'publicKey';
    if (key === 'publicKey' && !this.literal('publicKey')) return undefined;
    if (!this.literal('":{"rawBytes":"')) return undefined;
    const rawBytes = this.untilQuote();
    if (rawBytes === undefined || !this.literal('"}}}')) return undefined;
    return { keyDetails, key, rawBytes };
  }

  /** plainString's text, if there is one. */
  plainString(): string | undefined {
    const end = this.#plainStringEnd();
    return end < 0 ? undefined : this.#take(end);
  }

  /** Consumes what plainString would return, without making a string of it. */
  skipPlainString(): boolean {
    const end = this.#plainStringEnd();
    if (end >= 0) this.#at = end;
    return end >= 0;
  }

  /**
   * The bytes up to the next quote (not consumed), without looking at them: only for a value
   * that must then decode as standard base64, whose alphabet is a subset of plain JSON string
   * characters (so anything else fails that decoding instead).
   */
  untilQuote(): Uint8Array | undefined {
    const start = this.#at;
    const end = this.#buffer.indexOf(QUOTE, start);
    if (end < 0) return undefined;
    this.#at = end;
    return this.#bytes.subarray(start, end);
  }

  /**
   * Where the JSON string whose contents start here closes, if every byte up to its closing
   * quote is printable ASCII other than a backslash, so that the string's value is exactly
   * those characters; -1 otherwise.
   */
  #plainStringEnd(): number {
    const bytes = this.#bytes;
    for (let i = this.#at; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      if (byte === QUOTE) return i;
      if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH) return -1;
    }
    return -1;
  }

  /** The input from here up to `end` as Latin-1 text; consumes it. */
  #take(end: number): string {
    const start = this.#at;
    this.#at = end;
    return this.#buffer.toString('latin1', start, end);
  }
}
