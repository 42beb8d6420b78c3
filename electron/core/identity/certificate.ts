// X.509 v3 certificate (RFC 5280 §4.1) parsed for identity and chain checks, with our own DER
// reader: it slices the exact signed bytes (signatures must be checked over the bytes received,
// never a re-encoding) and reads every part without exceptions on well-formed input. Only the
// validity times are decoded by @sigstore/core's ASN.1 reader. Its X509Certificate is not used:
// its parser tries to read every OCTET STRING as nested DER and throws (and catches) an
// ASN1ParseError for each that is not, several per Fulcio certificate, which made parsing a
// certificate cost more than matching it (sigstore-js packages/core/src/asn1/obj.ts).
import { ASN1Obj } from '@sigstore/core';
import {
  DER_TAG,
  checkDerFraming,
  decodeOid,
  decodeOidAt,
  derMalformed,
  expectDerTag,
  readDerChildren,
  readDerFrame,
  readDerWhole,
  type DerElement,
  type DerFrame,
} from './der';
import { formatDistinguishedName } from './distinguished-name';
import { VerificationError } from '../errors';
import { bytesEqual, encodeHex } from '../bytes';

/** Far above any Fulcio or CA certificate (a few KiB); bounds the work a hostile one can cause. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const KEY_USAGE_KEY_CERT_SIGN = 5;
const VERSION_TAG = 0xa0;
const EXTENSIONS_TAG = 0xa3;

export interface CertificateExtension {
  readonly critical: boolean;
  /** The extnValue OCTET STRING contents. */
  readonly value: Uint8Array;
}

/** A syntactically valid certificate; nothing about it is trusted yet. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  /** The exact tbsCertificate bytes the issuer signed. */
  readonly tbsDer: Uint8Array;
  readonly signatureAlgorithmOid: string;
  readonly signatureValue: Uint8Array;
  /** The serialNumber INTEGER contents octets, as encoded. */
  readonly serialNumber: Uint8Array;
  /** Lowercase hex of the serial number without leading zeros ("-" prefix if negative). */
  readonly serialHex: string;
  /** DER of the issuer and subject Name elements, for byte-exact chaining. */
  readonly issuerNameDer: Uint8Array;
  readonly subjectNameDer: Uint8Array;
  readonly issuerDn: string;
  readonly subjectDn: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly spkiDer: Uint8Array;
  /** By dotted OID; a certificate listing an extension twice is rejected (RFC 5280 §4.2). */
  readonly extensions: ReadonlyMap<string, CertificateExtension>;
  /** basicConstraints cA=TRUE, and keyCertSign if keyUsage is present. */
  readonly isCa: boolean;
  /** extKeyUsage OIDs, or undefined when the extension is absent. */
  readonly extendedKeyUsages: readonly string[] | undefined;
}

/**
 * Parses one DER certificate. Syntax only: no signature, validity or trust is checked.
 * Any problem, including ones the ASN.1 library reports as raw exceptions, becomes
 * VerificationError(CERTIFICATE_MALFORMED); inputs above MAX_CERTIFICATE_BYTES are refused
 * before any parsing.
 */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw derMalformed(`${der.length} bytes, want at most ${MAX_CERTIFICATE_BYTES}`);
  }
  try {
    return parseFields(der);
  } catch (err) {
    if (err instanceof VerificationError) throw err;
    // @sigstore/core throws plain Error/TypeError on a hostile time. None of that may escape a
    // parser of log data.
    throw new VerificationError(
      'CERTIFICATE_MALFORMED',
      `malformed certificate: ${err instanceof Error ? err.message : String(err)}`,
      undefined,
      { cause: err },
    );
  }
}

