import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type {
  CertificateIdentity,
  KeyIdentity,
  SignerIdentity,
  SubjectAltName,
} from '../../../../electron/core/identity/types';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { entryIdentities, loadProductionEntries, realEntry, toIdentity } from './realdata';

const ACTIONS = 'https://token.actions.githubusercontent.com';
const EXT = '1.3.6.1.4.1.57264.1';
const NOT_BEFORE = Date.parse('2025-01-01T00:00:00Z');
const NOT_AFTER = NOT_BEFORE + 10 * 60_000;

/** A certificate identity; `ext` is keyed by the last OID arc (`12` for .1.12). */
function cert(opts: {
  sans?: SubjectAltName[];
  issuer?: string;
  ext?: Record<string, string>;
  chain?: 'trusted' | 'untrusted';
}): CertificateIdentity {
  return {
    type: 'x509',
    location: 'spec.signatures[0].verifier',
    sans: opts.sans ?? [],
    issuer: opts.issuer,
    extensions: Object.fromEntries(
      Object.entries(opts.ext ?? {}).map(([arc, value]) => [`${EXT}.${arc}`, { name: arc, value }]),
    ),
    subjectDn: '',
    issuerDn: 'CN=sigstore-intermediate,O=sigstore.dev',
    serialHex: '01',
    notBeforeMs: NOT_BEFORE,
    notAfterMs: NOT_AFTER,
    certSha256Hex: 'c'.repeat(64),
    spkiSha256Hex: 'e'.repeat(64),
    chain: opts.chain ?? 'trusted',
  };
}

const uri = (value: string): SubjectAltName => ({ type: 'uri', value });
const email = (value: string): SubjectAltName => ({ type: 'email', value });

/** A GitHub Actions certificate for a workflow `path@ref` of `repo`, run from `source`. */
function actions(opts: {
  repo: string;
  path?: string;
  ref?: string;
  source?: string;
  sourceRef?: string;
  trigger?: string;
  chain?: 'trusted' | 'untrusted';
}): CertificateIdentity {
  const path = opts.path ?? '.github/workflows/release.yml';
  const ref = opts.ref ?? 'refs/tags/v1.2.3';
  const source = opts.source ?? opts.repo;
  const sourceRef = opts.sourceRef ?? ref;
  const sourcePath = opts.source === undefined ? path : '.github/workflows/release.yml';
  return cert({
    sans: [uri(`https://github.com/${opts.repo}/${path}@${ref}`)],
    issuer: ACTIONS,
    ext: {
      '8': ACTIONS,
      '12': `https://github.com/${source}`,
      '14': sourceRef,
      '18': `https://github.com/${source}/${sourcePath}@${sourceRef}`,
      '20': opts.trigger ?? 'push',
    },
    chain: opts.chain,
  });
}

function key(spkiSha256Hex: string): KeyIdentity {
  return {
    type: 'publicKey',
    location: 'spec.signature.publicKey',
    keyFormat: 'spki',
    spkiSha256Hex,
    chain: 'n/a',
  };
}

function watchlist(yaml: string) {
  return compileWatchlist(parseWatchlist(`version: 1\nwatches:\n${yaml}`));
}

const RELEASE = watchlist(`
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/heads/main, refs/tags/v*]
      triggers: [push, release]
`);

