// Signer (certificate or public key, from an entry body) to the identity fields a watch matches
// on: SANs, Fulcio extensions (FORMATS.md §6), OIDC issuer, fingerprints, chain status.
import { parseCertificate } from './certificate';
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
  CertificateIdentity,
  FulcioExtensionValue,
  KeyIdentity,
  SignerIdentity,
} from './types';
import type { Signer } from '../entries/types';
import type { CertificateAuthority } from '../trust/types';
import { encodeHex } from '../bytes';
import { sha256 } from '../hash';

const OID_SUBJECT_ALT_NAME = '2.5.29.17';

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
  return signer.type === 'x509' ? identifyCertificate(signer, trust) : identifyKey(signer);
}

function identifyCertificate(
  signer: Extract<Signer, { type: 'x509' }>,
  trust: IdentifyTrust,
): CertificateIdentity {
  const cert = parseCertificate(signer.certificateDer);
  const sanExtension = cert.extensions.get(OID_SUBJECT_ALT_NAME);
  const extensions: Record<string, FulcioExtensionValue> = {};
  for (const [oid, spec] of Object.entries(FULCIO_EXTENSIONS)) {
    const extension = cert.extensions.get(oid);
    if (extension === undefined) continue;
    extensions[oid] = { name: spec.name, value: decodeFulcioExtension(oid, spec, extension.value) };
  }
  const chain = checkCertificateChain(cert, trust.certificateAuthorities);
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
    certSha256Hex: encodeHex(sha256(cert.der)),
    spkiSha256Hex: encodeHex(sha256(cert.spkiDer)),
    chain: chain.status,
    ...(chain.status === 'untrusted' ? { chainProblem: chain.reason } : {}),
  };
}

function identifyKey(signer: Extract<Signer, { type: 'publicKey' }>): KeyIdentity {
  const spki = toSpki(signer);
  return {
    type: 'publicKey',
    location: signer.location,
    keyFormat: signer.keyFormat,
    spkiSha256Hex: encodeHex(sha256(spki ?? signer.keyBytes)),
    chain: 'n/a',
  };
}
