// X.509 v3 certificate (RFC 5280 §4.1) parsed for identity and chain checks. @sigstore/core's
// X509Certificate reads times and extensions; our DER reader slices the exact signed bytes,
// because signatures must be checked over the bytes received, never a re-encoding.
import { X509Certificate } from '@sigstore/core';
import {
  DER_TAG,
  decodeOid,
  derMalformed,
  expectDerTag,
  readDerChildren,
  readDerWhole,
  type DerElement,
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
 * Any problem, including ones the underlying library reports as raw exceptions, becomes
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
    // @sigstore/core throws plain Error/TypeError on hostile input; a very deep nesting may
    // even exhaust the stack (RangeError). None of that may escape a parser of log data.
    throw new VerificationError(
      'CERTIFICATE_MALFORMED',
      `malformed certificate: ${err instanceof Error ? err.message : String(err)}`,
      undefined,
      { cause: err },
    );
  }
}

function parseFields(der: Uint8Array): ParsedCertificate {
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

  const x509 = X509Certificate.parse(Buffer.from(der));
  const extensions = readExtensions(x509, optional);
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
    notBeforeMs: timeMs(x509.notBefore, 'notBefore'),
    notAfterMs: timeMs(x509.notAfter, 'notAfter'),
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

function timeMs(date: Date, what: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw derMalformed(`${what} is not a valid time`);
  return ms;
}

function readExtensions(
  x509: X509Certificate,
  optional: readonly DerElement[],
): Map<string, CertificateExtension> {
  const extensions = new Map<string, CertificateExtension>();
  // issuerUniqueID [1] and subjectUniqueID [2] may precede extensions [3]; nothing may follow.
  const extensionsIndex = optional.findIndex((e) => e.tag === EXTENSIONS_TAG);
  if (extensionsIndex >= 0 && extensionsIndex !== optional.length - 1) {
    throw derMalformed('data after extensions');
  }
  if (extensionsIndex < 0) return extensions;
  for (const ext of x509.extensions) {
    const [oidObj, second, third, ...extra] = ext.subs;
    if (oidObj === undefined || second === undefined || extra.length > 0) {
      throw derMalformed('Extension arity');
    }
    const oid = oidObj.toOID();
    const critical = third === undefined ? false : second.toBoolean();
    const valueObj = third ?? second;
    if (!valueObj.tag.isOctetString()) throw derMalformed(`extension ${oid} extnValue tag`);
    if (extensions.has(oid)) throw derMalformed(`extension ${oid} appears twice`);
    extensions.set(oid, { critical, value: new Uint8Array(valueObj.value) });
  }
  return extensions;
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
