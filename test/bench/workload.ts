// What the benchmarks scan: entries shaped like public Rekor traffic (mostly Fulcio-certificate
// hashedrekords of identities nobody here watches, some key-signed ones) with a signing under a
// watched identity planted at a fixed stride, and a watchlist of a few watches of different
// kinds, so the prefilter, the X.509 path and the matcher all run. Optionally 15% of the
// entries are look-alikes: certificates that hold a watch's needle, so they pass the prefilter
// and are parsed, but match no watch (issue 8 §4).
import {
  DEFAULT_LEAF_NOT_BEFORE_MS,
  createTestCa,
  der,
  entryBodyFor,
  type RawExtension,
  type TestCa,
  type TestCertificate,
} from '../../electron/demo/cert-factory';
import { v1HashedRekordBody, v2HashedRekordEntry } from '../../electron/demo/fake-log/index';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** A watched signing (an unexpected workflow of the watched repository) every this many entries. */
export const PLANT_EVERY = 100_000;

/** Distinct certificates of unwatched identities that the stream cycles through. */
const STRANGERS = 31;

/** Look-alike entries: LOOK_ALIKES_PER_CYCLE of every LOOK_ALIKE_CYCLE entries (15%). */
export const LOOK_ALIKES_PER_CYCLE = 3;
export const LOOK_ALIKE_CYCLE = 20;
/** Distinct look-alike certificates the stream cycles through. */
const LOOK_ALIKE_CERTIFICATES = 240;

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

export interface WorkloadOptions {
  /** 15% look-alike entries (see LOOK_ALIKE_CYCLE); default none. */
  readonly lookAlikes?: boolean;
}

/** Where a workload's entries come from: deterministic, cheap per index (the fake log rebuilds them). */
export interface Workload {
  readonly ca: TestCa;
  /** The distinct look-alike certificates' Rekor v2 entries (empty without lookAlikes). */
  readonly lookAlikeEntries: readonly Uint8Array[];
  /** Rekor v2 entry (hashedrekord/0.0.2) at `index`. */
  readonly v2Entry: (index: number) => Uint8Array;
  /** Rekor v1 body (hashedrekord/0.0.1) at global `index`. */
  readonly v1Entry: (index: number) => Uint8Array;
  /** Planted (watched) entries among the first `size`. */
  planted(size: number): number;
}

/**
 * Builds the entry stream: index i is the planted signing when i % PLANT_EVERY === PLANT_EVERY-1,
 * otherwise (with lookAlikes) a look-alike when i % LOOK_ALIKE_CYCLE < LOOK_ALIKES_PER_CYCLE,
 * otherwise one of STRANGERS certificate entries or, one entry in eight, a key-signed entry.
 */
export function createWorkload(options: WorkloadOptions = {}): Workload {
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
  const lookAlikes = options.lookAlikes
    ? Array.from({ length: LOOK_ALIKE_CERTIFICATES }, (_, i) => lookAlikeLeaf(ca, i))
    : [];
  const stream = (
    kind: 'hashedrekord@0.0.1' | 'hashedrekord@0.0.2',
    keyed: typeof v2HashedRekordEntry,
  ) => {
    const bodies = strangers.map((leaf) => entryBodyFor(leaf, kind));
    const plantedBody = entryBodyFor(planted, kind);
    const lookAlikeBodies = lookAlikes.map((leaf) => entryBodyFor(leaf, kind));
    return (index: number): Uint8Array => {
      if (index % PLANT_EVERY === PLANT_EVERY - 1) return plantedBody;
      const cycle = Math.floor(index / LOOK_ALIKE_CYCLE);
      const inCycle = index % LOOK_ALIKE_CYCLE;
      if (lookAlikeBodies.length > 0 && inCycle < LOOK_ALIKES_PER_CYCLE) {
        const n = (cycle * LOOK_ALIKES_PER_CYCLE + inCycle) % lookAlikeBodies.length;
        return lookAlikeBodies[n] as Uint8Array;
      }
      if (index % 8 === 7) return keyed(index);
      return bodies[index % STRANGERS] as Uint8Array;
    };
  };
  return {
    ca,
    lookAlikeEntries: lookAlikes.map((leaf) => entryBodyFor(leaf, 'hashedrekord@0.0.2')),
    v2Entry: stream('hashedrekord@0.0.2', v2HashedRekordEntry),
    v1Entry: stream('hashedrekord@0.0.1', v1HashedRekordBody),
    planted: (size) => Math.floor(size / PLANT_EVERY),
  };
}

