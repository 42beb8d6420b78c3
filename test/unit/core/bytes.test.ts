// Strict base64: one spelling per byte string, whichever decoder reads it. The reference is the
// former implementation: a regex for the alphabet and padding, then a round trip for the bits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64AsciiStrict, decodeBase64Strict } from '../../../electron/core/bytes';

const REFERENCE_SYNTAX = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
function referenceDecode(text: string): Uint8Array | undefined {
  if (!REFERENCE_SYNTAX.test(text)) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64'));
  return Buffer.from(bytes).toString('base64') === text ? bytes : undefined;
}

/** Text as the bytes of a UTF-8 document (a JSON body), where decodeBase64AsciiStrict reads it. */
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const decoders = [
  { name: 'decodeBase64Strict', decode: decodeBase64Strict },
  {
    name: 'decodeBase64AsciiStrict',
    decode: (text: string) => decodeBase64AsciiStrict(utf8(text)),
  },
];

/** Text near base64: mostly its alphabet, sometimes padding, look-alikes and whitespace. */
const nearBase64 = fc
  .array(
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom('=', '-', '_', ' ', '\n', '\\', '\u00c1', '\u0141') },
    ),
    { maxLength: 16 },
  )
  .map((chars) => chars.join(''));

describe.each(decoders)('$name', ({ decode }) => {
  it.each([
    { text: '', want: [] },
    { text: 'AA==', want: [0] },
    { text: 'AAA=', want: [0, 0] },
    { text: 'AAAA', want: [0, 0, 0] },
    { text: '/+8=', want: [0xff, 0xef] },
    { text: 'SGVsbG8=', want: [...Buffer.from('Hello')] },
  ])('decodes canonical $text', ({ text, want }) => {
    expect(decode(text)).toEqual(new Uint8Array(want));
  });

  it.each([
    { desc: 'missing padding', text: 'AA' },
    { desc: 'too much padding', text: 'A===' },
    { desc: 'only padding', text: '====' },
    { desc: 'padding inside', text: 'AA==AAAA' },
    { desc: 'non-zero unused bits (2 bytes)', text: 'AAB=' },
    { desc: 'non-zero unused bits (1 byte)', text: 'AB==' },
    { desc: 'URL-safe characters', text: '-_8=' },
    { desc: 'whitespace', text: 'AA AA' },
    { desc: 'a line break', text: 'AAAA\nAAAA' },
    { desc: 'a non-ASCII letter', text: 'AAA\u00c1' },
    { desc: 'a letter whose low byte is "A"', text: 'AAA\u0141' },
    { desc: 'a length not a multiple of 4', text: 'AAAAA' },
  ])('rejects $desc', ({ text }) => {
    expect(decode(text)).toBeUndefined();
  });

  it('agrees with the reference on text near base64 (property)', () => {
    fc.assert(
      fc.property(nearBase64, (text) => {
        expect(decode(text)).toEqual(referenceDecode(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes what Buffer encodes, into memory of its own (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const decoded = decode(Buffer.from(bytes).toString('base64'))!;
        expect(decoded).toEqual(bytes);
        expect(decoded).not.toBeInstanceOf(Buffer);
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(bytes.length);
      }),
    );
  });
});

describe('decodeBase64AsciiStrict', () => {
  it('reads a slice of a larger buffer', () => {
    const json = utf8('{"rawBytes":"SGVsbG8="}');
    expect(decodeBase64AsciiStrict(json.subarray(13, 21))).toEqual(utf8('Hello'));
  });
});
