// Classifies a new release of a watched package from what its registry serves: its artifacts
// (with the digests the registry lists) and the verification outcome of each attestation. The
// builder is judged by the package's watch (a github:/gitlab: rule with expectations), through
// the same matching as log entries, so a release and a Rekor entry signed by the same workflow
// get the same verdict.
import type { CertificateIdentity } from '../identity/types';
import { compileWatchlist, matchEntry } from '../watch/match';
import type { Watch } from '../watch/types';
import { publisherOf, type Publisher } from './publisher';
import { subjectDigestMatches, type Statement } from './statement';

export const SLSA_PROVENANCE_TYPES: ReadonlySet<string> = new Set([
  'https://slsa.dev/provenance/v0.2',
  'https://slsa.dev/provenance/v1',
]);
export const PYPI_PUBLISH_TYPE = 'https://docs.pypi.org/attestations/publish/v1';

/** One attestation of an artifact, after verification. */
export type AttestationOutcome =
  | {
      readonly verified: true;
      readonly statement: Statement;
      /** The signing certificate's identity; absent for a key-signed attestation. */
      readonly identity?: CertificateIdentity;
    }
  | { readonly verified: false; readonly code: string; readonly message: string };

export interface ArtifactCheck {
  /** File name (PyPI) or `name@version` (npm). */
  readonly name: string;
  /** The digest the registry lists for the artifact: algorithm and lowercase hex. */
  readonly digest: { readonly algorithm: string; readonly hex: string };
  readonly attestations: readonly AttestationOutcome[];
}

export type ReleaseClassification =
  'expected' | 'unexpected-builder' | 'provenance-missing' | 'provenance-invalid' | 'no-provenance';

export interface ReleaseVerdict {
  readonly classification: ReleaseClassification;
  /** critical: cryptographic evidence; high: the stolen-token shapes; info: recorded only. */
  readonly severity: 'critical' | 'high' | 'info';
  readonly reason: string;
  /** Who built it, from the first provenance certificate. */
  readonly publisher?: Publisher;
}

/** Is this verified attestation a build provenance (names who built the artifact)? */
function isProvenance(outcome: AttestationOutcome): boolean {
  if (!outcome.verified || outcome.identity === undefined) return false;
  const type = outcome.statement.predicateType;
  return SLSA_PROVENANCE_TYPES.has(type) || type === PYPI_PUBLISH_TYPE;
}

/**
 * The verdict on one release. `hadProvenanceBefore`: an earlier release of the package carried
 * provenance, so its absence now is the stolen-token shape rather than the package's habit.
 */
export function classifyRelease(
  artifacts: readonly ArtifactCheck[],
  watch: Watch,
  hadProvenanceBefore: boolean,
): ReleaseVerdict {
  for (const artifact of artifacts) {
    for (const outcome of artifact.attestations) {
      if (!outcome.verified) {
        return {
          classification: 'provenance-invalid',
          severity: 'critical',
          reason: `${artifact.name}: attestation does not verify (${outcome.code}: ${outcome.message})`,
        };
      }
      const { algorithm, hex } = artifact.digest;
      if (!subjectDigestMatches(outcome.statement, algorithm, hex)) {
        return {
          classification: 'provenance-invalid',
          severity: 'critical',
          reason: `${artifact.name}: the attestation's subject digest is not the artifact's ${algorithm} ${hex}`,
        };
      }
    }
  }
  const identities = artifacts.flatMap((a) =>
    a.attestations
      .filter(isProvenance)
      .flatMap((o) => (o.verified && o.identity ? [o.identity] : [])),
  );
  const bare = artifacts.filter((a) => !a.attestations.some(isProvenance)).map((a) => a.name);
  if (identities.length === 0 || bare.length > 0) {
    const which = bare.length === artifacts.length ? 'no artifact' : bare.join(', ');
    return hadProvenanceBefore
      ? {
          classification: 'provenance-missing',
          severity: 'high',
          reason: `published without provenance (${which === 'no artifact' ? 'no artifact has any' : `${which} has none`}), though earlier releases had it`,
        }
      : {
          classification: 'no-provenance',
          severity: 'info',
          reason: 'published without provenance, like the releases before it',
        };
  }
  const compiled = compileWatchlist([{ ...watch, enabled: true }]);
  for (const identity of identities) {
    const publisher = publisherOf(identity);
    const [match] = matchEntry([identity], compiled);
    if (match === undefined) {
      const who = publisher
        ? `${publisher.repository} ${publisher.workflow}`
        : (identity.sans[0]?.value ?? 'an unknown signer');
      return {
        classification: 'unexpected-builder',
        severity: 'high',
        reason: `built by ${who}, not by the watched repository`,
        ...(publisher && { publisher }),
      };
    }
    if (match.classification !== 'expected') {
      return {
        classification: 'unexpected-builder',
        severity: 'high',
        reason: `built by an unexpected workflow: ${match.reason}`,
        ...(publisher && { publisher }),
      };
    }
  }
  const publisher = publisherOf(identities[0]!);
  return {
    classification: 'expected',
    severity: 'info',
    reason: 'provenance verifies and names the expected builder',
    ...(publisher && { publisher }),
  };
}
