// Signer (certificate or public key, from an entry body) to the identity fields a watch matches
// on: SANs, Fulcio extensions (FORMATS.md §6), OIDC issuer, fingerprints, chain status.
import { parseCertificate, type ParsedCertificate } from './certificate';
import { checkCertificateChain } from './chain';
import {
  FULCIO_EXTENSIONS,
  ISSUER_V1_OID,
  ISSUER_V2_OID,
  decodeFulcioExtension,
} from './fulcio-extensions';
import { toSpki } from './public-key';
import { parseSubjectAltNames } from './subject-alt-names';
import type {
  ClaimedCertificateIdentity,
  FulcioExtensionValue,
  KeyIdentity,
  SignerIdentity,
} from './types';
import type { Signer } from '../entries/types';
import type { CertificateAuthority } from '../trust/types';
import { sha256Hex } from '../hash';

const OID_SUBJECT_ALT_NAME = '2.5.29.17';
/** FULCIO_EXTENSIONS in table order, listed once rather than for every certificate. */
const FULCIO_EXTENSION_LIST = Object.entries(FULCIO_EXTENSIONS);

/** The part of the trusted root that identify needs (TrustedRoot satisfies it). */
export interface IdentifyTrust {
  readonly certificateAuthorities: readonly CertificateAuthority[];
}

/**
 * Describes who `signer` is. For a certificate: SANs, Fulcio extensions, issuer (extension .8,
 * else .1), names, serial, validity, SHA-256 of the DER and of the SPKI, and whether it chains
 * to a Fulcio CA of `trust` that was valid at its notBefore (see checkCertificateChain). For a
 * key: its SPKI fingerprint, chain 'n/a'. Deterministic: no clock is read.
 * Throws only VerificationError: CERTIFICATE_MALFORMED or KEY_MALFORMED for hostile bytes.
 * Does not say whether the identity is watched or expected: that is electron/core/watch.
 */
export function identify(signer: Signer, trust: IdentifyTrust): SignerIdentity {
  return confirmSigner(readSigner(signer), trust);
}

/** A signer read, but its certificate not yet checked against the trusted root. */
export type ClaimedSigner =
  | {
      readonly identity: ClaimedCertificateIdentity;
      /** The parsed certificate, for confirmSigner's chain check. */
      readonly certificate: ParsedCertificate;
    }
  | { readonly identity: KeyIdentity };

/**
 * The first half of identify: every field of the identity except the chain status, which costs
 * one or two signature verifications (about 90 µs for a P-256 and 750 µs for a P-384 one).
 * A scan reads every signer that passes the prefilter, and confirms only those a watch finds.
 * Throws what identify throws.
 */
export function readSigner(signer: Signer): ClaimedSigner {
  if (signer.type !== 'x509') return { identity: identifyKey(signer) };
  const certificate = parseCertificate(signer.certificateDer);
  return { identity: readCertificateIdentity(signer, certificate), certificate };
}

/** The second half of identify: the chain check of a certificate signer read by readSigner. */
export function confirmSigner(claimed: ClaimedSigner, trust: IdentifyTrust): SignerIdentity {
  if (!('certificate' in claimed)) return claimed.identity;
  const { identity, certificate } = claimed;
  const chain = checkCertificateChain(certificate, trust.certificateAuthorities);
  return {
    ...identity,
    chain: chain.status,
    ...(chain.status === 'untrusted' ? { chainProblem: chain.reason } : {}),
  };
}

function readCertificateIdentity(
  signer: Extract<Signer, { type: 'x509' }>,
  cert: ParsedCertificate,
): ClaimedCertificateIdentity {
  const sanExtension = cert.extensions.get(OID_SUBJECT_ALT_NAME);
  const extensions: Record<string, FulcioExtensionValue> = {};
  for (const [oid, spec] of FULCIO_EXTENSION_LIST) {
    const extension = cert.extensions.get(oid);
    if (extension === undefined) continue;
    extensions[oid] = { name: spec.name, value: decodeFulcioExtension(oid, spec, extension.value) };
  }
  return {
    type: 'x509',
    location: signer.location,
    sans: sanExtension === undefined ? [] : parseSubjectAltNames(sanExtension.value),
    issuer: extensions[ISSUER_V2_OID]?.value ?? extensions[ISSUER_V1_OID]?.value,
    extensions,
    subjectDn: cert.subjectDn,
    issuerDn: cert.issuerDn,
    serialHex: cert.serialHex,
    notBeforeMs: cert.notBeforeMs,
    notAfterMs: cert.notAfterMs,
    certSha256Hex: sha256Hex(cert.der),
    spkiSha256Hex: sha256Hex(cert.spkiDer),
  };
}

function identifyKey(signer: Extract<Signer, { type: 'publicKey' }>): KeyIdentity {
  const spki = toSpki(signer);
  return {
    type: 'publicKey',
    location: signer.location,
    keyFormat: signer.keyFormat,
    spkiSha256Hex: sha256Hex(spki ?? signer.keyBytes),
    chain: 'n/a',
  };
}
