// Loads the vendored real Sigstore data (test/fixtures/realdata) for entries and identity tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CertificateAuthority } from '../../../../electron/core/trust/types';

const REALDATA = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));

/** The expected parse of one signer, as recorded in the realdata `signers` field. */
export type RealSigner =
  | {
      readonly type: 'x509';
      readonly location: string;
      readonly keyDetails?: string;
      readonly subject: string;
      readonly issuer: string;
      readonly serialHex: string;
      readonly notBefore: string;
      readonly notAfter: string;
      readonly sha256Hex: string;
      readonly san: readonly { type: string; value: string }[];
      readonly fulcioExtensions: Readonly<
        Record<string, { name: string; value: string; encoding: string }>
      >;
    }
  | {
      readonly type: 'publicKey';
      readonly location: string;
      readonly keyDetails?: string;
      readonly spkiSha256Hex: string;
      readonly spkiB64: string;
    };

export interface RealEntry {
  readonly id: string;
  readonly environment: 'production' | 'staging';
  readonly kind: string;
  readonly kindApiVersion: string;
  readonly body: Uint8Array;
  readonly signers: readonly RealSigner[];
}

export const ENTRY_FILES = [
  'rekor-v1/entries.production.jsonl',
  'rekor-v2/entries.production.jsonl',
  'rekor-v1/entries.staging.jsonl',
  'rekor-v2/entries.staging.jsonl',
] as const;

/** Every record of one `entries.*.jsonl` file. */
export function loadEntries(file: (typeof ENTRY_FILES)[number]): RealEntry[] {
  return readFileSync(`${REALDATA}${file}`, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line) as Omit<RealEntry, 'body'> & { bodyB64: string };
      return {
        id: record.id,
        environment: record.environment,
        kind: record.kind,
        kindApiVersion: record.kindApiVersion,
        body: new Uint8Array(Buffer.from(record.bodyB64, 'base64')),
        signers: record.signers,
      };
    });
}

/** Every production and staging entry. */
export function loadAllEntries(): RealEntry[] {
  return ENTRY_FILES.flatMap(loadEntries);
}

/**
 * certificateAuthorities of a vendored trusted root, read minimally here so these tests do
 * not depend on electron/core/trust (owned and tested separately).
 */
export function loadCertificateAuthorities(
  environment: 'production' | 'staging',
): CertificateAuthority[] {
  const root = JSON.parse(
    readFileSync(`${REALDATA}trust/trusted_root.${environment}.json`, 'utf8'),
  ) as {
    certificateAuthorities: {
      uri: string;
      certChain: { certificates: { rawBytes: string }[] };
      validFor: { start: string; end?: string };
    }[];
  };
  return root.certificateAuthorities.map((ca) => ({
    uri: ca.uri,
    certChainDer: ca.certChain.certificates.map(
      (c) => new Uint8Array(Buffer.from(c.rawBytes, 'base64')),
    ),
    validFor: {
      startMs: Date.parse(ca.validFor.start),
      ...(ca.validFor.end === undefined ? {} : { endMs: Date.parse(ca.validFor.end) }),
    },
  }));
}
