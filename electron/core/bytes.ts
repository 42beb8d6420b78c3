// Strict byte encodings for attacker-controlled text. Buffer.from(x, 'base64') silently skips
// bad characters and BigInt() accepts "0x10"; these helpers accept exactly one spelling.

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes standard (RFC 4648 §4) padded base64. Returns undefined unless the text is canonical:
 * only the standard alphabet, correct padding, and zero unused bits. Returns a fresh
 * Uint8Array of its own (never a view into a shared pool).
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  // Canonical base64 of n bytes is 4·ceil(n/3) characters, the last 0-2 of them "=".
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Buffer's decoder is lenient (it skips bad characters, accepts URL-safe ones and missing
  // padding), so it only proposes bytes. Exactness comes from the round trip: the encoder
  // writes one canonical spelling of any bytes, so the text equals it only when the text was
  // canonical, and then these are the bytes it spells. No regex pre-check is needed.
  view.write(text, 'base64');
  return view.toString('base64') === text ? bytes : undefined;
}

/** Each byte's value as a standard base64 digit, or -1 for bytes outside the alphabet. */
const BASE64_DIGIT = (() => {
  const digits = new Int32Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) digits[alphabet.charCodeAt(i)] = i;
  return digits;
})();
const PAD = 0x3d; // '='

/**
 * decodeBase64Strict for base64 text given as its ASCII bytes (a slice of a JSON document, say):
 * the same canonical spelling is required and the same bytes result, without first making a
 * string of the text. Returns a fresh Uint8Array, or undefined.
 */
export function decodeBase64AsciiStrict(ascii: Uint8Array): Uint8Array | undefined {
  const length = ascii.length;
  if (length % 4 !== 0) return undefined;
  if (length === 0) return new Uint8Array(0);
  const padding = ascii[length - 1] !== PAD ? 0 : ascii[length - 2] !== PAD ? 1 : 2;
  const bytes = new Uint8Array((length / 4) * 3 - padding);
  const digits = BASE64_DIGIT;
  // Four digits make 24 bits; a digit of -1 (not in the alphabet) makes the whole group negative.
  const fullGroupsEnd = padding === 0 ? length : length - 4;
  let out = 0;
  for (let i = 0; i < fullGroupsEnd; i += 4) {
    const group =
      ((digits[ascii[i] as number] as number) << 18) |
      ((digits[ascii[i + 1] as number] as number) << 12) |
      ((digits[ascii[i + 2] as number] as number) << 6) |
      (digits[ascii[i + 3] as number] as number);
    if (group < 0) return undefined;
    bytes[out] = group >> 16;
    bytes[out + 1] = group >> 8;
    bytes[out + 2] = group;
    out += 3;
  }
  if (padding === 0) return bytes;
  // The last group: 2 or 3 digits, then "=" padding, and the bits past the last byte all zero.
  const last = length - 4;
  const third = padding === 2 ? 0 : (digits[ascii[last + 2] as number] as number);
  const group =
    ((digits[ascii[last] as number] as number) << 18) |
    ((digits[ascii[last + 1] as number] as number) << 12) |
    (third << 6);
  if (group < 0 || (group & (padding === 2 ? 0xffff : 0xff)) !== 0) return undefined;
  bytes[out] = group >> 16;
  if (padding === 1) bytes[out + 1] = group >> 8;
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
