// Real production entries (test/fixtures/realdata) and their expected signers, as the
// SignerIdentity values the watch core consumes.
import { readFileSync } from 'node:fs';
import type { SignerIdentity, SanType } from '../../../../electron/core/identity/types';

export interface RealSigner {
  readonly type: 'x509' | 'publicKey';
  readonly location: string;
  readonly san?: readonly { type: string; value: string }[];
  readonly fulcioExtensions?: Readonly<Record<string, { name: string; value: string }>>;
  readonly subject?: string;
  readonly issuer?: string;
  readonly serialHex?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly sha256Hex?: string;
  readonly spkiSha256Hex?: string;
}

export interface RealEntry {
  readonly id: string;
  readonly instance: string;
  readonly rekorApi: 'v1' | 'v2';
  readonly logIndex: number;
  /** v1: SHA-256 of the log's SPKI; v2: the C2SP key ID hash. */
  readonly logIdHex: string;
  readonly integratedTime: number;
  readonly kind: string;
  readonly kindApiVersion: string;
  readonly bodyB64: string;
  readonly signers: readonly RealSigner[];
}

const ROOT = new URL('../../../fixtures/realdata/', import.meta.url);

/** Every production entry (Rekor v1 and v2). */
export function loadProductionEntries(): RealEntry[] {
  return ['rekor-v1/entries.production.jsonl', 'rekor-v2/entries.production.jsonl'].flatMap(
    (file) =>
      readFileSync(new URL(file, ROOT), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as RealEntry),
  );
}

/** One production entry by id (`rekor.sigstore.dev#18300934`). */
export function realEntry(id: string): RealEntry {
  const found = loadProductionEntries().find((e) => e.id === id);
  if (!found) throw new Error(`no real entry ${id}`);
  return found;
}

/**
 * The realdata `signers` record as a SignerIdentity with the given chain status (the record
 * does not say; production Fulcio certificates chain to the production trusted root).
 */
export function toIdentity(
  signer: RealSigner,
  chain: 'trusted' | 'untrusted' = 'trusted',
): SignerIdentity {
  if (signer.type === 'publicKey') {
    return {
      type: 'publicKey',
      location: signer.location,
      keyFormat: 'spki',
      spkiSha256Hex: signer.spkiSha256Hex!,
      chain: 'n/a',
    };
  }
  const extensions = signer.fulcioExtensions ?? {};
  const issuer =
    extensions['1.3.6.1.4.1.57264.1.8']?.value ?? extensions['1.3.6.1.4.1.57264.1.1']?.value;
  return {
    type: 'x509',
    location: signer.location,
    sans: (signer.san ?? []).map((s) => ({ type: s.type as SanType, value: s.value })),
    issuer,
    extensions: Object.fromEntries(
      Object.entries(extensions).map(([oid, e]) => [oid, { name: e.name, value: e.value }]),
    ),
    subjectDn: signer.subject ?? '',
    issuerDn: signer.issuer ?? '',
    serialHex: signer.serialHex ?? '',
    notBeforeMs: Date.parse(signer.notBefore!),
    notAfterMs: Date.parse(signer.notAfter!),
    certSha256Hex: signer.sha256Hex!,
    // The record gives no SPKI hash for certificates; key watches are tested with keys.
    spkiSha256Hex: '0'.repeat(64),
    chain,
  };
}

/** The entry's signers as identities, and its integrated time (v1 only). */
export function entryIdentities(entry: RealEntry): {
  identities: SignerIdentity[];
  integratedTimeMs: number | undefined;
} {
  return {
    identities: entry.signers.map((s) => toIdentity(s)),
    integratedTimeMs: entry.rekorApi === 'v1' ? entry.integratedTime * 1000 : undefined,
  };
}
