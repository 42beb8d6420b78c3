import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../electron/core/errors';
import type { Watchlist } from '../../../../electron/core/watch/types';
import {
  deriveWatchName,
  formatWatchlist,
  oidProblem,
  parseWatchlist,
  WatchlistError,
} from '../../../../electron/core/watch/watchlist';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/watchlists/${name}`, import.meta.url), 'utf8');

/** The issues parseWatchlist reports for `text` (fails the test when it parses). */
function issuesOf(text: string, format?: 'yaml' | 'json'): readonly string[] {
  try {
    parseWatchlist(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(WatchlistError);
    expect(err).toBeInstanceOf(InputError);
    return (err as WatchlistError).issues;
  }
  throw new Error('parsed, want WATCHLIST_INVALID');
}

const one = (watch: string) => `version: 1\nwatches:\n  - ${watch.split('\n').join('\n    ')}\n`;

describe('parseWatchlist', () => {
  it('parses the GitHub release example', () => {
    expect(parseWatchlist(fixture('github-release.yaml'))).toEqual({
      version: 1,
      watches: [
        {
          name: 'github:sigstore/sigstore-js',
          rule: { kind: 'github', repository: 'sigstore/sigstore-js' },
          expect: {
            workflows: [{ syntax: 'exact', source: '.github/workflows/release.yml' }],
            refs: [
              { syntax: 'exact', source: 'refs/heads/main' },
              { syntax: 'glob', source: 'refs/tags/v*' },
            ],
            triggers: ['push'],
          },
          enabled: true,
        },
      ],
    });
  });

  it('parses one watch of every kind from the common example', () => {
    const list = parseWatchlist(fixture('common.yaml'));
    expect(list.watches.map((w) => [w.name, w.rule.kind])).toEqual([
      ['sigstore-js releases', 'github'],
      ['gitlab:facutuesca/gitlab-oidc-project', 'gitlab'],
      ['email:william@yossarian.net', 'email'],
      ['npm registry attestation key', 'key'],
      [
        'san:regex:https://github\\.com/slsa-framework/slsa-github-generator/\\.github/workflows/builder_[a-z0-9_-]+\\.yml@refs/tags/v2\\..*',
        'san',
      ],
      [
        'oid:1.3.6.1.4.1.57264.1.9=https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19',
        'oid',
      ],
    ]);
    expect(list.watches[5]!.origins).toEqual(['rekor.sigstore.dev']);
  });

  it('reports every problem of a file, each with its path', () => {
    expect(issuesOf(fixture('invalid.yaml'))).toEqual([
      'watches[0].github: want "owner/repo", got "https://github.com/acme/widget"',
      expect.stringMatching(
        /^watches\[1\]\.issuers\[0\]: GitHub Actions .* never certifies an e-mail SAN/,
      ),
      expect.stringMatching(/^watches\[2\]\.san: regex repeats a group .*catastrophic/),
      expect.stringMatching(/^watches\[3\]\.oid: want a dotted OID/),
      expect.stringMatching(/^watches\[4\]\.expect\.branches: unknown field/),
      'watches[4].expect.refs[0]: want a full ref like refs/heads/main or refs/tags/v*, got "main"',
    ]);
  });

  it('reads JSON with format json, and with the YAML reader', () => {
    const json = '{"version": 1, "watches": [{"github": "acme/widget"}]}';
    expect(parseWatchlist(json, 'json').watches[0]!.name).toBe('github:acme/widget');
    expect(parseWatchlist(json).watches[0]!.name).toBe('github:acme/widget');
  });

  it('rejects YAML in a JSON watchlist', () => {
    expect(issuesOf('version: 1\nwatches: []\n', 'json')[0]).toMatch(/^json: /);
  });

  it('accepts an empty list of watches', () => {
    expect(parseWatchlist('version: 1\nwatches: []\n').watches).toEqual([]);
  });

  it.each([
    { desc: 'YAML syntax error', text: 'version: 1\nwatches: [\n', want: /^yaml: / },
    {
      desc: 'duplicate keys',
      text: 'version: 1\nversion: 1\nwatches: []\n',
      want: /^yaml: .*unique/i,
    },
    { desc: 'not a mapping', text: '- a\n- b\n', want: /^watchlist: want a mapping, got a list/ },
    { desc: 'empty file', text: '', want: /^watchlist: want a mapping, got nothing/ },
    { desc: 'missing version', text: 'watches: []\n', want: /^version: missing, want 1/ },
    { desc: 'future version', text: 'version: 2\nwatches: []\n', want: /^version: want 1, got 2/ },
    {
      desc: 'string version',
      text: 'version: "1"\nwatches: []\n',
      want: /^version: want 1, got "1"/,
    },
    {
      desc: 'unknown top-level field',
      text: 'version: 1\nwatches: []\nwatch: []\n',
      want: /^watch: unknown field/,
    },
    { desc: 'missing watches', text: 'version: 1\n', want: /^watches: missing/ },
    {
      desc: 'watches not a list',
      text: 'version: 1\nwatches: {}\n',
      want: /^watches: want a list, got a mapping/,
    },
    {
      desc: 'a watch that is a string',
      text: 'version: 1\nwatches: [acme/widget]\n',
      want: /^watches\[0\]: want a mapping, got string/,
    },
    {
      desc: 'no kind',
      text: one('name: x'),
      want: /^watches\[0\]: missing the watch kind, want one of github, gitlab/,
    },
    {
      desc: 'two kinds',
      text: one('github: a/b\nemail: a@b.example'),
      want: /^watches\[0\]: has github and email, want exactly one/,
    },
    {
      desc: 'unknown watch field',
      text: one('github: a/b\nrepo: a/b'),
      want: /^watches\[0\]\.repo: unknown field/,
    },
    {
      desc: 'option of another kind',
      text: one('github: a/b\nissuer: https://x.example'),
      want: /^watches\[0\]\.issuer: only allowed with san, this is a github watch/,
    },
    {
      desc: 'github with a URL',
      text: one('github: https://github.com/a/b'),
      want: /^watches\[0\]\.github: want "owner\/repo"/,
    },
    { desc: 'github without repo', text: one('github: acme'), want: /want "owner\/repo"/ },
    { desc: 'github with three segments', text: one('github: a/b/c'), want: /want "owner\/repo"/ },
    { desc: 'github repo ..', text: one('github: acme/..'), want: /want "owner\/repo"/ },
    {
      desc: 'github owner with leading dash',
      text: one('github: -acme/widget'),
      want: /want "owner\/repo"/,
    },
    {
      desc: 'gitlab without project',
      text: one('gitlab: group'),
      want: /^watches\[0\]\.gitlab: want "group\/project"/,
    },
    {
      desc: 'gitlab with empty segment',
      text: one('gitlab: group//project'),
      want: /want "group\/project"/,
    },
    {
      desc: 'email without @',
      text: one('email: dev.acme.example'),
      want: /^watches\[0\]\.email: want "name@domain"/,
    },
    {
      desc: 'email issuers not a list',
      text: one('email: a@b.example\nissuers: https://accounts.google.com'),
      want: /^watches\[0\]\.issuers: want a list of strings, got string/,
    },
    {
      desc: 'email issuers empty',
      text: one('email: a@b.example\nissuers: []'),
      want: /^watches\[0\]\.issuers: empty list/,
    },
    {
      desc: 'email issuer not a URL',
      text: one('email: a@b.example\nissuers: [google]'),
      want: /^watches\[0\]\.issuers\[0\]: want an https:\/\/ issuer URL/,
    },
    {
      desc: 'email with the GitHub Actions issuer',
      text: one('email: a@b.example\nissuers: [https://token.actions.githubusercontent.com]'),
      want: /never certifies an e-mail SAN/,
    },
    {
      desc: 'san e-mail with the GitHub Actions issuer',
      text: one('san: a@b.example\nissuer: https://token.actions.githubusercontent.com'),
      want: /^watches\[0\]\.san: GitHub Actions .* never certifies an e-mail SAN/,
    },
    {
      desc: 'san outside github.com with the GitHub Actions issuer',
      text: one(
        "san: 'https://gitlab.com/a/b//*'\nissuer: https://token.actions.githubusercontent.com",
      ),
      want: /always starts with "https:\/\/github.com\/"/,
    },
    {
      desc: 'san with a bad regex',
      text: one("san: 'regex:(a|b)*'"),
      want: /^watches\[0\]\.san: regex repeats a group/,
    },
    {
      desc: 'san with a bad issuer regex',
      text: one("san: a@b.example\nissuer: 'regex:(?<=x)y'"),
      want: /^watches\[0\]\.issuer: regex lookaround/,
    },
    {
      desc: 'san with an exact issuer that is no URL',
      text: one('san: a@b.example\nissuer: google'),
      want: /^watches\[0\]\.issuer: want an https:\/\/ issuer URL/,
    },
    {
      desc: 'oid with a leading zero',
      text: one('oid: 1.3.6.1.4.1.57264.1.012\nvalue: x'),
      want: /^watches\[0\]\.oid: want a dotted OID/,
    },
    {
      desc: 'oid outside the Fulcio arc',
      text: one('oid: 2.5.29.17\nvalue: x'),
      want: /is not a Fulcio extension/,
    },
    {
      desc: 'oid below a Fulcio extension',
      text: one('oid: 1.3.6.1.4.1.57264.1.12.1\nvalue: x'),
      want: /is not a Fulcio extension/,
    },
    {
      desc: 'oid of the otherName SAN',
      text: one('oid: 1.3.6.1.4.1.57264.1.7\nvalue: x'),
      want: /otherName SAN.*use "san:"/,
    },
    {
      desc: 'oid without value',
      text: one('oid: 1.3.6.1.4.1.57264.1.12'),
      want: /^watches\[0\]\.value: missing/,
    },
    {
      desc: 'oid with a numeric value',
      text: one('oid: 1.3.6.1.4.1.57264.1.15\nvalue: 495574555'),
      want: /^watches\[0\]\.value: want a string, got number 495574555 \(quote it\)/,
    },
    {
      desc: 'key too short',
      text: one('key: abcd'),
      want: /^watches\[0\]\.key: want 64 hex digits/,
    },
    { desc: 'key in base64', text: one(`key: ${'A'.repeat(43)}=`), want: /want 64 hex digits/ },
    {
      desc: 'expect on an email watch',
      text: one('email: a@b.example\nexpect: {refs: [refs/heads/main]}'),
      want: /^watches\[0\]\.expect: only github and gitlab watches have expectations/,
    },
    {
      desc: 'expect on a key watch',
      text: one(`key: ${'a'.repeat(64)}\nexpect: {triggers: [push]}`),
      want: /only github and gitlab/,
    },
    {
      desc: 'empty expect',
      text: one('github: a/b\nexpect: {}'),
      want: /^watches\[0\]\.expect: empty/,
    },
    {
      desc: 'expect a list',
      text: one('github: a/b\nexpect: [push]'),
      want: /^watches\[0\]\.expect: want a mapping, got a list/,
    },
    {
      desc: 'unknown expect field',
      text: one('github: a/b\nexpect: {branches: [main]}'),
      want: /^watches\[0\]\.expect\.branches: unknown field \(known: workflows, refs, triggers\)/,
    },
    {
      desc: 'empty refs',
      text: one('github: a/b\nexpect: {refs: []}'),
      want: /^watches\[0\]\.expect\.refs: empty list/,
    },
    {
      desc: 'short ref',
      text: one('github: a/b\nexpect: {refs: [v1]}'),
      want: /^watches\[0\]\.expect\.refs\[0\]: want a full ref/,
    },
    {
      desc: 'bad ref glob',
      text: one("github: a/b\nexpect: {refs: ['refs/***']}"),
      want: /^watches\[0\]\.expect\.refs\[0\]: glob has/,
    },
    {
      desc: 'workflow with a ref',
      text: one('github: a/b\nexpect: {workflows: [.github/workflows/r.yml@refs/heads/main]}'),
      want: /^watches\[0\]\.expect\.workflows\[0\]: a workflow path has no "@"/,
    },
    {
      desc: 'absolute workflow path',
      text: one('github: a/b\nexpect: {workflows: [/.github/workflows/r.yml]}'),
      want: /without a leading "\/"/,
    },
    {
      desc: 'duplicate trigger',
      text: one('github: a/b\nexpect: {triggers: [push, push]}'),
      want: /^watches\[0\]\.expect\.triggers\[1\]: duplicate "push"/,
    },
    {
      desc: 'bad trigger',
      text: one('github: a/b\nexpect: {triggers: [Push Event]}'),
      want: /^watches\[0\]\.expect\.triggers\[0\]: want an event name/,
    },
    {
      desc: 'enabled as a string',
      text: one('github: a/b\nenabled: "no"'),
      want: /^watches\[0\]\.enabled: want true or false, got "no"/,
    },
    {
      desc: 'empty name',
      text: one("github: a/b\nname: ''"),
      want: /^watches\[0\]\.name: want a non-empty string/,
    },
    {
      desc: 'name with a control character',
      text: one('github: a/b\nname: "a\\u0007b"'),
      want: /^watches\[0\]\.name: want at most 200 printable/,
    },
    {
      desc: 'origins empty',
      text: one('github: a/b\norigins: []'),
      want: /^watches\[0\]\.origins: empty list/,
    },
    {
      desc: 'origins a string',
      text: one('github: a/b\norigins: rekor.sigstore.dev'),
      want: /^watches\[0\]\.origins: want a list/,
    },
    {
      desc: 'duplicate derived names',
      text: 'version: 1\nwatches:\n  - github: acme/widget\n  - email: a@b.example\n  - github: acme/widget\n    expect: {triggers: [push]}\n',
      want: /^watches\[2\]\.name: duplicate name "github:acme\/widget" \(also watches\[0\]\)/,
    },
  ])('rejects $desc', ({ text, want }) => {
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatch(want);
  });

  it('lowercases key fingerprints', () => {
    const list = parseWatchlist(one(`key: ${'AB'.repeat(32)}`));
    expect(list.watches[0]!.rule).toEqual({ kind: 'key', spkiSha256Hex: 'ab'.repeat(32) });
  });

  it('keeps disabled watches', () => {
    expect(parseWatchlist(one('github: a/b\nenabled: false')).watches[0]!.enabled).toBe(false);
  });

  it('throws only WatchlistError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseWatchlist(text);
        } catch (err) {
          expect(err).toBeInstanceOf(WatchlistError);
        }
      }),
    );
  });

  it('bounds YAML alias expansion', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    expect(() => parseWatchlist(bomb)).toThrowCode('WATCHLIST_INVALID');
  });
});

describe('deriveWatchName', () => {
  it.each([
    { rule: { kind: 'github', repository: 'Acme/Widget' } as const, want: 'github:Acme/Widget' },
    { rule: { kind: 'gitlab', project: 'g/s/p' } as const, want: 'gitlab:g/s/p' },
    { rule: { kind: 'email', address: 'a@b.example' } as const, want: 'email:a@b.example' },
    {
      rule: { kind: 'san', pattern: { syntax: 'regex', source: 'x' } } as const,
      want: 'san:regex:x',
    },
    {
      rule: { kind: 'oid', oid: '1.3.6.1.4.1.57264.1.20', value: 'push' } as const,
      want: 'oid:1.3.6.1.4.1.57264.1.20=push',
    },
    { rule: { kind: 'key', spkiSha256Hex: 'ab' } as const, want: 'key:ab' },
  ])('names a $rule.kind watch $want', ({ rule, want }) => {
    expect(deriveWatchName(rule)).toBe(want);
  });
});

describe('oidProblem', () => {
  it.each([
    { oid: '1.3.6.1.4.1.57264.1.12', want: undefined },
    { oid: '1.3.6.1.4.1.57264.1.99', want: undefined },
    { oid: '3.1', want: /not a valid OID/ },
    { oid: '1.40.1', want: /not a valid OID/ },
    { oid: '1..3', want: /want a dotted OID/ },
    { oid: '1', want: /want a dotted OID/ },
  ])('checks $oid', ({ oid, want }) => {
    const problem = oidProblem(oid);
    if (want === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(want);
  });
});

describe('formatWatchlist', () => {
  it.each(['github-release.yaml', 'common.yaml'])(
    'round-trips %s through YAML and JSON',
    (name) => {
      const list = parseWatchlist(fixture(name));
      expect(parseWatchlist(formatWatchlist(list))).toEqual(list);
      expect(parseWatchlist(formatWatchlist(list, 'json'), 'json')).toEqual(list);
    },
  );

  it('writes given names, disabled watches and origins, and omits derived names', () => {
    const list: Watchlist = {
      version: 1,
      watches: [
        {
          name: 'github:acme/widget',
          rule: { kind: 'github', repository: 'acme/widget' },
          enabled: true,
        },
        {
          name: 'mine',
          rule: {
            kind: 'san',
            pattern: { syntax: 'glob', source: 'https://x.example/*' },
            issuer: { syntax: 'exact', source: 'https://x.example' },
          },
          enabled: false,
          origins: ['log.example'],
        },
      ],
    };
    const text = formatWatchlist(list);
    expect(text).not.toContain('name: github:acme/widget');
    expect(text).toContain('name: mine');
    expect(text).toContain('enabled: false');
    expect(parseWatchlist(text)).toEqual(list);
  });
});
