// A signer as Vigil reasons about it: the identity fields a watch can match on.

export type SanType = 'email' | 'uri' | 'otherName' | 'dns' | 'ip';

export interface SubjectAltName {
  readonly type: SanType;
  readonly value: string;
}

/** Decoded value of one certificate extension under 1.3.6.1.4.1.57264.1 (Fulcio). */
export interface FulcioExtensionValue {
  /** Name from fulcio docs/oid-info.md, e.g. "Source Repository URI". */
  readonly name: string;
  readonly value: string;
}

/** Does the certificate chain to a Fulcio CA from the trusted root? Keys have no chain. */
export type ChainStatus = 'trusted' | 'untrusted' | 'n/a';

/**
 * What a certificate claims, before its chain is checked: every field a watch matches on.
 * Whether the claim holds (does the certificate chain to a Fulcio CA?) is CertificateIdentity.
 */
export interface ClaimedCertificateIdentity {
  readonly type: 'x509';
  readonly location: string;
  readonly sans: readonly SubjectAltName[];
  /** OIDC issuer: extension .1.8, else .1.1, else undefined. */
  readonly issuer: string | undefined;
  /** Keyed by dotted OID ("1.3.6.1.4.1.57264.1.12"). */
  readonly extensions: Readonly<Record<string, FulcioExtensionValue>>;
  readonly subjectDn: string;
  readonly issuerDn: string;
  readonly serialHex: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** SHA-256 of the certificate DER, lowercase hex. */
  readonly certSha256Hex: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex: the key fingerprint. */
  readonly spkiSha256Hex: string;
}

export interface CertificateIdentity extends ClaimedCertificateIdentity {
  readonly chain: 'trusted' | 'untrusted';
  /** Why the chain check failed (only when chain is 'untrusted'), for alerts and the audit log. */
  readonly chainProblem?: string;
}

export interface KeyIdentity {
  readonly type: 'publicKey';
  readonly location: string;
  readonly keyFormat: 'spki' | 'pgp' | 'minisign' | 'ssh';
  /**
   * Lowercase hex SHA-256 of the key's SPKI DER: as logged for spki, converted for minisign and
   * OpenSSH Ed25519/ECDSA/RSA keys (so one key has one fingerprint in every format). OpenPGP
   * keys and other OpenSSH key types have no SPKI: the SHA-256 of the logged key bytes instead.
   */
  readonly spkiSha256Hex: string;
  readonly chain: 'n/a';
}

export type SignerIdentity = CertificateIdentity | KeyIdentity;

/** A signer's identity before any chain check (a key's identity needs none). */
export type ClaimedIdentity = ClaimedCertificateIdentity | KeyIdentity;
