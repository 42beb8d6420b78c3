// Verifies the Sigstore bundles that registries attach to releases (npm provenance and publish
// attestations, PyPI PEP 740 attestations) with Sigstore's own verifier, @sigstore/verify, over
// the trusted root Vigil already follows, plus the npm registry's attestation keys for npm's
// publish attestations (signed by a key, not a certificate). Nothing here re-implements bundle
// verification: this turns its results and failures into Vigil's terms.
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot, publicKeyDetailsFromJSON, type PublicKey } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { decodeBase64Strict } from '../../core/bytes';
import { VerificationError } from '../../core/errors';
import { parseStatement, type Statement } from '../../core/provenance/statement';
import npmKeysSeed from './seeds/registry.npmjs.org-keys.json' with { type: 'json' };

export interface VerifiedAttestation {
  readonly statement: Statement;
  /** The leaf signing certificate (DER) when a certificate signed; absent for a key. */
  readonly certificateDer?: Uint8Array;
  /** The registry key's hint when a key signed (npm publish attestations). */
  readonly keyId?: string;
}

export interface AttestationVerifier {
  /** Throws only VerificationError: PROVENANCE_MALFORMED or PROVENANCE_INVALID. */
  verify(bundleJson: unknown): VerifiedAttestation;
}

/** A registry key as Sigstore TUF ships it (registry.npmjs.org/keys.json). */
interface RegistryKey {
  readonly keyId: string;
  readonly keyUsage: string;
  readonly publicKey: {
    readonly rawBytes: string;
    readonly keyDetails: string;
    readonly validFor: { readonly start: string; readonly end?: string };
  };
}

/** The npm registry's attestation keys, keyed by key ID, as @sigstore/verify takes them. */
export function npmAttestationKeys(
  keys: readonly RegistryKey[] = (npmKeysSeed as { keys: RegistryKey[] }).keys,
): Record<string, PublicKey> {
  const out: Record<string, PublicKey> = {};
  for (const key of keys) {
    if (key.keyUsage !== 'npm:attestations') continue;
    const rawBytes = decodeBase64Strict(key.publicKey.rawBytes);
    if (rawBytes === undefined) continue;
    out[key.keyId] = {
      rawBytes: Buffer.from(rawBytes),
      keyDetails: publicKeyDetailsFromJSON(key.publicKey.keyDetails),
      validFor: {
        start: new Date(key.publicKey.validFor.start),
        ...(key.publicKey.validFor.end !== undefined && {
          end: new Date(key.publicKey.validFor.end),
        }),
      },
    };
  }
  return out;
}

/**
 * A verifier over `trustedRootJson` (protobuf JSON of a TrustedRoot). Requires one transparency
 * log entry per bundle, as npm and PyPI attach (sigstore-js' default threshold).
 */
export function createAttestationVerifier(
  trustedRootJson: unknown,
  registryKeys: Record<string, PublicKey> = npmAttestationKeys(),
): AttestationVerifier {
  let verifier: Verifier;
  try {
    verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRootJson), registryKeys));
  } catch (err) {
    throw new VerificationError('TRUSTED_ROOT_MALFORMED', `trusted root: ${message(err)}`);
  }
  return {
    verify(bundleJson) {
      let entity;
      let bundle;
      try {
        bundle = bundleFromJSON(bundleJson);
        entity = toSignedEntity(bundle);
      } catch (err) {
        throw new VerificationError('PROVENANCE_MALFORMED', `attestation bundle: ${message(err)}`);
      }
      if (bundle.content.$case !== 'dsseEnvelope') {
        throw new VerificationError(
          'PROVENANCE_MALFORMED',
          'attestation bundle: holds a message signature, not a DSSE envelope',
        );
      }
      try {
        verifier.verify(entity);
      } catch (err) {
        throw new VerificationError(
          'PROVENANCE_INVALID',
          `attestation does not verify: ${message(err)}`,
          {
            bundle: bundleJson,
          },
        );
      }
      const envelope = bundle.content.dsseEnvelope;
      const statement = parseStatement(envelope.payload, envelope.payloadType);
      const material = bundle.verificationMaterial.content;
      switch (material.$case) {
        case 'x509CertificateChain': {
          const leaf = material.x509CertificateChain.certificates[0];
          return { statement, ...(leaf && { certificateDer: new Uint8Array(leaf.rawBytes) }) };
        }
        case 'certificate':
          return { statement, certificateDer: new Uint8Array(material.certificate.rawBytes) };
        case 'publicKey':
          return { statement, keyId: material.publicKey.hint };
      }
    },
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
