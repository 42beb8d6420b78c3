import { describe, expect, it } from 'vitest';
import { readDerWhole } from '../../../../electron/core/identity/der';
import { formatDistinguishedName } from '../../../../electron/core/identity/distinguished-name';
import { der } from '../../../../electron/demo/cert-factory';

const attribute = (oid: string, value: Uint8Array) => der.sequence(der.oid(oid), value);
const rdn = (...attributes: Uint8Array[]) => der.set(...attributes);
const CN = '2.5.4.3';
const O = '2.5.4.10';

describe('formatDistinguishedName', () => {
  it.each([
    { desc: 'an empty Name', name: der.sequence(), want: '' },
    {
      desc: 'RDNs, last first',
      name: der.sequence(
        rdn(attribute(O, der.printableString('sigstore.dev'))),
        rdn(attribute(CN, der.utf8String('sigstore'))),
      ),
      want: 'CN=sigstore,O=sigstore.dev',
    },
    {
      desc: 'a multi-valued RDN',
      name: der.sequence(
        rdn(attribute(CN, der.utf8String('a')), attribute(O, der.utf8String('b'))),
      ),
      want: 'CN=a+O=b',
    },
    {
      desc: 'RFC 4514 special characters',
      name: der.sequence(
        rdn(attribute(CN, der.utf8String('#a,b+c"d\\e<f>g;h '))),
        rdn(attribute(O, der.utf8String(' x'))),
      ),
      want: 'O=\\ x,CN=\\#a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\ ',
    },
    {
      desc: 'a BMPString',
      name: der.sequence(rdn(attribute(CN, der.tlv(0x1e, Buffer.from([0, 0x41, 0x00, 0xe9]))))),
      want: 'CN=Aé',
    },
    {
      desc: 'an attribute type without a short name',
      name: der.sequence(rdn(attribute('1.2.840.113549.1.9.1', der.ia5String('a@b')))),
      want: '1.2.840.113549.1.9.1=#1603614062',
    },
    {
      desc: 'a string that is not valid UTF-8, as #hex',
      name: der.sequence(rdn(attribute(CN, der.tlv(0x0c, Buffer.from([0xff]))))),
      want: 'CN=#0c01ff',
    },
  ])('formats $desc', ({ name, want }) => {
    expect(formatDistinguishedName(readDerWhole(name))).toBe(want);
  });

  it.each([
    {
      desc: 'an RDN that is not a SET',
      name: der.sequence(der.sequence(attribute(CN, der.utf8String('a')))),
    },
    { desc: 'an empty RDN', name: der.sequence(rdn()) },
    { desc: 'an attribute without a value', name: der.sequence(rdn(der.sequence(der.oid(CN)))) },
    {
      desc: 'an odd-length BMPString',
      name: der.sequence(rdn(attribute(CN, der.tlv(0x1e, Buffer.from([0]))))),
    },
  ])('rejects $desc with CERTIFICATE_MALFORMED', ({ name }) => {
    expect(() => formatDistinguishedName(readDerWhole(name))).toThrowCode('CERTIFICATE_MALFORMED');
  });
});
