// Package watches against a fake npm registry and PyPI index serving real attestations: the
// derived identity of `sigstore` and of `pypi-attestations`, the four release verdicts, and a
// registry that misbehaves (retried and reported as what it is, never a verdict).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTrustedRoot } from '../../../electron/core/trust/trusted-root';
import productionRoot from '../../../electron/core/trust/seeds/trusted_root.production.json' with { type: 'json' };
import type { Watch } from '../../../electron/core/watch/types';
import { createHttpClient } from '../../../electron/monitor/logs/http';
import { createAttestationVerifier } from '../../../electron/monitor/registry/attestation-verifier';
import { npmReleaseSource } from '../../../electron/monitor/registry/npm-registry';
import { pypiReleaseSource } from '../../../electron/monitor/registry/pypi-index';
import {
  checkRelease,
  derivePackageWatch,
  judgeRelease,
} from '../../../electron/monitor/registry/release-watch';
import { startFakeRegistry, type FakeRegistry } from '../../support/fake-registry';

const FIXTURES = join(import.meta.dirname, '../../fixtures/registry');
const json = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const npmDoc = (name: string) => (json(name) as { attestations: unknown[] }).attestations;
const SIGSTORE = npmDoc('valid-sigstore-attestations.json');
const TUF_JS = npmDoc('valid-tuf-js-attestations.json');

/** The sha512 digest an npm attestation's statement names, as `dist.integrity`. */
function integrityOf(attestations: unknown[]): string {
  const bundle = (attestations[0] as { bundle: { dsseEnvelope: { payload: string } } }).bundle;
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
    subject: { digest: { sha512: string } }[];
  };
  return `sha512-${Buffer.from(statement.subject[0]!.digest.sha512, 'hex').toString('base64')}`;
}

function tampered(attestations: unknown[]): unknown[] {
  const copy = structuredClone(attestations) as { bundle: { dsseEnvelope: { payload: string } } }[];
  const envelope = copy[0]!.bundle.dsseEnvelope;
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
  statement.predicate.invocation.configSource.uri =
    'git+https://github.com/evil/fork@refs/tags/v1.0.0';
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return copy;
}

const verifier = createAttestationVerifier(productionRoot);
const trust = parseTrustedRoot(productionRoot);
const sleeps: number[] = [];
const http = () =>
  createHttpClient({
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    timeoutMs: 500,
  });

let registry: FakeRegistry;
beforeEach(async () => {
  sleeps.length = 0;
  registry = await startFakeRegistry();
  registry.npm.set('sigstore', [
    {
      version: '1.0.0',
      integrity: integrityOf(SIGSTORE),
      time: '2023-01-31T00:00:00Z',
      attestations: SIGSTORE,
    },
  ]);
});
afterEach(() => registry.close());

async function derivedSigstoreWatch(): Promise<Watch> {
  const derived = await derivePackageWatch(
    npmReleaseSource(http(), 'sigstore', registry.url),
    verifier,
    trust,
  );
  expect(derived.rule).toBeDefined();
  return { name: 'npm:sigstore', rule: derived.rule!, expect: derived.expect!, enabled: true };
}

