// The signer of a Rekor v1 `rfc3161` entry: the TSA certificate embedded in the timestamp
// token (RFC 3161 §2.4.2 TimeStampResp, RFC 5652 §5 SignedData and SignerInfo sid).
import { entryMalformed } from './entry-json';
import { certificateSigner } from './signer-material';
import type { Signer } from './types';
import { AppError } from '../errors';
import { parseCertificate, type ParsedCertificate } from '../identity/certificate';
import {
  DER_TAG,
  decodeOid,
  expectDerTag,
  readDerChildren,
  readDerWhole,
  type DerElement,
} from '../identity/der';
import { bytesEqual } from '../bytes';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_SUBJECT_KEY_ID = '2.5.29.14';
const EXPLICIT_0 = 0xa0;
const CERTIFICATES_TAG = 0xa0;
const SUBJECT_KEY_ID_TAG = 0x80;

/**
 * The certificate that signed the token in DER TimeStampResp `tsr`, with the other embedded
 * certificates as its presented chain. A response without a token, or whose TSA did not embed
 * its certificate, has no signer here: []. Throws ENTRY_MALFORMED for bad structure.
 */
export function signersOfTimestampResponse(tsr: Uint8Array, location: string): Signer[] {
  try {
    return readSigners(tsr, location);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CERTIFICATE_MALFORMED') {
      throw entryMalformed(location, err.message, err);
    }
    throw err;
  }
}

function readSigners(tsr: Uint8Array, location: string): Signer[] {
  const [, token] = readDerChildren(
    expectDerTag(readDerWhole(tsr), DER_TAG.SEQUENCE, 'TimeStampResp'),
  );
  if (token === undefined) return [];
  const [contentType, content] = readDerChildren(
    expectDerTag(token, DER_TAG.SEQUENCE, 'ContentInfo'),
  );
  const oid = decodeOid(expectDerTag(contentType, DER_TAG.OID, 'contentType').contents);
  if (oid !== OID_SIGNED_DATA)
    throw entryMalformed(location, `content type ${oid}, want SignedData`);
  const [signedData] = readDerChildren(expectDerTag(content, EXPLICIT_0, 'content'));
  const fields = readDerChildren(expectDerTag(signedData, DER_TAG.SEQUENCE, 'SignedData'));
  const signerInfos = expectDerTag(fields.at(-1), DER_TAG.SET, 'signerInfos');
  const certificateSet = fields.find((f) => f.tag === CERTIFICATES_TAG);
  if (certificateSet === undefined) return [];
  // CertificateChoices other than a plain Certificate (SEQUENCE) are obsolete; skip them.
  const certificates = readDerChildren(certificateSet)
    .filter((c) => c.tag === DER_TAG.SEQUENCE)
    .map((c) => certificateSet.contents.subarray(c.start, c.end));
  const [signerInfo] = readDerChildren(signerInfos);
  if (signerInfo === undefined) throw entryMalformed(location, 'no SignerInfo');
  const [, sid] = readDerChildren(expectDerTag(signerInfo, DER_TAG.SEQUENCE, 'SignerInfo'));
  const index = certificates.findIndex((der) => identifiedBy(der, sid));
  if (index < 0) return [];
  const chain = certificates.filter((_, i) => i !== index);
  return [certificateSigner(certificates[index]!, chain, location)];
}

/** SignerIdentifier ::= CHOICE { IssuerAndSerialNumber, [0] SubjectKeyIdentifier } */
function identifiedBy(der: Uint8Array, sid: DerElement | undefined): boolean {
  if (sid === undefined) return false;
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(der);
  } catch {
    // An embedded certificate that does not parse cannot be the one we report.
    return false;
  }
  if (sid.tag === SUBJECT_KEY_ID_TAG) {
    const ski = cert.extensions.get(OID_SUBJECT_KEY_ID)?.value;
    return ski !== undefined && bytesEqual(readDerWhole(ski).contents, sid.contents);
  }
  const [issuer, serial] = readDerChildren(
    expectDerTag(sid, DER_TAG.SEQUENCE, 'IssuerAndSerialNumber'),
  );
  if (issuer === undefined || serial === undefined) return false;
  const issuerDer = sid.contents.subarray(issuer.start, issuer.end);
  return (
    bytesEqual(issuerDer, cert.issuerNameDer) && bytesEqual(serial.contents, cert.serialNumber)
  );
}
