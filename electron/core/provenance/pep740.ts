// PEP 740 provenance objects (https://peps.python.org/pep-0740/), as PyPI's integrity API serves
// them (`GET /integrity/<project>/<version>/<filename>/provenance`): attestation bundles, each
// with the Trusted Publisher that uploaded the file and its attestations. An attestation is a
// Sigstore bundle taken apart; `toSigstoreBundle` puts it back together as a v0.3 bundle the way
// trailofbits/pypi-attestations' `Attestation.to_bundle` does (certificate, the Rekor entries as
// TransparencyLogEntry JSON, and a DSSE envelope over the in-toto statement), so that
// @sigstore/verify checks it like any other bundle.
import { VerificationError } from '../errors';
import { IN_TOTO_PAYLOAD_TYPE } from './statement';

/** The Trusted Publisher PyPI records with an attestation bundle (PEP 740 "publisher"). */
export interface Pep740Publisher {
  /** "GitHub", "GitLab", "Google", "ActiveState", ... as PyPI writes it. */
  readonly kind: string;
  readonly repository?: string;
  readonly workflow?: string;
  readonly environment?: string;
}

export interface Pep740Bundle {
  readonly publisher: Pep740Publisher;
  /** Each attestation as Sigstore bundle v0.3 JSON. */
  readonly bundles: readonly unknown[];
}

const fail = (message: string): never => {
  throw new VerificationError('PROVENANCE_MALFORMED', `PEP 740 provenance: ${message}`);
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const optionalString = (record: Record<string, unknown>, key: string, where: string) => {
  const value = record[key];
  // PyPI writes null for a publisher field it does not have (e.g. no environment).
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail(`${where}.${key} is not a string`);
  return value;
};

/** Parses a provenance object. Throws only VerificationError('PROVENANCE_MALFORMED'). */
export function parsePep740Provenance(value: unknown): Pep740Bundle[] {
  if (!isRecord(value)) return fail('not an object');
  if (value['version'] !== 1) fail(`version ${JSON.stringify(value['version'])}, want 1`);
  const bundles = value['attestation_bundles'];
  if (!Array.isArray(bundles)) return fail('no attestation_bundles');
  return bundles.map((bundle: unknown, i) => {
    const where = `attestation_bundles[${i}]`;
    if (!isRecord(bundle)) return fail(`${where} is not an object`);
    const publisher = bundle['publisher'];
    if (!isRecord(publisher)) return fail(`${where}.publisher is not an object`);
    const kind = publisher['kind'];
    if (typeof kind !== 'string' || kind === '') return fail(`${where}.publisher.kind`);
    const attestations = bundle['attestations'];
    if (!Array.isArray(attestations)) return fail(`${where}.attestations is not a list`);
    const repository = optionalString(publisher, 'repository', `${where}.publisher`);
    const workflow = optionalString(publisher, 'workflow', `${where}.publisher`);
    const environment = optionalString(publisher, 'environment', `${where}.publisher`);
    return {
      publisher: {
        kind,
        ...(repository !== undefined && { repository }),
        ...(workflow !== undefined && { workflow }),
        ...(environment !== undefined && { environment }),
      },
      bundles: attestations.map((a: unknown, j) =>
        toSigstoreBundle(a, `${where}.attestations[${j}]`),
      ),
    };
  });
}

/** One PEP 740 attestation object as Sigstore bundle v0.3 JSON. */
export function toSigstoreBundle(attestation: unknown, where = 'attestation'): unknown {
  if (!isRecord(attestation)) return fail(`${where} is not an object`);
  if (attestation['version'] !== 1) fail(`${where}.version is not 1`);
  const material = attestation['verification_material'];
  const envelope = attestation['envelope'];
  if (!isRecord(material)) return fail(`${where}.verification_material`);
  if (!isRecord(envelope)) return fail(`${where}.envelope`);
  const certificate = material['certificate'];
  const entries = material['transparency_entries'];
  const statement = envelope['statement'];
  const signature = envelope['signature'];
  if (typeof certificate !== 'string') fail(`${where}.verification_material.certificate`);
  if (!Array.isArray(entries) || entries.length === 0) {
    fail(`${where}.verification_material.transparency_entries`);
  }
  if (typeof statement !== 'string') fail(`${where}.envelope.statement`);
  if (typeof signature !== 'string') fail(`${where}.envelope.signature`);
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: certificate }, tlogEntries: entries },
    dsseEnvelope: {
      payload: statement,
      payloadType: IN_TOTO_PAYLOAD_TYPE,
      signatures: [{ sig: signature, keyid: '' }],
    },
  };
}