describe('an npm package watch', () => {
  it('derives the identity of sigstore from its real provenance', async () => {
    const derived = await derivePackageWatch(
      npmReleaseSource(http(), 'sigstore', registry.url),
      verifier,
      trust,
    );
    expect(derived.rule).toEqual({ kind: 'github', repository: 'sigstore/sigstore-js' });
    expect(derived.expect?.workflows).toEqual([
      { syntax: 'exact', source: '.github/workflows/publish.yml' },
    ]);
    expect(derived.summary).toBe(
      'sigstore (npm): built by sigstore/sigstore-js .github/workflows/publish.yml on tags v*',
    );
  });

  it('classifies new releases: expected, without provenance, another builder, tampered', async () => {
    const watch = await derivedSigstoreWatch();
    const versions = registry.npm.get('sigstore')!;
    versions.push(
      { version: '1.0.1', integrity: integrityOf(SIGSTORE), time: '2023-02-01T00:00:00Z' },
      {
        version: '1.0.2',
        integrity: integrityOf(TUF_JS),
        time: '2023-02-02T00:00:00Z',
        attestations: TUF_JS,
      },
      {
        version: '1.0.3',
        integrity: integrityOf(SIGSTORE),
        time: '2023-02-03T00:00:00Z',
        attestations: tampered(SIGSTORE),
      },
    );
    const source = npmReleaseSource(http(), 'sigstore', registry.url);
    const releases = await source.listReleases();
    expect(releases.map((r) => r.version)).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
    const verdicts = [];
    for (const release of releases) {
      verdicts.push(
        judgeRelease(await checkRelease(source, release, verifier, trust), watch, true),
      );
    }
    expect(verdicts.map((v) => [v.classification, v.severity])).toEqual([
      ['expected', 'info'],
      ['provenance-missing', 'high'],
      ['unexpected-builder', 'high'],
      ['provenance-invalid', 'critical'],
    ]);
    expect(verdicts[2]?.reason).toContain('theupdateframework/tuf-js');
  });

  it('says so when a package never had provenance, and still watches its releases', async () => {
    registry.npm.set('left-pad', [
      { version: '1.3.0', integrity: integrityOf(SIGSTORE), time: '2018-04-09T00:00:00Z' },
    ]);
    const source = npmReleaseSource(http(), 'left-pad', registry.url);
    const derived = await derivePackageWatch(source, verifier, trust);
    expect(derived.rule).toBeUndefined();
    expect(derived.summary).toContain('no provenance');
    const [release] = await source.listReleases();
    const verdict = judgeRelease(
      await checkRelease(source, release!, verifier, trust),
      { name: 'npm:left-pad', rule: { kind: 'github', repository: 'x/y' }, enabled: true },
      false,
    );
    expect(verdict).toMatchObject({ classification: 'no-provenance', severity: 'info' });
  });

  it('rides out 5xx, 429 and slow answers from the registry', async () => {
    registry.fault = (seq) =>
      seq === 0
        ? { kind: 'status', status: 503 }
        : seq === 1
          ? { kind: 'status', status: 429, retryAfter: '1' }
          : seq === 2
            ? { kind: 'slow', ms: 800 }
            : undefined;
    const watch = await derivedSigstoreWatch();
    expect(watch.rule).toEqual({ kind: 'github', repository: 'sigstore/sigstore-js' });
    expect(sleeps).toContain(1000);
  });

  it('reports a registry that keeps serving malformed JSON as that, never as a verdict', async () => {
    registry.fault = () => ({ kind: 'malformed' });
    await expect(
      derivePackageWatch(npmReleaseSource(http(), 'sigstore', registry.url), verifier, trust),
    ).rejects.toMatchObject({ code: 'RESPONSE_MALFORMED' });
  });
});

describe('a PyPI package watch', () => {
  it('derives the identity of pypi-attestations from its real PEP 740 provenance', async () => {
    const sha256 = '9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3';
    registry.pypi.set(
      'pypi-attestations',
      new Map([
        [
          '0.0.19',
          [
            {
              filename: 'pypi_attestations-0.0.19.tar.gz',
              sha256,
              uploaded: '2024-12-04T23:14:00Z',
              provenance: json('pypi_attestations-0.0.19.tar.gz.provenance'),
            },
          ],
        ],
      ]),
    );
    const source = pypiReleaseSource(http(), 'PyPI_Attestations', registry.url);
    const derived = await derivePackageWatch(source, verifier, trust);
    expect(derived.rule).toEqual({ kind: 'github', repository: 'trailofbits/pypi-attestations' });
    expect(derived.summary).toBe(
      'pypi-attestations (pypi): built by trailofbits/pypi-attestations .github/workflows/release.yml on tags v*',
    );
  });
});
