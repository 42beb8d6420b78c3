// Does a signing certificate chain to a Fulcio CA of the trusted root (protobuf-specs
// sigstore_trustroot.proto CertificateAuthority)? RFC 5280 §6 path validation, reduced to
// what Sigstore verifiers check, evaluated at the certificate's own notBefore.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { parseCertificate, type ParsedCertificate } from './certificate';
import type { CertificateAuthority } from '../trust/types';
import { bytesEqual } from '../bytes';

/** id-kp-codeSigning (RFC 5280 §4.2.1.12), which Fulcio puts on every signing certificate. */
export const EKU_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

/** The outcome of a chain check, with the reason when it fails (for alerts and the audit log). */
export type ChainCheck =
  | { readonly status: 'trusted'; readonly authorityUri: string }
  | { readonly status: 'untrusted'; readonly reason: string };

// Signature algorithm OID -> digest for node:crypto.verify (null: the key type implies it).
const SIGNATURE_DIGESTS: Readonly<Record<string, string | null>> = {
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4': 'sha512', // ecdsa-with-SHA512
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13': 'sha512', // sha512WithRSAEncryption
  '1.3.101.112': null, // Ed25519
};

/**
 * Checks that `leaf` has the code-signing EKU and chains, by signature and exact name match,
 * to the certificate chain of one authority whose validFor contains the leaf's notBefore,
 * with every CA certificate on the path a CA (basicConstraints, keyCertSign) valid at that
 * same instant. Fulcio certificates live ten minutes, so notBefore is the signing time; no
 * clock is read. The trust anchor's self-signature is not checked: the trusted root vouches
 * for it. Revocation does not exist in Sigstore and is not checked.
 */
export function checkCertificateChain(
  leaf: ParsedCertificate,
  authorities: readonly CertificateAuthority[],
): ChainCheck {
  if (!leaf.extendedKeyUsages?.includes(EKU_CODE_SIGNING)) {
    return untrusted('certificate lacks the code-signing extended key usage');
  }
  const at = leaf.notBeforeMs;
  const current = authorities.filter(
    (ca) =>
      ca.validFor.startMs <= at && (ca.validFor.endMs === undefined || at <= ca.validFor.endMs),
  );
  if (current.length === 0) return untrusted('no certificate authority was valid at notBefore');
  let reason = '';
  for (const authority of current) {
    const problem = pathProblem(leaf, caChain(authority), at);
    if (problem === undefined) return { status: 'trusted', authorityUri: authority.uri };
    reason ||= `${authority.uri}: ${problem}`;
  }
  return untrusted(reason);
}

/** Why `leaf` does not chain to `chain` at `at`, or undefined when it does. */
function pathProblem(
  leaf: ParsedCertificate,
  chain: readonly ParsedCertificate[] | string,
  at: number,
): string | undefined {
  if (typeof chain === 'string') return chain;
  // The leaf's issuer may be any certificate of the chain (Fulcio's 2021 root issued leaves
  // directly); from there up, each certificate must be issued by the next.
  const start = chain.findIndex((ca) => issuedBy(leaf, ca));
  if (start < 0) return 'certificate is not signed by any certificate of the chain';
  for (let i = start; i < chain.length; i++) {
    const ca = chain[i]!;
    if (!ca.isCa) return `chain certificate ${i} is not a CA`;
    if (at < ca.notBeforeMs || at > ca.notAfterMs) {
      return `chain certificate ${i} was not valid at notBefore`;
    }
    const parent = chain[i + 1];
    if (parent !== undefined && !issuedBy(ca, parent)) {
      return `chain certificate ${i} is not signed by certificate ${i + 1}`;
    }
  }
  return undefined;
}

function issuedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return (
    bytesEqual(child.issuerNameDer, issuer.subjectNameDer) &&
    signatureVerifies(child, issuer.spkiDer)
  );
}

function signatureVerifies(cert: ParsedCertificate, issuerSpki: Uint8Array): boolean {
  const digest = SIGNATURE_DIGESTS[cert.signatureAlgorithmOid];
  if (digest === undefined) return false;
  try {
    return verify(digest, cert.tbsDer, publicKey(issuerSpki), cert.signatureValue);
  } catch {
    // A key that does not fit the algorithm (RSA key, ECDSA signature) simply does not verify.
    return false;
  }
}

// Parsed trust material per authority, and key objects per SPKI: the same few CA certificates
// are used for every entry in a scan. Weak keys keep this free of lifetime management.
const parsedChains = new WeakMap<CertificateAuthority, readonly ParsedCertificate[] | string>();
const publicKeys = new WeakMap<Uint8Array, KeyObject>();

function caChain(authority: CertificateAuthority): readonly ParsedCertificate[] | string {
  let chain = parsedChains.get(authority);
  if (chain === undefined) {
    try {
      chain = authority.certChainDer.map((der) => parseCertificate(der));
      if (chain.length === 0) chain = 'authority has an empty certificate chain';
    } catch (err) {
      chain = `authority certificate does not parse (${(err as Error).message})`;
    }
    parsedChains.set(authority, chain);
  }
  return chain;
}

function publicKey(spki: Uint8Array): KeyObject {
  let key = publicKeys.get(spki);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    publicKeys.set(spki, key);
  }
  return key;
}

const untrusted = (reason: string): ChainCheck => ({ status: 'untrusted', reason });
