import { describe, expect, it } from 'vitest';
import {
  decodeOid,
  readDerChildren,
  readDerElement,
  readDerWhole,
} from '../../../../electron/core/identity/der';
import { der } from '../../../support/cert-factory';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('readDerElement', () => {
  it.each([
    {
      desc: 'a short-form length',
      input: bytes(0x04, 0x02, 0xaa, 0xbb),
      want: { tag: 0x04, start: 0, end: 4, contents: bytes(0xaa, 0xbb) },
    },
    {
      desc: 'a long-form length',
      input: new Uint8Array(der.octetString(new Uint8Array(200))),
      want: { tag: 0x04, start: 0, end: 203, contents: new Uint8Array(200) },
    },
  ])('reads $desc', ({ input, want }) => {
    expect(readDerElement(input)).toEqual(want);
  });

  it.each([
    { desc: 'an empty input', input: bytes() },
    { desc: 'a lone tag', input: bytes(0x30) },
    { desc: 'a multi-byte tag', input: bytes(0x1f, 0x01, 0x00) },
    { desc: 'an indefinite length', input: bytes(0x30, 0x80, 0x00, 0x00) },
    { desc: 'a non-minimal long form', input: bytes(0x04, 0x81, 0x01, 0xaa) },
    { desc: 'a leading zero length octet', input: bytes(0x04, 0x82, 0x00, 0x80) },
    { desc: 'five length octets', input: bytes(0x04, 0x85, 1, 0, 0, 0, 0) },
    { desc: 'a length beyond the input', input: bytes(0x04, 0x03, 0xaa) },
    { desc: 'a truncated long-form length', input: bytes(0x04, 0x82, 0x01) },
  ])('rejects $desc with CERTIFICATE_MALFORMED', ({ input }) => {
    expect(() => readDerElement(input)).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('readDerWhole', () => {
  it('rejects trailing bytes', () => {
    expect(() => readDerWhole(bytes(0x05, 0x00, 0x00))).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('readDerChildren', () => {
  it('reads the children of a constructed element with offsets inside it', () => {
    const [a, b] = readDerChildren(
      readDerWhole(new Uint8Array(der.sequence(der.integer(1n), der.boolean(true)))),
    );
    expect([a, b]).toEqual([
      { tag: 0x02, start: 0, end: 3, contents: bytes(1) },
      { tag: 0x01, start: 3, end: 6, contents: bytes(0xff) },
    ]);
  });

  it.each([
    { desc: 'a primitive element', input: der.octetString(der.integer(1n)) },
    { desc: 'a child that overruns its parent', input: bytes(0x30, 0x03, 0x04, 0x05, 0x00) },
  ])('rejects $desc', ({ input }) => {
    expect(() => readDerChildren(readDerWhole(input))).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('decodeOid', () => {
  it.each(['1.3.6.1.4.1.57264.1.12', '2.5.29.17', '2.999.1', '0.9.2342.19200300.100.1.25'])(
    'round-trips %s',
    (oid) => {
      expect(decodeOid(readDerWhole(der.oid(oid)).contents)).toBe(oid);
    },
  );

  it.each([
    { desc: 'no arcs', input: bytes() },
    { desc: 'a truncated arc', input: bytes(0x2b, 0x86) },
    { desc: 'a non-minimal arc', input: bytes(0x2b, 0x80, 0x01) },
  ])('rejects $desc', ({ input }) => {
    expect(() => decodeOid(input)).toThrowCode('CERTIFICATE_MALFORMED');
  });
});
