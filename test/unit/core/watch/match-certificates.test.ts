import { describe, expect, it } from 'vitest';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import { identify } from '../../../../electron/core/identity/identify';
import { createPrefilter } from '../../../../electron/core/identity/prefilter';
import type { SubjectAltName } from '../../../../electron/core/identity/types';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import { needlesFor } from '../../../../electron/core/watch/needles';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import {
  createSelfSignedLeaf,
  createTestCa,
  DEFAULT_LEAF_NOT_BEFORE_MS,
  entryBodyFor,
  type LeafOptions,
  type PlantedKind,
} from '../../../../electron/demo/cert-factory';

const EXT = '1.3.6.1.4.1.57264.1';
const ACTIONS = 'https://token.actions.githubusercontent.com';
const ca = createTestCa();
const trust = { certificateAuthorities: [ca.toCertificateAuthority()] };

/** Leaf options for a GitHub Actions signing by `repo`'s `path` at `ref`. */
function actionsLeaf(repo: string, path: string, ref: string, trigger = 'push'): LeafOptions {
  const workflow = `https://github.com/${repo}/${path}@${ref}`;
  const sans: SubjectAltName[] = [{ type: 'uri', value: workflow }];
  return {
    sans,
    extensions: {
      [`${EXT}.1`]: ACTIONS,
      [`${EXT}.8`]: ACTIONS,
      [`${EXT}.9`]: workflow,
      [`${EXT}.12`]: `https://github.com/${repo}`,
      [`${EXT}.14`]: ref,
      [`${EXT}.18`]: workflow,
      [`${EXT}.20`]: trigger,
    },
  };
}

const list = compileWatchlist(
  parseWatchlist(`version: 1
watches:
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/tags/v*]
      triggers: [push]
  - email: dev@acme.example
`),
);

/** Plants `der` in an entry body of `kind`, then parses and identifies it like the monitor. */
function scan(der: Uint8Array, kind: PlantedKind, integratedTimeMs?: number) {
  const [signer] = parseEntryBody(entryBodyFor(der, kind)).signers;
  expect(signer?.type).toBe('x509');
  const identity = identify(signer!, trust);
  const prefiltered =
    signer!.type === 'x509' && createPrefilter(needlesFor(list.watches))(signer!.certificateDer);
  return { matches: matchEntry([identity], list, { integratedTimeMs }), prefiltered };
}

const AT = DEFAULT_LEAF_NOT_BEFORE_MS + 60_000;

describe('matchEntry on fake Fulcio certificates', () => {
  it.each(['hashedrekord@0.0.1', 'hashedrekord@0.0.2', 'dsse@0.0.1', 'intoto@0.0.2'] as const)(
    'classifies a release from the expected workflow as expected in a %s entry',
    (kind) => {
      const leaf = ca.issueLeaf(
        actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1.0.0'),
      );
      const { matches, prefiltered } = scan(leaf.der, kind, AT);
      expect(prefiltered).toBe(true);
      expect(matches).toEqual([
        expect.objectContaining({
          watch: 'github:acme/widget',
          classification: 'expected',
          matchedBy: 'source-repository',
        }),
      ]);
    },
  );

  it.each([
    {
      desc: 'another branch',
      leaf: actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/heads/main'),
    },
    {
      desc: 'another workflow',
      leaf: actionsLeaf('acme/widget', '.github/workflows/ci.yml', 'refs/tags/v1'),
    },
    {
      desc: 'a manual dispatch',
      leaf: actionsLeaf(
        'ACME/Widget',
        '.github/workflows/release.yml',
        'refs/tags/v1',
        'workflow_dispatch',
      ),
    },
  ])('classifies a signing from $desc as unexpected', ({ leaf }) => {
    const { matches, prefiltered } = scan(ca.issueLeaf(leaf).der, 'dsse@0.0.1', AT);
    expect(prefiltered).toBe(true);
    expect(matches).toEqual([expect.objectContaining({ classification: 'unexpected' })]);
  });

  it.each([
    {
      desc: 'a self-signed look-alike',
      der: () =>
        createSelfSignedLeaf(
          actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1'),
        ).der,
    },
    {
      desc: 'a leaf of another CA',
      der: () =>
        createTestCa().issueLeaf(
          actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1'),
        ).der,
    },
    {
      desc: 'a leaf without the code-signing EKU',
      der: () =>
        ca.issueLeaf({
          ...actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1'),
          eku: null,
        }).der,
    },
  ])('classifies $desc as untrusted though it meets every expectation', ({ der }) => {
    const { matches } = scan(der(), 'hashedrekord@0.0.1', AT);
    expect(matches).toEqual([
      expect.objectContaining({
        classification: 'untrusted',
        reason: expect.stringContaining('does not chain to a trusted Fulcio CA ('),
      }),
    ]);
  });

  it('classifies a certificate used after it expired as untrusted', () => {
    const leaf = ca.issueLeaf(
      actionsLeaf('acme/widget', '.github/workflows/release.yml', 'refs/tags/v1'),
    );
    const { matches } = scan(leaf.der, 'intoto@0.0.2', DEFAULT_LEAF_NOT_BEFORE_MS + 11 * 60_000);
    expect(matches).toEqual([
      expect.objectContaining({
        classification: 'untrusted',
        reason: expect.stringContaining('not valid at the integrated time'),
      }),
    ]);
  });

  it('matches an e-mail SAN whose domain differs in case, and nothing for a look-alike', () => {
    const mine = ca.issueLeaf({
      sans: [{ type: 'email', value: 'dev@ACME.example' }],
      extensions: { [`${EXT}.8`]: 'https://accounts.google.com' },
    });
    const lookAlike = ca.issueLeaf({ sans: [{ type: 'email', value: 'dev@acme.example.evil' }] });
    expect(scan(mine.der, 'hashedrekord@0.0.1', AT).matches).toEqual([
      expect.objectContaining({
        watch: 'email:dev@acme.example',
        classification: 'unexpected',
        matchedBy: 'email-san',
      }),
    ]);
    expect(scan(lookAlike.der, 'hashedrekord@0.0.1', AT).matches).toEqual([]);
  });

  it('neither matches nor prefilters a look-alike repository', () => {
    const leaf = ca.issueLeaf(
      actionsLeaf('acme/widgets', '.github/workflows/release.yml', 'refs/tags/v1'),
    );
    // The prefilter may let it through (it is a maybe); the matcher must not.
    expect(scan(leaf.der, 'dsse@0.0.1', AT).matches).toEqual([]);
    const other = ca.issueLeaf(
      actionsLeaf('other/thing', '.github/workflows/release.yml', 'refs/tags/v1'),
    );
    expect(scan(other.der, 'dsse@0.0.1', AT)).toEqual({ matches: [], prefiltered: false });
  });
});
