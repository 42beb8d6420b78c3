// What an entry body says about who signed it: the raw signer material, before any
// certificate parsing (electron/core/identity turns it into an identity).

/** Where in the entry body the signer material was found, as a JSON path (`spec.signatures[0].verifier`). */
export type SignerLocation = string;

export type Signer =
  | {
      readonly type: 'x509';
      /** DER of the certificate. */
      readonly certificateDer: Uint8Array;
      /**
       * Further certificates logged with it (a PEM bundle, an RFC 3161 token), leaf-most
       * first. Presented by the signer, so untrusted: chain checks use the trusted root only.
       */
      readonly presentedChainDer?: readonly Uint8Array[];
      readonly location: SignerLocation;
      /** Rekor v2 keyDetails (e.g. PKIX_ECDSA_P256_SHA_256), when the body names it. */
      readonly keyDetails?: string;
    }
  | {
      readonly type: 'publicKey';
      /** spki = DER SubjectPublicKeyInfo; the others are the raw key as logged (rekord formats). */
      readonly keyFormat: 'spki' | 'pgp' | 'minisign' | 'ssh';
      readonly keyBytes: Uint8Array;
      readonly location: SignerLocation;
      readonly keyDetails?: string;
    };

/** A parsed entry body (Rekor v1 or v2 leaf bytes). */
export interface EntryBody {
  readonly apiVersion: string;
  readonly kind: string;
  /** False when the kind/version is one Vigil does not know: recorded as such, no signers. */
  readonly known: boolean;
  readonly signers: readonly Signer[];
}
