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

interface LogDescriptorBase {
  /** Where the log is read: the v1 REST base URL, or the v2 tlog-tiles prefix. */
  readonly baseUrl: string;
  /**
   * Key name in checkpoint signature lines. v1: the URL host, for messages only: Rekor v1 lines
   * are matched by key ID whatever their name. v2: the preferred origin (`origin`).
   */
  readonly keyName: string;
  /** C2SP key ID of the checkpoint key (v2: under `keyName`), a big-endian uint32. */
  readonly keyId: number;
  /** DER SubjectPublicKeyInfo of the log key. */
  readonly publicKeySpki: Uint8Array;
  readonly keyDetails: string;
  /** TrustedRoot logId.keyId, lowercase hex (v1: SHA-256 of the SPKI; v2: full key-ID hash). */
  readonly logIdHex: string;
  /** When the key may sign (TrustedRoot publicKey.validFor). */
  readonly keyValidFor: ValidityWindow;
  /** When clients may write to the log: the signing config window, else the key's window. */
  readonly validFor: ValidityWindow;
  /** The write window has ended: the log only needs following to its final size. */
  readonly retired: boolean;
}

/** Rekor v1: shards (treeIDs, origins `<host> - <treeID>`) are discovered from /api/v1/log. */
export interface RekorV1LogDescriptor extends LogDescriptorBase {
  readonly apiVersion: 1;
}

/** An origin a Rekor v2 log may sign as; it is also the key name in its key ID. */
export interface RekorV2Origin {
  readonly origin: string;
  /** SHA-256(origin || 0x0A || 0x01 || key)[:4], big-endian. */
  readonly keyId: number;
}

/**
 * One Rekor v2 shard (a tlog-tiles log). Its origin is the URL hostname without the port, as
 * sigstore-go expects; a log at a URL with a port may sign `host:port` instead.
 */
export interface RekorV2LogDescriptor extends LogDescriptorBase {
  readonly apiVersion: 2;
  /** The preferred origin: `origins[0].origin`. */
  readonly origin: string;
  /** Every origin the log may sign as, preferred first (one when checkpointKeyId decides). */
  readonly origins: readonly RekorV2Origin[];
}

/** A log Vigil can verify and follow, derived only from trust material (never pinned). */
export type LogDescriptor = RekorV1LogDescriptor | RekorV2LogDescriptor;
