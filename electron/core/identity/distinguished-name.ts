// X.501 Name to its RFC 4514 string form ("CN=sigstore-intermediate,O=sigstore.dev"):
// RDNs in reverse order, short names from RFC 4514 §3, unknown types as "<oid>=#<hex>".
import {
  DER_TAG,
  decodeOid,
  derMalformed,
  expectDerTag,
  readDerChildren,
  type DerElement,
} from './der';
import { bytesEqual, decodeUtf8Strict, encodeHex } from '../bytes';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

/**
 * Formats a DER Name element as an RFC 4514 string. An empty Name (Fulcio leaves have one)
 * formats as "". Throws CERTIFICATE_MALFORMED for bad structure or undecodable strings.
 */
export function formatDistinguishedName(name: DerElement): string {
  expectDerTag(name, DER_TAG.SEQUENCE, 'Name');
  // Leaves of one CA share its name: the last few names formatted are remembered, by bytes.
  for (const recent of recentNames) {
    if (bytesEqual(recent.contents, name.contents)) return recent.text;
  }
  const text = formatName(name);
  recentNames.unshift({ contents: name.contents.slice(), text });
  recentNames.length = Math.min(recentNames.length, RECENT_NAMES);
  return text;
}

const RECENT_NAMES = 4;
const recentNames: { readonly contents: Uint8Array; readonly text: string }[] = [];

function formatName(name: DerElement): string {
  const rdns = readDerChildren(name).map((rdn) => {
    expectDerTag(rdn, DER_TAG.SET, 'RelativeDistinguishedName');
    const attributes = readDerChildren(rdn);
    if (attributes.length === 0) throw derMalformed('empty RelativeDistinguishedName');
    return attributes.map(formatAttribute).join('+');
  });
  return rdns.reverse().join(',');
}

function formatAttribute(attribute: DerElement): string {
  expectDerTag(attribute, DER_TAG.SEQUENCE, 'AttributeTypeAndValue');
  const [type, value, ...extra] = readDerChildren(attribute);
  if (value === undefined || extra.length > 0) throw derMalformed('AttributeTypeAndValue arity');
  const oid = decodeOid(expectDerTag(type, DER_TAG.OID, 'attribute type').contents);
  const shortName = SHORT_NAMES[oid];
  const text = shortName === undefined ? undefined : decodeDirectoryString(value);
  // RFC 4514 §2.4: dotted-decimal types, and values that are not strings, use #hex of the BER.
  if (text === undefined)
    return `${shortName ?? oid}=#${encodeHex(attributeBytes(attribute, value))}`;
  return `${shortName}=${escapeValue(text)}`;
}

/** The whole TLV of `value`, which lies inside `attribute.contents`. */
function attributeBytes(attribute: DerElement, value: DerElement): Uint8Array {
  return attribute.contents.subarray(value.start, value.end);
}

function decodeDirectoryString(value: DerElement): string | undefined {
  const bytes = value.contents;
  switch (value.tag) {
    case DER_TAG.UTF8_STRING:
    case DER_TAG.PRINTABLE_STRING:
    case DER_TAG.IA5_STRING:
      return decodeUtf8Strict(bytes);
    case DER_TAG.T61_STRING:
      // Treated as Latin-1, as Go and OpenSSL do in practice.
      return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
    case DER_TAG.BMP_STRING:
      return decodeWide(bytes, 2);
    case DER_TAG.UNIVERSAL_STRING:
      return decodeWide(bytes, 4);
    default:
      return undefined;
  }
}

function decodeWide(bytes: Uint8Array, width: 2 | 4): string {
  if (bytes.length % width !== 0) throw derMalformed('wide string length');
  let text = '';
  for (let i = 0; i < bytes.length; i += width) {
    let code = 0;
    for (let j = 0; j < width; j++) code = code * 256 + (bytes[i + j] ?? 0);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw derMalformed('wide string code point');
    }
    text += String.fromCodePoint(code);
  }
  return text;
}

/** RFC 4514 §2.4 escaping: specials anywhere, '#' or space first, space last, NUL as \00. */
function escapeValue(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const edge = (i === 0 && (c === ' ' || c === '#')) || (i === text.length - 1 && c === ' ');
    if (c === '\0') out += '\\00';
    else if (edge || '"+,;<>\\'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}
