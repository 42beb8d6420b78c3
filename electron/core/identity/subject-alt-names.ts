// SubjectAltName (RFC 5280 §4.2.1.6) GeneralNames to the SAN values a watch can match:
// e-mail, URI, DNS name, IP address and Fulcio's username otherName (FORMATS.md §6, .1.7).
import {
  DER_TAG,
  decodeOid,
  derMalformed,
  expectDerTag,
  readDerChildren,
  readDerWhole,
  type DerElement,
} from './der';
import { OTHERNAME_USERNAME_OID } from './fulcio-extensions';
import type { SubjectAltName } from './types';
import { decodeUtf8Strict } from '../bytes';

// GeneralName CHOICE tags (context-specific; otherName is constructed).
const OTHER_NAME = 0xa0;
const RFC822_NAME = 0x81;
const DNS_NAME = 0x82;
const URI = 0x86;
const IP_ADDRESS = 0x87;
const EXPLICIT_0 = 0xa0;

/**
 * Decodes the extnValue of a SubjectAltName extension, in certificate order. Other GeneralName
 * kinds (directoryName, registeredID, otherNames with another type-id) carry nothing a watch
 * names and are skipped. IA5String names must be ASCII, as Go's x509 requires.
 */
export function parseSubjectAltNames(extnValue: Uint8Array): SubjectAltName[] {
  const names = readDerWhole(extnValue);
  expectDerTag(names, DER_TAG.SEQUENCE, 'GeneralNames');
  const sans: SubjectAltName[] = [];
  for (const name of readDerChildren(names)) {
    // GeneralName is a CHOICE of context-specific tags only.
    if ((name.tag & 0xc0) !== 0x80)
      throw derMalformed(`GeneralName with tag 0x${name.tag.toString(16)}`);
    switch (name.tag) {
      case RFC822_NAME:
        sans.push({ type: 'email', value: ia5(name, 'rfc822Name') });
        break;
      case URI:
        sans.push({ type: 'uri', value: ia5(name, 'uniformResourceIdentifier') });
        break;
      case DNS_NAME:
        sans.push({ type: 'dns', value: ia5(name, 'dNSName') });
        break;
      case IP_ADDRESS:
        sans.push({ type: 'ip', value: formatIpAddress(name.contents) });
        break;
      case OTHER_NAME: {
        const username = fulcioUsername(name);
        if (username !== undefined) sans.push({ type: 'otherName', value: username });
        break;
      }
      default:
        break;
    }
  }
  return sans;
}

function ia5(name: DerElement, what: string): string {
  // ASCII is valid UTF-8 that decodes to the same characters: one native decode, then a check.
  const text = decodeUtf8Strict(name.contents);
  if (text === undefined || NON_ASCII.test(text)) {
    throw derMalformed(`SAN ${what} is not IA5 (ASCII)`);
  }
  return text;
}

const NON_ASCII = /[^\0-\x7f]/;

/** otherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }; only Fulcio's username. */
function fulcioUsername(name: DerElement): string | undefined {
  const [typeId, value, ...extra] = readDerChildren(name);
  if (value === undefined || extra.length > 0) throw derMalformed('otherName arity');
  const oid = decodeOid(expectDerTag(typeId, DER_TAG.OID, 'otherName type-id').contents);
  if (oid !== OTHERNAME_USERNAME_OID) return undefined;
  const [inner, ...rest] = readDerChildren(expectDerTag(value, EXPLICIT_0, 'otherName value'));
  if (rest.length > 0) throw derMalformed('otherName value arity');
  const text = decodeUtf8Strict(expectDerTag(inner, DER_TAG.UTF8_STRING, 'username').contents);
  if (text === undefined) throw derMalformed('otherName username is not valid UTF-8');
  return text;
}

/** RFC 5952 text for a 4- or 16-byte iPAddress. */
function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) throw derMalformed(`iPAddress of ${bytes.length} bytes, want 4 or 16`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] ?? 0) * 256 + (bytes[i + 1] ?? 0));
  // Compress the longest run of two or more zero groups (the first, on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(':');
  const head = text.slice(0, bestStart).join(':');
  const tail = text.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
