import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../../../electron/core/bytes';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import { identify } from '../../../../electron/core/identity/identify';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { createEntryMatcher, matchEntryBytes } from '../../../../electron/monitor/jobs/match-entry';
import { createTestCa, entryBodyFor } from '../../../../electron/demo/cert-factory';
import { loadProductionEntries } from '../../core/watch/realdata';

const ca = createTestCa();
const trust = { certificateAuthorities: [ca.toCertificateAuthority()] };
const stranger = ca.issueLeaf({
  sans: [{ type: 'email', value: 'someone@elsewhere.example' }],
  extensions: { '1.3.6.1.4.1.57264.1.8': 'https://accounts.example' },
});
const strangerEntry = entryBodyFor(stranger, 'hashedrekord@0.0.2');
const spkiHex = (spki: Uint8Array) => createHash('sha256').update(spki).digest('hex');
const matcherFor = (yaml: string) =>
  createEntryMatcher(parseWatchlist(`version: 1\nwatches:\n${yaml}`).watches, trust);
const context = { origin: 'log.example' };

describe('matchEntryBytes', () => {
  it('matches a certificate by its key when no needle of the watchlist occurs in it', () => {
    const matcher = matcherFor(
      `  - email: security@acme.example\n  - key: ${spkiHex(stranger.spkiDer)}\n`,
    );
    expect(matcher.prefilter(stranger.der)).toBe(false);
    const result = matchEntryBytes(matcher, strangerEntry, context);
    expect(result.matches).toEqual([
      expect.objectContaining({ watch: `key:${spkiHex(stranger.spkiDer)}`, matchedBy: 'key' }),
    ]);
    expect(result.identities[0]).toMatchObject({ type: 'x509', chain: 'trusted' });
  });

  it('matches nothing when neither a needle nor a watched key is in the certificate', () => {
    const matcher = matcherFor(`  - email: security@acme.example\n  - key: ${'7e'.repeat(32)}\n`);
    expect(matchEntryBytes(matcher, strangerEntry, context)).toEqual({
      matches: [],
      identities: [],
    });
  });

  it('reports a certificate whose framing is broken when a key is watched', () => {
    const broken = entryBodyFor(stranger.der.subarray(0, 40), 'hashedrekord@0.0.2');
    const matcher = matcherFor(`  - key: ${'7e'.repeat(32)}\n`);
    const result = matchEntryBytes(matcher, broken, context);
    expect(result.matches).toEqual([]);
    expect(result.problem).toMatch(/certificate/);
  });
});