describe('matchEntry', () => {
  describe('with a github watch', () => {
    const plain = watchlist('  - github: acme/widget\n');

    it.each([
      {
        desc: 'the source repository is the repo',
        id: actions({ repo: 'acme/widget' }),
        by: 'source-repository',
      },
      {
        desc: 'owner and repo differ in case',
        id: actions({ repo: 'Acme/WIDGET' }),
        by: 'source-repository',
      },
      {
        desc: "another repository calls the repo's reusable workflow",
        id: actions({ repo: 'acme/widget', source: 'mallory/fork' }),
        by: 'workflow-san',
      },
      {
        desc: 'the repo calls a reusable workflow from elsewhere',
        id: actions({ repo: 'slsa-framework/slsa-github-generator', source: 'acme/widget' }),
        by: 'source-repository',
      },
      {
        desc: 'only the deprecated .1.5 repository is present',
        id: cert({
          sans: [uri('https://github.com/x/y/.github/workflows/a.yml@refs/heads/main')],
          issuer: ACTIONS,
          ext: { '1': ACTIONS, '5': 'acme/widget' },
        }),
        by: 'source-repository',
      },
    ])('matches when $desc', ({ id, by }) => {
      expect(matchEntry([id], plain)).toEqual([
        expect.objectContaining({ watch: 'github:acme/widget', matchedBy: by, signerIndex: 0 }),
      ]);
    });

    it.each([
      { desc: 'a longer repo name', id: actions({ repo: 'acme/widget-extra' }) },
      { desc: 'a longer owner name', id: actions({ repo: 'acmee/widget' }) },
      { desc: 'a shorter repo name', id: actions({ repo: 'acme/widge' }) },
      { desc: 'an owner prefix', id: actions({ repo: 'xacme/widget' }) },
      { desc: 'a repo with a suffix after a dot', id: actions({ repo: 'acme/widget.js' }) },
      {
        desc: 'a Unicode look-alike (KELVIN SIGN for k)',
        id: actions({ repo: 'acme/widget-\u212Ait' }),
        watches: watchlist('  - github: acme/widget-kit\n'),
      },
      {
        desc: 'the issuer is not GitHub Actions',
        id: cert({
          sans: [uri('https://github.com/acme/widget/.github/workflows/r.yml@refs/heads/main')],
          issuer: `${ACTIONS}/hammer-time`,
          ext: { '12': 'https://github.com/acme/widget' },
        }),
      },
      {
        desc: 'the certificate has no issuer',
        id: cert({
          sans: [uri('https://github.com/acme/widget/.github/workflows/r.yml@refs/heads/main')],
        }),
      },
      {
        desc: 'the SAN is the repository URL without a workflow path',
        id: cert({ sans: [uri('https://github.com/acme/widget')], issuer: ACTIONS }),
      },
      {
        desc: 'the repository appears in an e-mail SAN',
        id: cert({ sans: [email('https://github.com/acme/widget/x@y')], issuer: ACTIONS }),
      },
      {
        desc: 'the repository is on gitlab.com',
        id: cert({
          sans: [uri('https://gitlab.com/acme/widget//.gitlab-ci.yml@refs/heads/main')],
          issuer: 'https://gitlab.com',
          ext: { '12': 'https://gitlab.com/acme/widget' },
        }),
      },
      { desc: 'the signer is a key', id: key('a'.repeat(64)) },
    ])('does not match $desc', ({ id, watches }) => {
      expect(matchEntry([id], watches ?? plain)).toEqual([]);
    });

    it('says where a reusable workflow was run from', () => {
      const [m] = matchEntry([actions({ repo: 'acme/widget', source: 'mallory/fork' })], plain);
      expect(m!.reason).toMatch(
        /workflow https:\/\/github\.com\/acme\/widget\/.* run from https:\/\/github\.com\/mallory\/fork/,
      );
    });

    it('classifies every trusted match as unexpected when the watch has no expectations', () => {
      expect(matchEntry([actions({ repo: 'acme/widget' })], plain)[0]).toMatchObject({
        classification: 'unexpected',
        reason: expect.stringContaining('no expectations'),
      });
    });
  });

  describe('with expectations', () => {
    it.each([
      {
        desc: 'a tag release',
        id: actions({ repo: 'acme/widget', ref: 'refs/tags/v2.0.0' }),
        want: 'expected',
        reason:
          /workflow .github\/workflows\/release.yml, ref refs\/tags\/v2.0.0, trigger push as expected/,
      },
      {
        desc: 'a main branch release',
        id: actions({ repo: 'acme/widget', ref: 'refs/heads/main', trigger: 'release' }),
        want: 'expected',
        reason: /as expected/,
      },
      {
        desc: 'another branch',
        id: actions({ repo: 'acme/widget', ref: 'refs/heads/dev' }),
        want: 'unexpected',
        reason: /ref refs\/heads\/dev is not in expect\.refs/,
      },
      {
        desc: 'a tag below a slash',
        id: actions({ repo: 'acme/widget', ref: 'refs/tags/v1/evil' }),
        want: 'unexpected',
        reason: /ref refs\/tags\/v1\/evil is not in expect\.refs/,
      },
      {
        desc: 'another workflow',
        id: actions({ repo: 'acme/widget', path: '.github/workflows/ci.yml' }),
        want: 'unexpected',
        reason: /workflow .github\/workflows\/ci.yml is not in expect\.workflows/,
      },
      {
        desc: 'another trigger',
        id: actions({ repo: 'acme/widget', trigger: 'pull_request_target' }),
        want: 'unexpected',
        reason: /trigger pull_request_target is not in expect\.triggers/,
      },
      {
        desc: 'a same-named workflow in the repository that called the reusable workflow',
        id: actions({ repo: 'acme/widget', source: 'mallory/fork' }),
        want: 'unexpected',
        reason: /workflow .github\/workflows\/release.yml is in mallory\/fork, not acme\/widget/,
      },
      {
        desc: 'several unmet expectations',
        id: actions({
          repo: 'acme/widget',
          path: '.github/workflows/x.yml',
          ref: 'refs/heads/x',
          trigger: 'schedule',
        }),
        want: 'unexpected',
        reason:
          /workflow .* is not in expect\.workflows, ref .* is not in expect\.refs, trigger .* is not in expect\.triggers/,
      },
      {
        desc: 'an untrusted chain that meets every expectation',
        id: actions({ repo: 'acme/widget', chain: 'untrusted' }),
        want: 'untrusted',
        reason: /certificate does not chain to a trusted Fulcio CA/,
      },
      {
        desc: 'a legacy certificate (SAN and .1.2/.1.6 only)',
        id: cert({
          sans: [uri('https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1')],
          issuer: ACTIONS,
          ext: { '1': ACTIONS, '2': 'push', '5': 'acme/widget', '6': 'refs/tags/v1' },
        }),
        want: 'expected',
        reason: /as expected/,
      },
      {
        desc: 'a certificate without any CI facts',
        id: cert({ sans: [uri('https://github.com/acme/widget/x')], issuer: ACTIONS }),
        want: 'unexpected',
        reason: /no source ref to check expect\.refs, no build trigger to check expect\.triggers/,
      },
    ])('classifies $desc as $want', ({ id, want, reason }) => {
      const [m] = matchEntry([id], RELEASE);
      expect(m).toMatchObject({ classification: want });
      expect(m!.reason).toMatch(reason);
    });

    it('does not check a workflow path when it has no build config', () => {
      const list = watchlist('  - github: acme/widget\n    expect: {workflows: [x.yml]}\n');
      const id = cert({
        sans: [email('a@b.example')],
        issuer: ACTIONS,
        ext: { '12': 'https://github.com/acme/widget' },
      });
      expect(matchEntry([id], list)[0]!.reason).toMatch(/no build config URI or workflow SAN/);
    });
  });

  describe('at the integrated time', () => {
    const id = actions({ repo: 'acme/widget' });
    it.each([
      { desc: 'before notBefore', t: NOT_BEFORE - 1, want: 'untrusted' },
      { desc: 'at notBefore', t: NOT_BEFORE, want: 'expected' },
      { desc: 'at notAfter', t: NOT_AFTER, want: 'expected' },
      { desc: 'after notAfter (expired at signing)', t: NOT_AFTER + 1, want: 'untrusted' },
      { desc: 'unknown (Rekor v2)', t: undefined, want: 'expected' },
    ])('classifies a certificate used $desc as $want', ({ t, want }) => {
      const [m] = matchEntry([id], RELEASE, t === undefined ? {} : { integratedTimeMs: t });
      expect(m!.classification).toBe(want);
      if (want === 'untrusted') expect(m!.reason).toMatch(/not valid at the integrated time/);
    });
  });

  describe('with a gitlab watch', () => {
    const gl = (sanProject: string, source: string) =>
      cert({
        sans: [uri(`https://gitlab.com/${sanProject}//.gitlab-ci.yml@refs/heads/main`)],
        issuer: 'https://gitlab.com',
        ext: {
          '12': `https://gitlab.com/${source}`,
          '14': 'refs/heads/main',
          '18': `https://gitlab.com/${source}//.gitlab-ci.yml@refs/heads/main`,
          '20': 'push',
        },
      });
    const list = watchlist(
      '  - gitlab: group/sub/project\n    expect: {workflows: [.gitlab-ci.yml], refs: [refs/heads/main]}\n',
    );

    it.each([
      {
        desc: 'its own pipeline',
        id: gl('group/sub/project', 'group/sub/project'),
        want: [{ matchedBy: 'source-repository', classification: 'expected' }],
      },
      {
        desc: 'a CI config of the project used elsewhere',
        id: gl('group/sub/project', 'other/p'),
        want: [{ matchedBy: 'workflow-san', classification: 'unexpected' }],
      },
      { desc: 'a parent group', id: gl('group/sub', 'group/sub'), want: [] },
      {
        desc: 'a nested project below it',
        id: gl('group/sub/project/x', 'group/sub/project/x'),
        want: [],
      },
      {
        desc: 'a look-alike project',
        id: gl('group/sub/project-x', 'group/sub/project-x'),
        want: [],
      },
    ])('handles $desc', ({ id, want }) => {
      expect(matchEntry([id], list)).toEqual(want.map((w) => expect.objectContaining(w)));
    });
  });

  describe('with an email watch', () => {
    const list = watchlist(
      '  - email: Dev@Acme.Example\n    issuers: [https://accounts.google.com]\n',
    );
    it.each([
      {
        desc: 'the domain differs in case',
        san: email('Dev@acme.example'),
        issuer: 'https://accounts.google.com',
        want: 1,
      },
      {
        desc: 'the local part differs in case',
        san: email('dev@acme.example'),
        issuer: 'https://accounts.google.com',
        want: 0,
      },
      {
        desc: 'another issuer certified it',
        san: email('Dev@acme.example'),
        issuer: 'https://github.com/login/oauth',
        want: 0,
      },
      {
        desc: 'it is a URI SAN',
        san: uri('Dev@Acme.Example'),
        issuer: 'https://accounts.google.com',
        want: 0,
      },
      {
        desc: 'a longer domain',
        san: email('Dev@Acme.Example.evil'),
        issuer: 'https://accounts.google.com',
        want: 0,
      },
    ])('matches $want time(s) when $desc', ({ san, issuer, want }) => {
      const found = matchEntry([cert({ sans: [san], issuer })], list);
      expect(found).toHaveLength(want);
      if (want)
        expect(found[0]).toMatchObject({ matchedBy: 'email-san', classification: 'unexpected' });
    });
  });

  describe('with san, oid and key watches', () => {
    const list = watchlist(`
  - san: 'https://github.com/acme/*/.github/workflows/*@**'
    issuer: https://token.actions.githubusercontent.com
  - san: 'regex:[a-z]+@corp\\.example'
    name: corp
  - san: octocat
  - oid: 1.3.6.1.4.1.57264.1.20
    value: workflow_dispatch
  - key: ${'ab'.repeat(32)}
`);
    const names = (ids: SignerIdentity[]) => matchEntry(ids, list).map((m) => m.watch);

    it('matches a SAN glob with its issuer', () => {
      expect(names([actions({ repo: 'acme/widget', ref: 'refs/heads/feature/x' })])).toEqual([
        'san:https://github.com/acme/*/.github/workflows/*@**',
      ]);
    });
    it('does not match a SAN glob under another issuer', () => {
      const id = cert({
        sans: [uri('https://github.com/acme/w/.github/workflows/r.yml@refs/heads/main')],
        issuer: 'https://example.com',
      });
      expect(names([id])).toEqual([]);
    });
    it('matches an anchored SAN regex on any SAN type', () => {
      expect(names([cert({ sans: [uri('x:1'), email('ops@corp.example')] })])).toEqual(['corp']);
      expect(names([cert({ sans: [email('ops@corp.example.evil')] })])).toEqual([]);
    });
    it('matches an otherName SAN exactly', () => {
      expect(names([cert({ sans: [{ type: 'otherName', value: 'octocat' }] })])).toEqual([
        'san:octocat',
      ]);
    });
    it('matches an OID value exactly', () => {
      expect(names([cert({ ext: { '20': 'workflow_dispatch' } })])).toEqual([
        'oid:1.3.6.1.4.1.57264.1.20=workflow_dispatch',
      ]);
      expect(names([cert({ ext: { '20': 'workflow_dispatch ' } })])).toEqual([]);
    });
    it('matches a key, and a certificate for that key', () => {
      expect(names([key('ab'.repeat(32))])).toEqual([`key:${'ab'.repeat(32)}`]);
      expect(matchEntry([key('ab'.repeat(32))], list)[0]).toMatchObject({
        classification: 'unexpected',
        matchedBy: 'key',
      });
      expect(names([{ ...cert({}), spkiSha256Hex: 'ab'.repeat(32) }])).toEqual([
        `key:${'ab'.repeat(32)}`,
      ]);
      expect(names([key('cd'.repeat(32))])).toEqual([]);
    });
  });

  describe('with several signers and watches', () => {
    it('reports one match per watch, for its most severe signer', () => {
      const signers = [
        actions({ repo: 'acme/widget' }),
        actions({ repo: 'acme/widget', chain: 'untrusted' }),
        actions({ repo: 'acme/widget', ref: 'refs/heads/evil' }),
        actions({ repo: 'acme/widget', ref: 'refs/heads/evil2' }),
      ];
      expect(matchEntry(signers, RELEASE)).toEqual([
        expect.objectContaining({ classification: 'unexpected', signerIndex: 2 }),
      ]);
      expect(matchEntry(signers.slice(0, 2), RELEASE)).toEqual([
        expect.objectContaining({ classification: 'untrusted', signerIndex: 1 }),
      ]);
    });

    it('skips disabled watches and watches for other logs', () => {
      const list = watchlist(`
  - github: acme/widget
    enabled: false
  - github: acme/widget
    name: on rekor v1
    origins: [rekor.sigstore.dev]
`);
      const id = actions({ repo: 'acme/widget' });
      expect(matchEntry([id], list, { origin: 'log2025-1.rekor.sigstore.dev' })).toEqual([]);
      expect(matchEntry([id], list, { origin: 'rekor.sigstore.dev' }).map((m) => m.watch)).toEqual([
        'on rekor v1',
      ]);
      expect(matchEntry([id], list).map((m) => m.watch)).toEqual(['on rekor v1']);
      expect(
        matchEntry([id], list, { origin: 'rekor.sigstore.dev - 1193050959916656506' }).map(
          (m) => m.watch,
        ),
      ).toEqual(['on rekor v1']);
      expect(matchEntry([id], list, { origin: 'rekor.sigstore.dev.evil' })).toEqual([]);
    });

    it('returns no matches for an entry without signers', () => {
      expect(matchEntry([], RELEASE)).toEqual([]);
    });
  });

  describe('against real production entries', () => {
    const entries = loadProductionEntries();
    const run = (yaml: string) => {
      const list = watchlist(yaml);
      return entries.flatMap((entry) => {
        const { identities, integratedTimeMs } = entryIdentities(entry);
        return matchEntry(identities, list, { integratedTimeMs }).map((m) => ({
          id: entry.id,
          ...m,
        }));
      });
    };
    /** Independent oracle: entries whose signer names the repo in its SAN path or repository extensions. */
    const naming = (repo: string) =>
      entries
        .filter((e) =>
          e.signers.some(
            (s) =>
              (s.san ?? []).some((san) =>
                san.value.toLowerCase().startsWith(`https://github.com/${repo}/`),
              ) ||
              s.fulcioExtensions?.[`${EXT}.12`]?.value.toLowerCase() ===
                `https://github.com/${repo}` ||
              s.fulcioExtensions?.[`${EXT}.5`]?.value.toLowerCase() === repo,
          ),
        )
        .map((e) => e.id);

    it('matches every sigstore-js release entry and classifies them by the release example', () => {
      const text = readFileSync(
        new URL('../../../fixtures/watchlists/github-release.yaml', import.meta.url),
        'utf8',
      );
      const list = compileWatchlist(parseWatchlist(text));
      const found = entries.flatMap((entry) => {
        const { identities, integratedTimeMs } = entryIdentities(entry);
        return matchEntry(identities, list, { integratedTimeMs }).map((m) => ({
          id: entry.id,
          ...m,
        }));
      });
      expect(found.map((m) => m.id)).toEqual(naming('sigstore/sigstore-js'));
      expect(found.length).toBeGreaterThanOrEqual(5);
      // The 2023-02 v1.0.0 publish ran publish.yml on a release event: not the expected workflow.
      expect(found.filter((m) => m.classification === 'unexpected').map((m) => m.id)).toEqual([
        'rekor.sigstore.dev#12988397',
      ]);
      expect(found.filter((m) => m.classification === 'expected')).toHaveLength(found.length - 1);
    });

    it.each([
      'sigstore/sigstore',
      'sigstore/sigstore-j',
      'sigstore/sigstore-js-extra',
      'sigstor/sigstore-js',
      'ssigstore/sigstore-js',
    ])('matches no entry for the look-alike %s', (repo) => {
      expect(run(`  - github: ${repo}\n`)).toEqual([]);
    });

    it('matches the SLSA generator only through its reusable workflows', () => {
      const found = run('  - github: slsa-framework/slsa-github-generator\n');
      expect(found.map((m) => m.id)).toEqual(naming('slsa-framework/slsa-github-generator'));
      expect(found.length).toBeGreaterThan(10);
      const bySource = found.filter((m) => m.matchedBy === 'source-repository').map((m) => m.id);
      // Only its own 2023 docker builder run has the generator as its source repository.
      expect(bySource).toEqual(['rekor.sigstore.dev#12421178']);
    });

    it('matches a repository through the deprecated .1.5 extension of 2023 certificates', () => {
      const found = run('  - github: asraa/slsa-on-github-test\n');
      expect(found.map((m) => m.id)).toEqual(naming('asraa/slsa-on-github-test'));
      expect(found.map((m) => m.id)).toContain('rekor.sigstore.dev#11999348');
      expect(new Set(found.map((m) => m.matchedBy))).toEqual(new Set(['source-repository']));
    });

    it('matches bazel-contrib/.github called from aspect-build/rules_lint', () => {
      const found = run('  - github: bazel-contrib/.github\n');
      expect(found).toEqual([
        expect.objectContaining({
          id: 'rekor.sigstore.dev#188622791',
          matchedBy: 'workflow-san',
          reason: expect.stringContaining('run from https://github.com/aspect-build/rules_lint'),
        }),
      ]);
    });

    it('matches the GitLab project with its expectations met', () => {
      const found = run(
        '  - gitlab: facutuesca/gitlab-oidc-project\n    expect: {workflows: [.gitlab-ci.yml], refs: [refs/heads/main], triggers: [push]}\n',
      );
      expect(found).toEqual([
        expect.objectContaining({ id: 'rekor.sigstore.dev#149945774', classification: 'expected' }),
      ]);
    });

    it('matches an e-mail identity in Rekor v1 and v2 entries', () => {
      const found = run('  - email: brian@DEHAMER.com\n');
      expect(found.map((m) => m.id)).toContain('log2025-1.rekor.sigstore.dev#544346');
      expect(found.map((m) => m.id)).toEqual(
        entries
          .filter((e) => e.signers.some((s) => s.san?.some((x) => x.value === 'brian@dehamer.com')))
          .map((e) => e.id),
      );
    });

    it('matches the npm attestation key', () => {
      const hex = '4cb32c4837c6dda8cfb1681efb3fef5f94ffce5b979e6bdb9139302c857af139';
      expect(run(`  - key: ${hex.toUpperCase()}\n`)).toEqual([
        expect.objectContaining({ id: 'rekor.sigstore.dev#771488337', matchedBy: 'key' }),
      ]);
    });

    it('classifies a real certificate as untrusted when used after it expired', () => {
      const entry = realEntry('rekor.sigstore.dev#18300934');
      const id = toIdentity(entry.signers[0]!) as CertificateIdentity;
      const list = watchlist('  - github: sigstore/sigstore-js\n    expect: {triggers: [push]}\n');
      expect(
        matchEntry([id], list, { integratedTimeMs: entry.integratedTime * 1000 })[0]!
          .classification,
      ).toBe('expected');
      expect(
        matchEntry([id], list, { integratedTimeMs: id.notAfterMs + 1000 })[0]!.classification,
      ).toBe('untrusted');
      expect(
        matchEntry([toIdentity(entry.signers[0]!, 'untrusted')], list)[0]!.classification,
      ).toBe('untrusted');
    });
  });
});