function parseFields(der: Uint8Array): ParsedCertificate {
  // The framing of every nested element, as a full DER parse would check it: a certificate
  // whose key or names hide broken DER is malformed, not an identity.
  checkDerFraming(der);
  const certificate = expectDerTag(readDerWhole(der), DER_TAG.SEQUENCE, 'Certificate');
  const [tbs, outerAlgorithm, signature, ...extra] = readDerChildren(certificate);
  if (extra.length > 0) throw derMalformed('Certificate has more than 3 elements');
  expectDerTag(tbs, DER_TAG.SEQUENCE, 'tbsCertificate');
  expectDerTag(outerAlgorithm, DER_TAG.SEQUENCE, 'signatureAlgorithm');
  expectDerTag(signature, DER_TAG.BIT_STRING, 'signatureValue');
  const tbsFields = readDerChildren(tbs!);
  const [version, serial, innerAlgorithm, issuer, validity, subject, spki, ...optional] = tbsFields;
  checkVersion3(version);
  expectDerTag(serial, DER_TAG.INTEGER, 'serialNumber');
  // RFC 5280 §4.1.1.2: the signed and the outer algorithm MUST be identical.
  const innerAlgorithmDer = slice(
    tbs!,
    expectDerTag(innerAlgorithm, DER_TAG.SEQUENCE, 'signature'),
  );
  if (!bytesEqual(innerAlgorithmDer, slice(certificate, outerAlgorithm!))) {
    throw derMalformed('tbsCertificate.signature differs from signatureAlgorithm');
  }
  expectDerTag(issuer, DER_TAG.SEQUENCE, 'issuer');
  expectDerTag(validity, DER_TAG.SEQUENCE, 'validity');
  expectDerTag(subject, DER_TAG.SEQUENCE, 'subject');
  expectDerTag(spki, DER_TAG.SEQUENCE, 'subjectPublicKeyInfo');

  const extensions = readExtensions(optional);
  const [notBefore, notAfter] = readValidity(slice(tbs!, validity!));
  return {
    der,
    tbsDer: slice(certificate, tbs!),
    signatureAlgorithmOid: algorithmOid(outerAlgorithm!),
    signatureValue: bitStringBytes(signature!),
    serialNumber: serial!.contents,
    serialHex: formatSerial(serial!.contents),
    issuerNameDer: slice(tbs!, issuer!),
    subjectNameDer: slice(tbs!, subject!),
    issuerDn: formatDistinguishedName(issuer!),
    subjectDn: formatDistinguishedName(subject!),
    notBeforeMs: notBefore,
    notAfterMs: notAfter,
    spkiDer: slice(tbs!, spki!),
    extensions,
    isCa: isCa(extensions),
    extendedKeyUsages: extendedKeyUsages(extensions),
  };
}

/** The whole TLV of `child`, which lies inside `parent.contents`. */
function slice(parent: DerElement, child: DerElement): Uint8Array {
  return parent.contents.subarray(child.start, child.end);
}

function checkVersion3(version: DerElement | undefined): void {
  const [value, ...extra] = readDerChildren(expectDerTag(version, VERSION_TAG, 'version'));
  const number = expectDerTag(value, DER_TAG.INTEGER, 'version number').contents;
  if (extra.length > 0 || number.length !== 1 || number[0] !== 2) {
    throw derMalformed('version is not v3');
  }
}

function algorithmOid(algorithm: DerElement): string {
  const [oid] = readDerChildren(algorithm);
  return decodeOid(expectDerTag(oid, DER_TAG.OID, 'algorithm').contents);
}

function bitStringBytes(bitString: DerElement): Uint8Array {
  if (bitString.contents[0] !== 0) throw derMalformed('BIT STRING with unused bits');
  return bitString.contents.subarray(1);
}

function formatSerial(contents: Uint8Array): string {
  if (contents.length === 0) throw derMalformed('empty serialNumber');
  const hex = encodeHex(contents);
  if ((contents[0] ?? 0) < 0x80) return hex.replace(/^0+(?=.)/, '');
  // Negative (RFC 5280 forbids them, but they exist): two's complement magnitude.
  const magnitude = (1n << BigInt(contents.length * 8)) - BigInt(`0x${hex}`);
  return `-${magnitude.toString(16)}`;
}

/**
 * Validity ::= SEQUENCE { notBefore Time, notAfter Time }, each a UTCTime or GeneralizedTime
 * (RFC 5280 §4.1.2.5), in ms. The times are decoded by @sigstore/core (UTCTime years 50-99 are
 * 19xx); the SEQUENCE holds no OCTET STRING, so its reader throws only for a hostile one.
 */
function readValidity(validityDer: Uint8Array): [number, number] {
  const validity = ASN1Obj.parseBuffer(Buffer.from(validityDer));
  const [notBefore, notAfter, ...extra] = validity.subs;
  if (notBefore === undefined || notAfter === undefined || extra.length > 0) {
    throw derMalformed('Validity arity');
  }
  return [timeMs(notBefore.toDate(), 'notBefore'), timeMs(notAfter.toDate(), 'notAfter')];
}

function timeMs(date: Date, what: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw derMalformed(`${what} is not a valid time`);
  return ms;
}

/**
 * The extensions [3] EXPLICIT Extensions (RFC 5280 §4.1): SEQUENCE OF Extension ::=
 * SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
 * Read by frames (a Fulcio certificate has two dozen extensions): only extnValue is sliced.
 */