describe('matchEntryBytes and the chain check', () => {
  const GITHUB = 'https://token.actions.githubusercontent.com';
  /** A GitHub Actions leaf of `repo`, signed by a workflow of `workflowRepo` (a reusable one). */
  const workflowLeaf = (repo: string, workflowRepo = repo) =>
    ca.issueLeaf({
      sans: [
        {
          type: 'uri',
          value: `https://github.com/${workflowRepo}/.github/workflows/ci.yml@refs/heads/main`,
        },
      ],
      extensions: {
        '1.3.6.1.4.1.57264.1.8': GITHUB,
        '1.3.6.1.4.1.57264.1.12': `https://github.com/${repo}`,
      },
    });
  /** The trust, counting how often a chain check reads its certificate authorities. */
  const countingTrust = () => {
    const counted = { reads: 0 };
    const authorities = [ca.toCertificateAuthority()];
    return {
      counted,
      trust: {
        get certificateAuthorities() {
          counted.reads++;
          return authorities;
        },
      },
    };
  };
  const watchlist = parseWatchlist(
    'version: 1\nwatches:\n  - github: acme/widget\n  - san: https://github.com/acme-labs/**\n',
  ).watches;

  it.each([
    { repo: 'acme/widget-extra', workflowRepo: 'acme/widget-extra' },
    { repo: 'notacme/widget', workflowRepo: 'notacme/widget' },
    // The org-wide watch's needle is in the source repository, its SAN is another org's.
    { repo: 'acme-labs/tool', workflowRepo: 'shared-ci/workflows' },
  ])(
    'reads a look-alike ($repo signed by $workflowRepo) that passes the prefilter, and checks no chain for it',
    ({ repo, workflowRepo }) => {
      const { counted, trust } = countingTrust();
      const matcher = createEntryMatcher(watchlist, trust);
      const leaf = workflowLeaf(repo, workflowRepo);
      const entry = entryBodyFor(leaf, 'hashedrekord@0.0.2');
      expect(matcher.prefilter(leaf.der)).toBe(true);
      expect(matchEntryBytes(matcher, entry, context)).toEqual({ matches: [], identities: [] });
      expect(counted.reads).toBe(0);
    },
  );

  it('checks the chain of a certificate a watch finds, and classifies it by the chain', () => {
    const { counted, trust } = countingTrust();
    const matcher = createEntryMatcher(watchlist, trust);
    const result = matchEntryBytes(
      matcher,
      entryBodyFor(workflowLeaf('acme/widget'), 'hashedrekord@0.0.2'),
      context,
    );
    expect(counted.reads).toBe(1);
    expect(result.matches).toEqual([
      expect.objectContaining({ watch: 'github:acme/widget', classification: 'unexpected' }),
    ]);
    expect(result.identities).toEqual([expect.objectContaining({ chain: 'trusted' })]);
    const stranger = createTestCa().issueLeaf({
      sans: [{ type: 'uri', value: 'https://github.com/acme/widget/.github/workflows/x.yml@x' }],
      extensions: { '1.3.6.1.4.1.57264.1.8': GITHUB },
    });
    const untrusted = matchEntryBytes(matcher, entryBodyFor(stranger, 'dsse@0.0.1'), context);
    expect(untrusted.matches).toEqual([expect.objectContaining({ classification: 'untrusted' })]);
  });

  it('finds on every real entry what identify then matchEntry finds on every signer', () => {
    const root = parseTrustedRoot(
      JSON.parse(
        readFileSync(
          new URL('../../../fixtures/realdata/trust/trusted_root.production.json', import.meta.url),
          'utf8',
        ),
      ),
    );
    const real = loadProductionEntries();
    const sans = real.flatMap((e) => e.signers).flatMap((s) => s.san ?? []);
    const keys = real.flatMap((e) => e.signers).flatMap((s) => (s.type === 'publicKey' ? [s] : []));
    // A watch on every real identity, so that every entry matches something.
    const yaml = [
      ...new Set(sans.map((s) => `  - san: '${s.value.replace(/'/g, "''")}'`)),
      ...new Set(keys.map((k) => `  - key: ${k.spkiSha256Hex}`)),
    ].join('\n');
    const watches = parseWatchlist(`version: 1\nwatches:\n${yaml}\n`).watches;
    const matcher = createEntryMatcher(watches, root);
    const compiled = compileWatchlist(watches);
    let matched = 0;
    for (const e of real) {
      const bytes = decodeBase64Strict(e.bodyB64)!;
      const ctx = {
        origin: 'rekor.sigstore.dev',
        ...(e.integratedTime > 0 && { integratedTimeMs: e.integratedTime * 1000 }),
      };
      const identities = parseEntryBody(bytes).signers.map((s) => identify(s, root));
      const want = matchEntry(identities, compiled, ctx);
      const got = matchEntryBytes(matcher, bytes, ctx);
      const shape = (m: {
        watch: string;
        classification: string;
        reason: string;
        matchedBy: string;
      }) => [m.watch, m.classification, m.reason, m.matchedBy];
      expect(got.matches.map(shape), e.id).toEqual(want.map(shape));
      got.matches.forEach((m, i) =>
        expect(got.identities[m.signerIndex], e.id).toEqual(identities[want[i]!.signerIndex]),
      );
      matched += got.matches.length;
    }
    expect(matched).toBeGreaterThan(real.length / 2);
  });
});
