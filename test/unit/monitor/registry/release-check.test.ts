// The four release verdicts of a package watch, on sigstore@1.0.0's real provenance.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../../../electron/core/identity/identify';
import type { CertificateIdentity } from '../../../../electron/core/identity/types';
import {
  classifyRelease,
  type ArtifactCheck,
  type AttestationOutcome,
} from '../../../../electron/core/provenance/release-check';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import productionRoot from '../../../../electron/core/trust/seeds/trusted_root.production.json' with { type: 'json' };
import type { Watch } from '../../../../electron/core/watch/types';
import { createAttestationVerifier } from '../../../../electron/monitor/registry/attestation-verifier';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/registry');
const { attestations } = JSON.parse(
  readFileSync(join(FIXTURES, 'valid-sigstore-attestations.json'), 'utf8'),
) as { attestations: { predicateType: string; bundle: unknown }[] };
const DIGEST = {
  algorithm: 'sha512',
  hex: '7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36',
};

const verifier = createAttestationVerifier(productionRoot);
const trust = parseTrustedRoot(productionRoot);
const outcomes: AttestationOutcome[] = attestations.map((a) => {
  const verified = verifier.verify(a.bundle);
  const identity =
    verified.certificateDer &&
    (identify(
      { type: 'x509', certificateDer: verified.certificateDer, location: 'provenance' },
      trust,
    ) as CertificateIdentity);
  return { verified: true, statement: verified.statement, ...(identity && { identity }) };
});
const release = (attestations: readonly AttestationOutcome[] = outcomes): ArtifactCheck[] => [
  { name: 'sigstore@1.0.0', digest: DIGEST, attestations },
];

const watch = (expect?: Watch['expect'], repository = 'sigstore/sigstore-js'): Watch => ({
  name: 'npm:sigstore',
  rule: { kind: 'github', repository },
  ...(expect && { expect }),
  enabled: true,
});
const RELEASE_EXPECT: Watch['expect'] = {
  workflows: [{ syntax: 'exact', source: '.github/workflows/publish.yml' }],
  refs: [{ syntax: 'glob', source: 'refs/tags/v*' }],
};

describe('release verdicts', () => {
  it('expected: the provenance verifies and names the expected builder', () => {
    const verdict = classifyRelease(release(), watch(RELEASE_EXPECT), true);
    expect(verdict).toMatchObject({ classification: 'expected', severity: 'info' });
    expect(verdict.publisher?.repository).toBe('sigstore/sigstore-js');
  });

  it('unexpected builder: another repository, or a ref the expectations do not allow', () => {
    const other = classifyRelease(release(), watch(RELEASE_EXPECT, 'acme/widget'), true);
    expect(other).toMatchObject({ classification: 'unexpected-builder', severity: 'high' });
    expect(other.reason).toContain('sigstore/sigstore-js');
    const branchOnly = classifyRelease(
      release(),
      watch({ ...RELEASE_EXPECT, refs: [{ syntax: 'exact', source: 'refs/heads/main' }] }),
      true,
    );
    expect(branchOnly).toMatchObject({ classification: 'unexpected-builder', severity: 'high' });
    expect(branchOnly.reason).toContain('refs/tags/v1.0.0');
  });

  it('provenance missing: high when earlier releases had it, recorded only when they never did', () => {
    const publishOnly = outcomes.filter((o) => o.verified && o.identity === undefined);
    for (const attestations of [[], publishOnly]) {
      expect(classifyRelease(release(attestations), watch(RELEASE_EXPECT), true)).toMatchObject({
        classification: 'provenance-missing',
        severity: 'high',
      });
      expect(classifyRelease(release(attestations), watch(RELEASE_EXPECT), false)).toMatchObject({
        classification: 'no-provenance',
        severity: 'info',
      });
    }
  });

  it('provenance invalid: an attestation that fails, or a subject that is not the artifact', () => {
    const failed: AttestationOutcome = {
      verified: false,
      code: 'PROVENANCE_INVALID',
      message: 'signature mismatch',
    };
    expect(classifyRelease(release([failed]), watch(RELEASE_EXPECT), true)).toMatchObject({
      classification: 'provenance-invalid',
      severity: 'critical',
    });
    const swapped: ArtifactCheck[] = [
      {
        name: 'sigstore@1.0.0',
        digest: { ...DIGEST, hex: 'ab'.repeat(64) },
        attestations: outcomes,
      },
    ];
    const verdict = classifyRelease(swapped, watch(RELEASE_EXPECT), true);
    expect(verdict).toMatchObject({ classification: 'provenance-invalid', severity: 'critical' });
    expect(verdict.reason).toContain('subject digest');
  });
});