function readExtensions(optional: readonly DerElement[]): Map<string, CertificateExtension> {
  const extensions = new Map<string, CertificateExtension>();
  // issuerUniqueID [1] and subjectUniqueID [2] may precede extensions [3]; nothing may follow.
  const extensionsIndex = optional.findIndex((e) => e.tag === EXTENSIONS_TAG);
  if (extensionsIndex >= 0 && extensionsIndex !== optional.length - 1) {
    throw derMalformed('data after extensions');
  }
  const explicit = optional[extensionsIndex];
  if (explicit === undefined) return extensions;
  const bytes = explicit.contents;
  const list = readDerFrame(bytes, 0, bytes.length);
  if (list.tag !== DER_TAG.SEQUENCE) throw derMalformed('Extensions is not a SEQUENCE');
  if (list.end !== bytes.length) throw derMalformed('more than one Extensions');
  for (let at = list.contentsStart; at < list.end;) {
    const ext = readDerFrame(bytes, at, list.end);
    if (ext.tag !== DER_TAG.SEQUENCE) throw derMalformed('Extension is not a SEQUENCE');
    at = ext.end;
    // Two or three children: extnID, [critical,] extnValue.
    const children: DerFrame[] = [];
    for (let c = ext.contentsStart; c < ext.end; c = children[children.length - 1]!.end) {
      if (children.length === 3) throw derMalformed('Extension arity');
      children.push(readDerFrame(bytes, c, ext.end));
    }
    const [oidFrame, second, third] = children;
    if (oidFrame === undefined || second === undefined) throw derMalformed('Extension arity');
    if (oidFrame.tag !== DER_TAG.OID) throw derMalformed('extnID is not an OID');
    const oid = decodeOidAt(bytes, oidFrame.contentsStart, oidFrame.end);
    const value = third ?? second;
    if (value.tag !== DER_TAG.OCTET_STRING) {
      throw derMalformed(`extension ${oid} extnValue has tag 0x${value.tag.toString(16)}`);
    }
    const critical = third !== undefined && readBoolean(bytes, second, `extension ${oid} critical`);
    if (extensions.has(oid)) throw derMalformed(`extension ${oid} appears twice`);
    extensions.set(oid, { critical, value: bytes.subarray(value.contentsStart, value.end) });
  }
  return extensions;
}

/** A BOOLEAN is one octet, 0x00 or 0xFF (X.690 §11.1; Go's encoding/asn1 accepts the same). */
function readBoolean(bytes: Uint8Array, frame: DerFrame, what: string): boolean {
  const octet = bytes[frame.contentsStart];
  if (
    frame.tag !== DER_TAG.BOOLEAN ||
    frame.end - frame.contentsStart !== 1 ||
    (octet !== 0 && octet !== 0xff)
  ) {
    throw derMalformed(`${what} is not a DER BOOLEAN`);
  }
  return octet === 0xff;
}

function isCa(extensions: ReadonlyMap<string, CertificateExtension>): boolean {
  const basicConstraints = extensions.get(OID_BASIC_CONSTRAINTS);
  if (basicConstraints === undefined) return false;
  const sequence = expectDerTag(
    readDerWhole(basicConstraints.value),
    DER_TAG.SEQUENCE,
    'BasicConstraints',
  );
  const [cA] = readDerChildren(sequence);
  // cA is DEFAULT FALSE, so DER omits it when false.
  if (cA?.tag !== DER_TAG.BOOLEAN) return false;
  if (cA.contents.length !== 1 || cA.contents[0] !== 0xff)
    throw derMalformed('BasicConstraints cA');
  const keyUsage = extensions.get(OID_KEY_USAGE);
  return keyUsage === undefined || hasKeyUsageBit(keyUsage.value, KEY_USAGE_KEY_CERT_SIGN);
}

function hasKeyUsageBit(extnValue: Uint8Array, bit: number): boolean {
  const bits = expectDerTag(readDerWhole(extnValue), DER_TAG.BIT_STRING, 'KeyUsage').contents;
  const unused = bits[0];
  if (unused === undefined || unused > 7) throw derMalformed('KeyUsage unused bits');
  const byte = bits[1 + (bit >> 3)] ?? 0;
  return (byte & (0x80 >> (bit & 7))) !== 0;
}

function extendedKeyUsages(
  extensions: ReadonlyMap<string, CertificateExtension>,
): string[] | undefined {
  const eku = extensions.get(OID_EXT_KEY_USAGE);
  if (eku === undefined) return undefined;
  const sequence = expectDerTag(readDerWhole(eku.value), DER_TAG.SEQUENCE, 'ExtKeyUsageSyntax');
  return readDerChildren(sequence).map((oid) =>
    decodeOid(expectDerTag(oid, DER_TAG.OID, 'KeyPurposeId').contents),
  );
}
