// Real npm and PyPI attestations verify with @sigstore/verify over the shipped production
// trusted root, and the publisher Vigil derives from them is the one that really built them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identify } from '../../../../electron/core/identity/identify';
import {
  parsePep740Provenance,
  toSigstoreBundle,
} from '../../../../electron/core/provenance/pep740';
import {
  describePublisher,
  publisherOf,
  watchFor,
} from '../../../../electron/core/provenance/publisher';
import { subjectDigestMatches } from '../../../../electron/core/provenance/statement';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import productionRoot from '../../../../electron/core/trust/seeds/trusted_root.production.json' with { type: 'json' };
import { createAttestationVerifier } from '../../../../electron/monitor/registry/attestation-verifier';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/registry');
const json = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const npmAttestations = (name: string) =>
  (json(name) as { attestations: { predicateType: string; bundle: unknown }[] }).attestations;

const verifier = createAttestationVerifier(productionRoot);
const trust = parseTrustedRoot(productionRoot);
const SLSA_V02 = 'https://slsa.dev/provenance/v0.2';
const NPM_PUBLISH = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';
// sigstore@1.0.0's dist.integrity in the npm registry (sha512, as hex).
const SIGSTORE_1_0_0_SHA512 =
  '7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36';

function publisherFrom(der: Uint8Array | undefined) {
  expect(der).toBeDefined();
  const identity = identify({ type: 'x509', certificateDer: der!, location: 'test' }, trust);
  if (identity.type !== 'x509') throw new Error('not a certificate');
  expect(identity.chain).toBe('trusted');
  return publisherOf(identity);
}

describe('npm attestations', () => {
  it('derives the publisher of sigstore@1.0.0 from its real SLSA provenance', () => {
    const slsa = npmAttestations('valid-sigstore-attestations.json').find(
      (a) => a.predicateType === SLSA_V02,
    );
    const verified = verifier.verify(slsa?.bundle);
    expect(verified.statement.predicateType).toBe(SLSA_V02);
    expect(subjectDigestMatches(verified.statement, 'sha512', SIGSTORE_1_0_0_SHA512)).toBe(true);
    expect(subjectDigestMatches(verified.statement, 'sha512', '00'.repeat(64))).toBe(false);
    const publisher = publisherFrom(verified.certificateDer);
    expect(publisher).toMatchObject({
      platform: 'github',
      repository: 'sigstore/sigstore-js',
      workflow: '.github/workflows/publish.yml',
      ref: 'refs/tags/v1.0.0',
    });
    const derived = watchFor([publisher!]);
    expect(derived?.rule).toEqual({ kind: 'github', repository: 'sigstore/sigstore-js' });
    expect(describePublisher('sigstore/sigstore-js', derived?.expect)).toBe(
      'sigstore/sigstore-js .github/workflows/publish.yml on tags v*',
    );
  });

  it("verifies npm's publish attestation with the registry's key", () => {
    const publish = npmAttestations('valid-tuf-js-attestations.json').find(
      (a) => a.predicateType === NPM_PUBLISH,
    );
    const verified = verifier.verify(publish?.bundle);
    expect(verified.keyId).toBe('SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA');
    expect(verified.certificateDer).toBeUndefined();
    expect(verified.statement.subjects[0]?.name).toBe('pkg:npm/tuf-js@1.0.0');
  });

  it('refuses a tampered provenance statement as PROVENANCE_INVALID', () => {
    const slsa = npmAttestations('valid-sigstore-attestations.json').find(
      (a) => a.predicateType === SLSA_V02,
    );
    const bundle = structuredClone(slsa?.bundle) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString());
    statement.subject[0].digest.sha512 = 'ab'.repeat(64);
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    expect(() => verifier.verify(bundle)).toThrowCode('PROVENANCE_INVALID');
  });

  it('refuses what is not a bundle as PROVENANCE_MALFORMED', () => {
    for (const junk of [null, 'x', {}, { mediaType: 'nope' }, [1]]) {
      expect(() => verifier.verify(junk)).toThrowCode('PROVENANCE_MALFORMED');
    }
  });
});

describe('PyPI attestations (PEP 740)', () => {
  it('verifies the real provenance of pypi-attestations 0.0.19 and names its publisher', () => {
    const [bundle, ...rest] = parsePep740Provenance(
      json('pypi_attestations-0.0.19.tar.gz.provenance'),
    );
    expect(rest).toEqual([]);
    expect(bundle?.publisher).toEqual({
      kind: 'GitHub',
      repository: 'trailofbits/pypi-attestations',
      workflow: 'release.yml',
    });
    const verified = verifier.verify(bundle?.bundles[0]);
    expect(verified.statement.subjects[0]?.name).toBe('pypi_attestations-0.0.19.tar.gz');
    expect(
      subjectDigestMatches(
        verified.statement,
        'sha256',
        '9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3',
      ),
    ).toBe(true);
    expect(publisherFrom(verified.certificateDer)).toMatchObject({
      platform: 'github',
      repository: 'trailofbits/pypi-attestations',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/tags/v0.0.19',
    });
  });

  it('verifies single attestations, each against the Sigstore instance that signed it', () => {
    // rfc8785's test attestation was made on Sigstore's staging instance.
    const staging = createAttestationVerifier(json('../realdata/trust/trusted_root.staging.json'));
    const rfc8785 = toSigstoreBundle(json('rfc8785-0.1.2-py3-none-any.whl.attestation'));
    expect(staging.verify(rfc8785).statement.subjects[0]?.name).toBe(
      'rfc8785-0.1.2-py3-none-any.whl',
    );
    expect(() => verifier.verify(rfc8785)).toThrowCode('PROVENANCE_INVALID');
    const gitlab = verifier.verify(
      toSigstoreBundle(json('gitlab_oidc_project-0.0.3.tar.gz.publish.attestation')),
    );
    expect(publisherFrom(gitlab.certificateDer)).toEqual({
      platform: 'gitlab',
      repository: 'facutuesca/gitlab-oidc-project',
      workflow: '.gitlab-ci.yml',
      ref: 'refs/heads/main',
      trigger: 'push',
      commit: '72f7c63b75eb55ea80864962f0e645c93414da34',
    });
  });

  it('refuses malformed provenance objects with PROVENANCE_MALFORMED only', () => {
    const good = json('pypi_attestations-0.0.19.tar.gz.provenance') as Record<string, unknown>;
    for (const junk of [
      null,
      [],
      { ...good, version: 2 },
      { ...good, attestation_bundles: 'x' },
      { version: 1, attestation_bundles: [{ publisher: {}, attestations: [] }] },
      {
        version: 1,
        attestation_bundles: [{ publisher: { kind: 'GitHub', workflow: 3 }, attestations: [] }],
      },
      { version: 1, attestation_bundles: [{ publisher: { kind: 'GitHub' }, attestations: [{}] }] },
    ]) {
      expect(() => parsePep740Provenance(junk)).toThrowCode('PROVENANCE_MALFORMED');
    }
  });
});
