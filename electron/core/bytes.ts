// Strict byte encodings for attacker-controlled text. Buffer.from(x, 'base64') silently skips
// bad characters and BigInt() accepts "0x10"; these helpers accept exactly one spelling.

const BASE64_STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes standard (RFC 4648 §4) padded base64. Returns undefined unless the text is canonical:
 * only the standard alphabet, correct padding, and zero unused bits.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!BASE64_STD.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  // Round-trip rejects non-zero trailing bits ("AB==" vs "AA==").
  if (Buffer.from(bytes).toString('base64') !== text) return undefined;
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes hex (either case). Returns undefined for odd length or non-hex characters. */
export function decodeHex(text: string): Uint8Array | undefined {
  if (!HEX.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Lowercase hex. */
export function encodeHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Decodes UTF-8, returning undefined for invalid sequences (never U+FFFD substitution). */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Parses a canonical non-negative decimal integer no larger than 2^53-1: no sign, no leading
 * zeros, no hex, no whitespace. Returns undefined otherwise.
 */
export function parseCanonicalUint(text: string): number | undefined {
  if (!CANONICAL_DECIMAL.test(text) || text.length > 16) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
