import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import { importRekorMonitorConfig } from '../../../../electron/core/watch/rekor-monitor';
import { formatWatchlist, parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { entryIdentities, realEntry } from './realdata';

const fixture = readFileSync(
  new URL('../../../fixtures/watchlists/rekor-monitor.yaml', import.meta.url),
  'utf8',
);

const mv = (body: string) => `monitoredValues:\n${body}`;
const rules = (yaml: string) => importRekorMonitorConfig(yaml).watchlist.watches.map((w) => w.rule);

describe('importRekorMonitorConfig', () => {
  it('converts the example config and explains every inexact conversion', () => {
    const { watchlist, notes } = importRekorMonitorConfig(fixture);
    expect(watchlist.watches.map((w) => w.name)).toEqual([
      'email:maintainer@acme.example',
      'email:release@acme.example',
      'san:regex:https://github\\.com/acme/widget/\\.github/workflows/release\\.yml@.*',
      'key:4cb32c4837c6dda8cfb1681efb3fef5f94ffce5b979e6bdb9139302c857af139',
      'oid:1.3.6.1.4.1.57264.1.12=https://github.com/acme/widget',
      'oid:1.3.6.1.4.1.57264.1.18=https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main',
      'oid:1.3.6.1.4.1.57264.1.9=https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
    ]);
    expect(notes).toEqual([
      'startIndex: not a watch setting, ignored',
      expect.stringMatching(
        /^monitoredValues\.certIdentities\[0\]\.certSubject: rekor-monitor matched .* anywhere/,
      ),
      expect.stringMatching(/^monitoredValues\.certIdentities\[2\]\.certSubject: .*anywhere/),
      expect.stringMatching(/^monitoredValues\.certIdentities\[2\]\.issuers\[0\]: .*anywhere/),
      expect.stringMatching(/^monitoredValues\.subjects\[0\]: not converted/),
      expect.stringMatching(/^monitoredValues\.fingerprints\[0\]: converted as a key/),
      expect.stringMatching(/^monitoredValues\.fingerprints\[1\]: not converted: only hex SHA-256/),
      expect.stringMatching(
        /^monitoredValues\.oidMatchers\.customExtensions\[1\]\.extensionValues\[0\]: not converted: oid: 2\.5\.29\.17 is not a Fulcio extension/,
      ),
    ]);
  });

  it('produces a watchlist that survives formatting and parsing', () => {
    const { watchlist } = importRekorMonitorConfig(fixture);
    expect(parseWatchlist(formatWatchlist(watchlist))).toEqual(watchlist);
  });

  it.each([
    {
      desc: 'an anchored literal e-mail with literal issuers',
      yaml: mv(
        '  certIdentities:\n    - certSubject: ^a@b\\.example$\n      issuers: [^https://accounts\\.google\\.com$]\n',
      ),
      want: [{ kind: 'email', address: 'a@b.example', issuers: ['https://accounts.google.com'] }],
    },
    {
      desc: 'a regex subject with two issuers',
      yaml: mv(
        '  certIdentities:\n    - certSubject: ^.*@b\\.example$\n      issuers: [^https://a\\.example$, ^https://b\\.example$]\n',
      ),
      want: [
        {
          kind: 'san',
          pattern: { syntax: 'regex', source: '.*@b\\.example' },
          issuer: { syntax: 'regex', source: '(?:https://a\\.example)|(?:https://b\\.example)' },
        },
      ],
    },
    {
      desc: 'an e-mail with a regex issuer',
      yaml: mv(
        '  certIdentities:\n    - certSubject: ^a@b\\.example$\n      issuers: [^https://.*\\.example$]\n',
      ),
      want: [
        {
          kind: 'san',
          pattern: { syntax: 'exact', source: 'a@b.example' },
          issuer: { syntax: 'regex', source: 'https://.*\\.example' },
        },
      ],
    },
    {
      desc: 'a literal with an escaped star',
      yaml: mv('  certIdentities:\n    - certSubject: ^a\\*b$\n'),
      want: [{ kind: 'san', pattern: { syntax: 'regex', source: 'a\\*b' } }],
    },
    {
      desc: 'the legacy layout with fulcioExtensions and customExtensions at the top',
      yaml: mv(
        '  fulcioExtensions:\n    build-trigger: [push]\n  customExtensions:\n    - objectIdentifier: 1.3.6.1.4.1.57264.1.9\n      extensionValues: https://x.example\n',
      ),
      want: [
        { kind: 'oid', oid: '1.3.6.1.4.1.57264.1.20', value: 'push' },
        { kind: 'oid', oid: '1.3.6.1.4.1.57264.1.9', value: 'https://x.example' },
      ],
    },
    {
      desc: 'oidMatchers as a list of dotted OIDs',
      yaml: mv(
        '  oidMatchers:\n    - objectIdentifier: 1.3.6.1.4.1.57264.1.14\n      extensionValues: [refs/heads/main]\n',
      ),
      want: [{ kind: 'oid', oid: '1.3.6.1.4.1.57264.1.14', value: 'refs/heads/main' }],
    },
    {
      desc: 'the fulcioExtensions issuer',
      yaml: mv('  oidMatchers:\n    fulcioExtensions:\n      issuer: [https://gitlab.com]\n'),
      want: [{ kind: 'oid', oid: '1.3.6.1.4.1.57264.1.8', value: 'https://gitlab.com' }],
    },
    {
      desc: 'the same identity twice',
      yaml: mv(
        '  certIdentities:\n    - certSubject: ^a@b\\.example$\n    - certSubject: ^a@b\\.example$\n',
      ),
      want: [{ kind: 'email', address: 'a@b.example' }],
    },
  ])('converts $desc', ({ yaml, want }) => {
    expect(rules(yaml)).toEqual(want);
  });

  it('names apart watches that would share a derived name', () => {
    const { watchlist } = importRekorMonitorConfig(
      mv(
        '  certIdentities:\n    - certSubject: ^x$\n      issuers: [^https://a\\.example$]\n    - certSubject: ^x$\n      issuers: [^https://b\\.example$]\n',
      ),
    );
    expect(watchlist.watches.map((w) => w.name)).toEqual(['san:x', 'san:x (2)']);
  });

  it.each([
    {
      desc: 'RE2-only syntax',
      body: '  certIdentities:\n    - certSubject: (?i)^a@b\\.example$\n',
      note: /certIdentities\[0\]: not converted: san: regex does not compile/,
    },
    {
      desc: 'a catastrophic regex',
      body: '  certIdentities:\n    - certSubject: ^(a+)+$\n',
      note: /not converted: san: regex repeats a group/,
    },
    {
      desc: 'an e-mail with the GitHub Actions issuer',
      body: '  certIdentities:\n    - certSubject: ^a@b\\.example$\n      issuers: [^https://token\\.actions\\.githubusercontent\\.com$]\n',
      note: /not converted: san: GitHub Actions .* never certifies an e-mail SAN/,
    },
    {
      desc: 'a missing certSubject',
      body: '  certIdentities:\n    - issuers: [x]\n',
      note: /certIdentities\[0\]: not converted: want certSubject/,
    },
    {
      desc: 'an unknown Fulcio extension name',
      body: '  oidMatchers:\n    fulcioExtensions:\n      build-colour: [red]\n',
      note: /fulcioExtensions\.build-colour: not converted: unknown Fulcio extension name/,
    },
    {
      desc: 'an OID that is no OID',
      body: '  oidMatchers:\n    oidExtensions:\n      - objectIdentifier: {a: 1}\n        extensionValues: [x]\n',
      note: /oidExtensions\[0\]: not converted: objectIdentifier .* is not an OID/,
    },
    {
      desc: 'an unknown monitored value',
      body: '  identities: [x]\n',
      note: /^monitoredValues\.identities: unknown, ignored/,
    },
    {
      desc: 'certIdentities that is not a list',
      body: '  certIdentities: {certSubject: x}\n',
      note: /^monitoredValues\.certIdentities: not converted: want a list/,
    },
  ])('notes $desc', ({ body, note }) => {
    const { watchlist, notes } = importRekorMonitorConfig(mv(body));
    expect(watchlist.watches).toEqual([]);
    expect(notes).toContainEqual(expect.stringMatching(note));
  });

  it.each([
    { desc: 'no monitoredValues', yaml: 'startIndex: 1\n' },
    { desc: 'monitoredValues that is a list', yaml: 'monitoredValues: [a]\n' },
    { desc: 'text that is not YAML', yaml: 'monitoredValues: [\n' },
  ])('rejects $desc', ({ yaml }) => {
    expect(() => importRekorMonitorConfig(yaml)).toThrowCode('WATCHLIST_INVALID');
  });

  it('keeps matching what the anchored rekor-monitor identity matched', () => {
    const entry = realEntry('rekor.sigstore.dev#18300934');
    const { identities, integratedTimeMs } = entryIdentities(entry);
    const { watchlist } = importRekorMonitorConfig(
      mv(
        '  certIdentities:\n    - certSubject: ^https://github\\.com/sigstore/sigstore-js/\\.github/workflows/release\\.yml@refs/heads/main$\n      issuers: [^https://token\\.actions\\.githubusercontent\\.com$]\n',
      ),
    );
    expect(matchEntry(identities, compileWatchlist(watchlist), { integratedTimeMs })).toEqual([
      expect.objectContaining({ matchedBy: 'san', classification: 'unexpected' }),
    ]);
  });
});
