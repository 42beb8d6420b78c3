// A bench database: `matches` matches (so as many 'match.found' audit events, and more) committed
// through the same commitScanBatch a scan uses, in large batches. Optionally every
// `unexpectedEvery`-th match is an unexpected signing by one of `identities` workflows, which
// raises a new alert: the Alerts screen's worst case.
import { parseEntryBody } from '../../electron/core/entries/parse-entry-body';
import { identify } from '../../electron/core/identity/identify';
import type { SignerIdentity } from '../../electron/core/identity/types';
import { sha256 } from '../../electron/core/hash';
import type { Stores } from '../../electron/monitor/store/index';
import type { NewMatch } from '../../electron/monitor/store/types';
import { createTestCa, entryBodyFor, type TestCa } from '../../electron/demo/cert-factory';

export const ORIGIN = 'log2025-1.bench.test';
export const OTHER_ORIGIN = 'rekor.bench.test - 1193050959916656506';
export const BATCH = 10_000;
export const START_MS = Date.UTC(2025, 0, 1);
/** Batches are committed a minute apart on the audit timeline. */
export const BATCH_INTERVAL_MS = 60_000;

export interface SeedOptions {
  readonly matches: number;
  /** Every n-th match is unexpected (and raises an alert); 0 or absent: none. */
  readonly unexpectedEvery?: number;
  /** How many distinct workflow@ref identities the unexpected signings come from. */
  readonly identities?: number;
}

interface Signed {
  readonly entryBytes: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly signer: SignerIdentity;
}

/** A real hashedrekord with a Fulcio-style certificate, identified as a scan would. */
function signedEntry(ca: TestCa, workflow: string, ref: string): Signed {
  const leaf = ca.issueLeaf({
    sans: [{ type: 'uri', value: `https://github.com/acme/widget/${workflow}@${ref}` }],
    extensions: {
      '1.3.6.1.4.1.57264.1.8': 'https://token.actions.githubusercontent.com',
      '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/widget',
      '1.3.6.1.4.1.57264.1.14': ref,
      '1.3.6.1.4.1.57264.1.20': 'push',
    },
  });
  const entryBytes = entryBodyFor(leaf, 'hashedrekord@0.0.2');
  const signer = identify(parseEntryBody(entryBytes).signers[0]!, {
    certificateAuthorities: [ca.toCertificateAuthority()],
  });
  return { entryBytes, leafHash: sha256(Uint8Array.of(0), entryBytes), signer };
}

/**
 * Commits the matches of options (every entry of a log of that size matched one watch, in
 * batches of BATCH) and returns the seconds it took.
 */
export function seedStore(stores: Stores, options: SeedOptions): number {
  const count = options.matches;
  const ca = createTestCa();
  const release = signedEntry(ca, '.github/workflows/release.yml', 'refs/tags/v1.0.0');
  const unexpected = Array.from({ length: options.identities ?? 0 }, (_, i) =>
    signedEntry(ca, `.github/workflows/job-${i}.yml`, `refs/heads/branch-${i}`),
  );
  const every = unexpected.length > 0 ? (options.unexpectedEvery ?? 0) : 0;
  const rootHash = sha256(Uint8Array.of(1));
  const note = `${ORIGIN}\n${count}\n${Buffer.from(rootHash).toString('base64')}\n\n— ${ORIGIN} AAAA\n`;
  const proof = Array.from({ length: 20 }, (_, i) => sha256(Uint8Array.of(i)));

  const started = performance.now();
  for (const origin of [ORIGIN, OTHER_ORIGIN]) {
    stores.logs.upsert(
      { origin, apiVersion: 2, readUrl: `https://${origin}`, state: 'active' },
      START_MS,
    );
  }
  stores.checkpoints.add({
    origin: ORIGIN,
    treeSize: count,
    rootHash,
    signedNote: note,
    verifiedAtMs: START_MS,
  });
  stores.scans.start(ORIGIN, 0, START_MS);
  for (let from = 0, batch = 0; from < count; from += BATCH, batch++) {
    const to = Math.min(from + BATCH, count);
    const matches: NewMatch[] = [];
    for (let index = from; index < to; index++) {
      const odd = every > 0 && index % every === every - 1;
      const signed = odd ? unexpected[((index / every) % unexpected.length) | 0]! : release;
      matches.push({
        logIndex: index,
        watchName: 'github:acme/widget',
        entryBytes: signed.entryBytes,
        leafHash: signed.leafHash,
        checkpoint: { treeSize: count, signedNote: note },
        inclusionProof: proof,
        signer: signed.signer,
        classification: odd ? 'unexpected' : 'expected',
        reason: odd
          ? 'workflow not in expect.workflows'
          : 'workflow .github/workflows/release.yml, ref refs/tags/v1.0.0 as expected',
      });
    }
    stores.scans.commitScanBatch({
      origin: ORIGIN,
      fromIndex: from,
      toIndex: to,
      treeSize: count,
      matches,
      atMs: START_MS + batch * BATCH_INTERVAL_MS,
    });
    // Another log's events in between, so the origin filter has something to skip.
    stores.audit.append({
      kind: 'error',
      atMs: START_MS + batch * BATCH_INTERVAL_MS,
      origin: OTHER_ORIGIN,
      detail: { code: 'LOG_TIMEOUT' },
    });
  }
  return (performance.now() - started) / 1000;
}
