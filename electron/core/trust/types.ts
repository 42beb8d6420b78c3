// The Sigstore trust material model (protobuf-specs sigstore_trustroot.proto): what the TUF
// repository or a --trusted-root file tells us, parsed into plain values. Times are epoch ms.

/** validFor ranges are inclusive; an absent end means "still valid". */
export interface ValidityWindow {
  readonly startMs: number;
  readonly endMs?: number;
}

/** One transparency-log key from TrustedRoot.tlogs (or ctlogs). */
export interface TransparencyLogKey {
  readonly baseUrl: string;
  readonly hashAlgorithm: string;
  /** DER SubjectPublicKeyInfo. */
  readonly publicKeySpki: Uint8Array;
  /** e.g. PKIX_ECDSA_P256_SHA_256, PKIX_ED25519. */
  readonly keyDetails: string;
  readonly validFor: ValidityWindow;
  /** logId.keyId, lowercase hex (v1: SHA-256 of the SPKI; v2: the full C2SP key-ID hash). */
  readonly logIdHex: string;
  /** checkpointKeyId.keyId (TrustedRoot v0.2 only), lowercase hex. */
  readonly checkpointKeyIdHex?: string;
  readonly operator?: string;
}

/** One certificate authority (Fulcio) or timestamp authority. */
export interface CertificateAuthority {
  readonly uri: string;
  readonly subject?: { readonly organization?: string; readonly commonName?: string };
  /** DER certificates, leaf-most first, trust anchor last. */
  readonly certChainDer: readonly Uint8Array[];
  readonly validFor: ValidityWindow;
}

export interface TrustedRoot {
  readonly mediaType: string;
  readonly tlogs: readonly TransparencyLogKey[];
  readonly certificateAuthorities: readonly CertificateAuthority[];
  readonly ctlogs: readonly TransparencyLogKey[];
  readonly timestampAuthorities: readonly CertificateAuthority[];
}

/** A Service from SigningConfig v0.2 (rekorTlogUrls and friends). */
export interface SigningConfigService {
  readonly url: string;
  readonly majorApiVersion: number;
  readonly validFor: ValidityWindow;
  readonly operator?: string;
}

export interface SigningConfig {
  readonly mediaType: string;
  readonly rekorTlogUrls: readonly SigningConfigService[];
}
