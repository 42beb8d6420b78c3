import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict } from '../../../../electron/core/bytes';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import { identify } from '../../../../electron/core/identity/identify';
import { createPrefilter } from '../../../../electron/core/identity/prefilter';
import type { CertificateIdentity } from '../../../../electron/core/identity/types';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import { needlesFor } from '../../../../electron/core/watch/needles';
import type { Watch } from '../../../../electron/core/watch/types';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { loadProductionEntries } from './realdata';

const watches = (yaml: string): readonly Watch[] =>
  parseWatchlist(`version: 1\nwatches:\n${yaml}`).watches;

describe('needlesFor', () => {
  it.each([
    { yaml: '  - github: Acme/Widget\n', want: ['acme/widget'] },
    { yaml: '  - gitlab: Group/Sub/Project\n', want: ['group/sub/project'] },
    { yaml: '  - email: Dev@Acme.example\n', want: ['dev@acme.example'] },
    { yaml: '  - san: https://x.example/a\n', want: ['https://x.example/a'] },
    { yaml: "  - san: 'https://github.com/*/widget/**'\n", want: ['https://github.com/'] },
    { yaml: "  - san: 'regex:Ab.*'\n", want: [''] },
    { yaml: "  - san: 'regex:Ax.*'\n", want: ['ax'] },
    // IP SANs are raw bytes in the DER: text that could be part of an address is no needle.
    { yaml: '  - san: 192.0.2.1\n', want: [''] },
    { yaml: "  - san: 'regex:2001:db8:.*'\n", want: [''] },
    {
      yaml: "  - san: 'regex:https://github\\.com/acme/(widget|Gadget)/.+'\n",
      want: ['https://github.com/acme/widget/', 'https://github.com/acme/gadget/'],
    },
    { yaml: "  - san: 'regex:a|.*'\n", want: [''] },
    { yaml: "  - san: '**'\n", want: [''] },
    { yaml: '  - oid: 1.3.6.1.4.1.57264.1.20\n    value: Push\n', want: ['push'] },
    { yaml: `  - key: ${'a'.repeat(64)}\n`, want: [''] },
    { yaml: '  - github: a/b\n    enabled: false\n', want: [] },
    { yaml: '  - github: a/b\n  - github: A/B\n    name: again\n', want: ['a/b'] },
  ])('returns $want for $yaml', ({ yaml, want }) => {
    expect(needlesFor(watches(yaml))).toEqual(want);
  });
});

describe('createPrefilter(needlesFor(watches))', () => {
  const trust = parseTrustedRoot(
    JSON.parse(
      readFileSync(
        new URL('../../../fixtures/realdata/trust/trusted_root.production.json', import.meta.url),
        'utf8',
      ),
    ),
  );
  // Every certificate signer of every production entry, with its DER and identity.
  const certificates = loadProductionEntries().flatMap((entry) =>
    parseEntryBody(decodeBase64Strict(entry.bodyB64)!).signers.flatMap((signer) =>
      signer.type === 'x509'
        ? [{ der: signer.certificateDer, identity: identify(signer, trust) as CertificateIdentity }]
        : [],
    ),
  );

  // Watches built from the real identities themselves, case-shifted, plus look-alikes.
  const repos = new Set<string>();
  const emails = new Set<string>();
  const sans = new Set<string>();
  const oidValues = new Set<string>();
  for (const { identity } of certificates) {
    for (const san of identity.sans) {
      sans.add(san.value);
      if (san.type === 'email') emails.add(san.value);
      const m = /^https:\/\/github\.com\/([^/]+\/[^/]+)\//.exec(san.value);
      if (m) repos.add(m[1]!);
    }
    for (const [oid, ext] of Object.entries(identity.extensions)) {
      if (ext.value !== '') oidValues.add(`${oid}=${ext.value}`);
    }
  }
  const yaml = [
    ...[...repos].flatMap((r) => [`github: ${r}`, `github: ${r.toUpperCase()}`, `github: ${r}-x`]),
    'gitlab: facutuesca/gitlab-oidc-project',
    'gitlab: FACUTUESCA/gitlab-oidc-project',
    ...[...emails].flatMap((e) => [
      `email: ${e}`,
      `email: ${e.replace(/@(.*)$/, (d) => d.toUpperCase())}`,
    ]),
    ...[...sans].map((s) => `san: '${s}'`),
    // Regexes over the same SANs: escaped whole, with the last path segment or the ref left
    // open, and as one branch of an alternation.
    ...[...sans].flatMap((s) => {
      const escaped = s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
      return [
        escaped,
        ...(s.includes('/') ? [escaped.replace(/[^/]+$/, '[^/]+')] : []),
        escaped.replace(/@.*$/, '@.+'),
        `(?:elsewhere|${escaped})`,
      ].map((re) => `san: ${JSON.stringify(`regex:${re}`)}`);
    }),
    ...[...oidValues].map((pair) => {
      const [oid, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      return `oid: ${oid}\n    value: ${JSON.stringify(value)}`;
    }),
  ]
    .map((line, i) => `  - ${line}\n    name: w${i}\n`)
    .join('');
  const all = watches(yaml);

  it('lets through every certificate that a watch matches (real production certificates)', () => {
    let matched = 0;
    for (const watch of all) {
      const list = compileWatchlist([watch]);
      const prefilter = createPrefilter(needlesFor([watch]));
      for (const { der, identity } of certificates) {
        if (matchEntry([identity], list).length === 0) continue;
        matched++;
        expect(prefilter(der), `${watch.name} on ${identity.certSha256Hex}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(all.length / 2);
  });

  it('gives every regex watch over a real SAN a needle', () => {
    let regexes = 0;
    for (const watch of all) {
      if (watch.rule.kind !== 'san' || watch.rule.pattern.syntax !== 'regex') continue;
      regexes++;
      expect(needlesFor([watch]), watch.rule.pattern.source).not.toContain('');
    }
    expect(regexes).toBeGreaterThan(0);
  });

  it('skips most real certificates for a regex watch on one repository', () => {
    const prefilter = createPrefilter(
      needlesFor(
        watches(
          "  - san: 'regex:https://github\\.com/sigstore/sigstore-js/\\.github/workflows/[^@]+@refs/.+'\n",
        ),
      ),
    );
    const passed = certificates.filter(({ der }) => prefilter(der)).length;
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(certificates.length / 4);
  });

  it('skips most real certificates for a single repository watch', () => {
    const prefilter = createPrefilter(needlesFor(watches('  - github: sigstore/sigstore-js\n')));
    const passed = certificates.filter(({ der }) => prefilter(der)).length;
    expect(passed).toBeGreaterThan(0);
    expect(passed).toBeLessThan(certificates.length / 4);
  });
});