/**
 * The `n`th look-alike certificate: each holds the needle of one watch of WATCHLIST_YAML and
 * matches none, as an attacker's or a neighbour's signing would. Four kinds in turn:
 * - a repository whose name contains the watched one (acme/widget-extra-n: needle acme/widget);
 * - another owner's repository of the same name (notacme/widget-n);
 * - an e-mail under a longer domain (security@acme.example.net-n);
 * - a repository of the org of the org-wide SAN watch that calls another org's reusable
 *   workflow: its Source Repository URI holds https://github.com/acme-labs/ but its SAN (the
 *   reusable workflow) is outside the org.
 * GitHub ones carry every extension production Fulcio writes for GitHub Actions (.1-.6, .8-.22),
 * key identifiers and an SCT-sized extension, so they are as long as real ones (about 1.9 KB).
 */
function lookAlikeLeaf(ca: TestCa, n: number): TestCertificate {
  switch (n % 4) {
    case 0:
      return githubLeaf(ca, n, `acme/widget-extra-${n}`, `acme/widget-extra-${n}`);
    case 1:
      return githubLeaf(ca, n, `notacme/widget-${n}`, `notacme/widget-${n}`);
    case 2:
      return ca.issueLeaf({
        sans: [{ type: 'email', value: `security@acme.example.net-${n}` }],
        notBeforeMs: DEFAULT_LEAF_NOT_BEFORE_MS,
        extensions: {
          '1.3.6.1.4.1.57264.1.1': 'https://accounts.google.com',
          '1.3.6.1.4.1.57264.1.8': 'https://accounts.google.com',
        },
        rawExtensions: keyIdentifiersAndSct(n),
      });
    default:
      return githubLeaf(ca, n, `acme-labs/tool-${n}`, `shared-ci/workflows`);
  }
}

/** A GitHub Actions leaf of `repo` whose signing workflow (SAN, .9) lives in `workflowRepo`. */
function githubLeaf(ca: TestCa, n: number, repo: string, workflowRepo: string): TestCertificate {
  const ref = 'refs/heads/main';
  const url = `https://github.com/${repo}`;
  const workflow = `https://github.com/${workflowRepo}/.github/workflows/build.yml@${ref}`;
  const sha = 'c0ffee'.padEnd(40, '0');
  const F = '1.3.6.1.4.1.57264.1';
  return ca.issueLeaf({
    sans: [{ type: 'uri', value: workflow }],
    notBeforeMs: DEFAULT_LEAF_NOT_BEFORE_MS,
    extensions: {
      [`${F}.1`]: GITHUB_ISSUER,
      [`${F}.2`]: 'push',
      [`${F}.3`]: sha,
      [`${F}.4`]: 'Build and release',
      [`${F}.5`]: repo,
      [`${F}.6`]: ref,
      [`${F}.8`]: GITHUB_ISSUER,
      [`${F}.9`]: workflow,
      [`${F}.10`]: sha,
      [`${F}.11`]: 'github-hosted',
      [`${F}.12`]: url,
      [`${F}.13`]: sha,
      [`${F}.14`]: ref,
      [`${F}.15`]: '123456789',
      [`${F}.16`]: `https://github.com/${repo.split('/')[0]}`,
      [`${F}.17`]: '987654',
      [`${F}.18`]: `${url}/.github/workflows/ci.yml@${ref}`,
      [`${F}.19`]: sha,
      [`${F}.20`]: 'push',
      [`${F}.21`]: `${url}/actions/runs/1234567890/attempts/1`,
      [`${F}.22`]: 'public',
    },
    rawExtensions: keyIdentifiersAndSct(n),
  });
}

/** subjectKeyIdentifier, authorityKeyIdentifier and an embedded-SCT-list extension, sized as Fulcio's. */
function keyIdentifiersAndSct(seed: number): RawExtension[] {
  const filled = (length: number) => Uint8Array.from({ length }, (_, i) => (seed + i * 7) & 0xff);
  return [
    { oid: '2.5.29.14', value: der.octetString(filled(20)) },
    { oid: '2.5.29.35', value: der.sequence(der.implicit(0, filled(20))) },
    // RFC 6962 §3.3: an OCTET STRING holding the TLS-encoded SignedCertificateTimestampList.
    { oid: '1.3.6.1.4.1.11129.2.4.2', value: der.octetString(filled(119)) },
  ];
}
