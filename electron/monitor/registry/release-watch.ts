// A package watch's two jobs against its registry. On add: read the recent releases, verify
// their provenance and derive the publisher (repository, workflow, refs, trigger) that the
// watch will expect. Every check: classify each release not seen before (release-check.ts).
// Verification failures are verdicts; a registry answer that cannot be read is an operational
// error thrown to the caller (the HTTP client has already retried it), never a verdict.
import { identify, type IdentifyTrust } from '../../core/identity/identify';
import type { CertificateIdentity } from '../../core/identity/types';
import { VerificationError } from '../../core/errors';
import {
  describePublisher,
  publisherOf,
  watchFor,
  type Publisher,
} from '../../core/provenance/publisher';
import {
  classifyRelease,
  type ArtifactCheck,
  type AttestationOutcome,
  type ReleaseVerdict,
} from '../../core/provenance/release-check';
import type { Watch, WatchExpectation, WatchRule } from '../../core/watch/types';
import type { AttestationVerifier } from './attestation-verifier';
import { malformed, type Release, type ReleaseSource } from './release-source';

/** One attestation as checked, with the bundle kept as evidence. */
export interface CheckedAttestation {
  readonly artifact: string;
  readonly bundle: unknown;
  readonly outcome: AttestationOutcome;
}

export interface CheckedRelease {
  readonly release: Release;
  readonly attestations: readonly CheckedAttestation[];
  readonly checks: readonly ArtifactCheck[];
}

/** Fetches and verifies every attestation of `release`. Throws RESPONSE_MALFORMED / FetchError. */
export async function checkRelease(
  source: ReleaseSource,
  release: Release,
  verifier: AttestationVerifier,
  trust: IdentifyTrust,
): Promise<CheckedRelease> {
  const attestations: CheckedAttestation[] = [];
  const checks: ArtifactCheck[] = [];
  for (const artifact of release.artifacts) {
    const bundles = await source.attestations(release, artifact);
    const outcomes = bundles.map((bundle) => {
      const outcome = verifyOne(verifier, trust, bundle, `${source.registry} ${artifact.name}`);
      attestations.push({ artifact: artifact.name, bundle, outcome });
      return outcome;
    });
    checks.push({ name: artifact.name, digest: artifact.digest, attestations: outcomes });
  }
  return { release, attestations, checks };
}

function verifyOne(
  verifier: AttestationVerifier,
  trust: IdentifyTrust,
  bundle: unknown,
  where: string,
): AttestationOutcome {
  try {
    const verified = verifier.verify(bundle);
    if (verified.certificateDer === undefined)
      return { verified: true, statement: verified.statement };
    const identity = identify(
      { type: 'x509', certificateDer: verified.certificateDer, location: where },
      trust,
    ) as CertificateIdentity;
    return { verified: true, statement: verified.statement, identity };
  } catch (err) {
    if (err instanceof VerificationError && err.code === 'PROVENANCE_INVALID') {
      return { verified: false, code: err.code, message: err.message };
    }
    // Malformed: not evidence of anything but a broken answer.
    if (err instanceof VerificationError) return malformed(where, err.message);
    throw err;
  }
}

/** Does a checked release carry verified provenance from a certificate? */
export function hasProvenance(checked: CheckedRelease): boolean {
  return checked.attestations.some((a) => a.outcome.verified && a.outcome.identity !== undefined);
}

export interface DerivedPackageWatch {
  /** The identity the watch will hold, or undefined when no recent release has provenance. */
  readonly rule?: WatchRule;
  readonly expect?: WatchExpectation;
  readonly publishers: readonly Publisher[];
  /** The versions read, newest first. */
  readonly versions: readonly string[];
  /** "widget (npm): built by acme/widget .github/workflows/release.yml on tags v*" */
  readonly summary: string;
}

/** Reads the `recent` newest releases and derives who builds them. */
export async function derivePackageWatch(
  source: ReleaseSource,
  verifier: AttestationVerifier,
  trust: IdentifyTrust,
  recent = 5,
): Promise<DerivedPackageWatch> {
  const releases = (await source.listReleases()).slice(-recent).reverse();
  const publishers: Publisher[] = [];
  for (const release of releases) {
    const checked = await checkRelease(source, release, verifier, trust);
    for (const a of checked.attestations) {
      if (a.outcome.verified && a.outcome.identity) {
        const publisher = publisherOf(a.outcome.identity);
        if (publisher) publishers.push(publisher);
      }
    }
  }
  const label = `${source.name} (${source.ecosystem})`;
  const derived = watchFor(publishers);
  const versions = releases.map((r) => r.version);
  if (!derived) {
    return {
      publishers,
      versions,
      summary: `${label}: no provenance in its ${versions.length} most recent release(s); its releases are watched, but no builder can be expected`,
    };
  }
  const repository =
    derived.rule.kind === 'github'
      ? derived.rule.repository
      : derived.rule.kind === 'gitlab'
        ? derived.rule.project
        : '';
  return {
    rule: derived.rule,
    expect: derived.expect,
    publishers,
    versions,
    summary: `${label}: built by ${describePublisher(repository, derived.expect)}`,
  };
}

/** The verdict on a release for `watch`, given what earlier releases carried. */
export function judgeRelease(
  checked: CheckedRelease,
  watch: Watch,
  hadProvenanceBefore: boolean,
): ReleaseVerdict {
  return classifyRelease(checked.checks, watch, hadProvenanceBefore);
}
