// What the benchmarks scan: entries shaped like public Rekor traffic (mostly Fulcio-certificate
// hashedrekords of identities nobody here watches, some key-signed ones) with a signing under a
// watched identity planted at a fixed stride, and a watchlist of a few watches of different
// kinds, so the prefilter, the X.509 path and the matcher all run.
import {
  DEFAULT_LEAF_NOT_BEFORE_MS,
  createTestCa,
  entryBodyFor,
  type TestCa,
} from '../support/cert-factory';
import { v1HashedRekordBody, v2HashedRekordEntry } from '../support/fake-log/index';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** A watched signing (an unexpected workflow of the watched repository) every this many entries. */
export const PLANT_EVERY = 100_000;

/** Distinct certificates of unwatched identities that the stream cycles through. */
const STRANGERS = 31;

/**
 * The watchlist the scans run with (YAML, as a user writes it). The SAN watch is a glob: a regex
 * has no literal needle, so one regex watch lets every certificate through the prefilter to the
 * full X.509 parse and chain check (about 6x slower scans; see needles.ts).
 */
export const WATCHLIST_YAML = `version: 1
watches:
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/tags/v*]
  - email: security@acme.example
  - san: 'https://github.com/acme-labs/**'
  - key: ${'7e'.repeat(32)}
`;

/** Where a workload's entries come from: deterministic, cheap per index (the fake log rebuilds them). */
export interface Workload {
  readonly ca: TestCa;
  /** Rekor v2 entry (hashedrekord/0.0.2) at `index`. */
  readonly v2Entry: (index: number) => Uint8Array;
  /** Rekor v1 body (hashedrekord/0.0.1) at global `index`. */
  readonly v1Entry: (index: number) => Uint8Array;
  /** Planted (watched) entries among the first `size`. */
  planted(size: number): number;
}

/**
 * Builds the entry stream: index i is the planted signing when i % PLANT_EVERY === PLANT_EVERY-1,
 * otherwise one of STRANGERS certificate entries or, one entry in eight, a key-signed entry.
 */
export function createWorkload(): Workload {
  const ca = createTestCa();
  const workflowLeaf = (repo: string, path: string, ref: string) =>
    ca.issueLeaf({
      sans: [{ type: 'uri', value: `https://github.com/${repo}/${path}@${ref}` }],
      notBeforeMs: DEFAULT_LEAF_NOT_BEFORE_MS,
      extensions: {
        '1.3.6.1.4.1.57264.1.8': GITHUB_ISSUER,
        '1.3.6.1.4.1.57264.1.12': `https://github.com/${repo}`,
        '1.3.6.1.4.1.57264.1.14': ref,
        '1.3.6.1.4.1.57264.1.18': `https://github.com/${repo}/${path}@${ref}`,
        '1.3.6.1.4.1.57264.1.20': 'push',
      },
    });
  const strangers = Array.from({ length: STRANGERS }, (_, i) =>
    workflowLeaf(`org-${i}/project-${i}`, '.github/workflows/release.yml', 'refs/tags/v1.0.0'),
  );
  const planted = workflowLeaf('acme/widget', '.github/workflows/evil.yml', 'refs/heads/x');
  const stream = (
    kind: 'hashedrekord@0.0.1' | 'hashedrekord@0.0.2',
    keyed: typeof v2HashedRekordEntry,
  ) => {
    const bodies = strangers.map((leaf) => entryBodyFor(leaf, kind));
    const plantedBody = entryBodyFor(planted, kind);
    return (index: number): Uint8Array => {
      if (index % PLANT_EVERY === PLANT_EVERY - 1) return plantedBody;
      if (index % 8 === 7) return keyed(index);
      return bodies[index % STRANGERS] as Uint8Array;
    };
  };
  return {
    ca,
    v2Entry: stream('hashedrekord@0.0.2', v2HashedRekordEntry),
    v1Entry: stream('hashedrekord@0.0.1', v1HashedRekordBody),
    planted: (size) => Math.floor(size / PLANT_EVERY),
  };
}
