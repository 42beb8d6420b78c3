import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  formatPattern,
  MAX_REGEX_SUBJECT_CHARS,
  patternProblem,
  readPattern,
  requiredLiterals,
} from '../../../../electron/core/watch/pattern';

describe('readPattern', () => {
  it.each([
    { text: 'refs/heads/main', want: { syntax: 'exact', source: 'refs/heads/main' } },
    { text: 'refs/tags/v*', want: { syntax: 'glob', source: 'refs/tags/v*' } },
    { text: 'regex:a.*b', want: { syntax: 'regex', source: 'a.*b' } },
    { text: 'regex:', want: { syntax: 'regex', source: '' } },
  ])('reads $text as $want.syntax', ({ text, want }) => {
    expect(readPattern(text)).toEqual(want);
    expect(formatPattern(readPattern(text))).toBe(text);
  });
});

describe('compilePattern', () => {
  it.each([
    { desc: 'exact matches itself only', p: 'a/b', value: 'a/b', want: true },
    { desc: 'exact is case-sensitive', p: 'a/b', value: 'A/b', want: false },
    { desc: 'exact is not a prefix match', p: 'a/b', value: 'a/bc', want: false },
    {
      desc: '* matches within a segment',
      p: 'refs/tags/v*',
      value: 'refs/tags/v1.2.3',
      want: true,
    },
    { desc: '* matches the empty run', p: 'refs/tags/v*', value: 'refs/tags/v', want: true },
    { desc: '* never crosses /', p: 'refs/tags/v*', value: 'refs/tags/v1/evil', want: false },
    { desc: '** crosses /', p: 'refs/heads/**', value: 'refs/heads/feature/x', want: true },
    { desc: 'glob is anchored at the start', p: 'tags/v*', value: 'refs/tags/v1', want: false },
    {
      desc: 'glob is anchored at the end',
      p: 'refs/*/main',
      value: 'refs/heads/main2',
      want: false,
    },
    { desc: 'glob dots are literal', p: '*.yml', value: 'release.yml', want: true },
    { desc: 'glob dots are not wildcards', p: '*.yml', value: 'releaseXyml', want: false },
    { desc: 'several stars backtrack correctly', p: 'a*b*c', value: 'axxbxxbyc', want: true },
    { desc: 'regex is anchored at both ends', p: 'regex:acme', value: 'evil-acme-x', want: false },
    { desc: 'regex matches the whole value', p: 'regex:ac.e', value: 'acme', want: true },
    { desc: 'regex alternation stays anchored', p: 'regex:a|b', value: 'xa', want: false },
    { desc: 'regex . crosses newlines', p: 'regex:a.*b', value: 'a\nb', want: true },
  ])('$desc', ({ p, value, want }) => {
    expect(compilePattern(readPattern(p))(value)).toBe(want);
  });

  it('never matches a regex against a value longer than the limit', () => {
    const match = compilePattern(readPattern('regex:a+'));
    expect(match('a'.repeat(MAX_REGEX_SUBJECT_CHARS))).toBe(true);
    expect(match('a'.repeat(MAX_REGEX_SUBJECT_CHARS + 1))).toBe(false);
  });

  it('matches a many-wildcard glob against a long adversarial value without backtracking', () => {
    const match = compilePattern(readPattern('**a**a**a**a**a**a**b'));
    expect(match('a'.repeat(20_000))).toBe(false);
  });

  it('throws WATCHLIST_INVALID for an invalid pattern', () => {
    expect(() => compilePattern(readPattern('regex:(a+)+'))).toThrowCode('WATCHLIST_INVALID');
  });
});

describe('patternProblem', () => {
  it.each([
    { desc: 'empty exact', p: '', want: /empty/ },
    { desc: 'empty regex', p: 'regex:', want: /empty/ },
    { desc: 'unbalanced group (unanchorable)', p: 'regex:a)|(b', want: /does not compile/ },
    { desc: 'trailing backslash', p: 'regex:a\\', want: /does not compile/ },
    { desc: 'RE2-only inline flags', p: 'regex:(?i)acme', want: /does not compile/ },
    { desc: 'backreference', p: 'regex:(a)\\1', want: /backreferences/ },
    { desc: 'named backreference', p: 'regex:(?<x>a)\\k<x>', want: /backreferences/ },
    { desc: 'lookahead', p: 'regex:(?=a)a', want: /lookaround/ },
    { desc: 'lookbehind', p: 'regex:(?<!a)b', want: /lookaround/ },
    { desc: 'nested quantifier', p: 'regex:(a+)+', want: /catastrophic/ },
    { desc: 'nested quantifier deeper', p: 'regex:((ab)*c)+', want: /catastrophic/ },
    { desc: 'repeated alternation', p: 'regex:(a|ab)*', want: /catastrophic/ },
    { desc: 'repeated group with {n,}', p: 'regex:(a*){2,}', want: /catastrophic/ },
    { desc: 'too many unbounded repetitions', p: 'regex:.*a.*b.*', want: /3 unbounded/ },
    { desc: 'large bounded repetition counts', p: 'regex:a{1,100}b*c+', want: /3 unbounded/ },
    { desc: 'too long', p: `regex:${'a'.repeat(257)}`, want: /at most 256/ },
    { desc: 'glob ***', p: 'a***', want: /\*\*\*/ },
  ])('rejects $desc', ({ p, want }) => {
    expect(patternProblem(readPattern(p))).toMatch(want);
  });

  it.each([
    'refs/tags/v*',
    'refs/heads/**',
    'regex:https://github\\.com/acme/[a-z-]+/\\.github/workflows/release\\.yml@refs/tags/v.*',
    'regex:(ab)+c',
    'regex:(a|b)?c',
    'regex:[(+*|)]+x',
    'regex:\\(a+\\)+',
    'regex:a{2,3}b{1,32}',
    'regex:(?:foo|bar)/baz',
  ])('accepts %s', (p) => {
    expect(patternProblem(readPattern(p))).toBeUndefined();
  });
});

describe('requiredLiterals', () => {
  it.each([
    { p: 'a@b.example', want: ['a@b.example'] },
    { p: 'https://github.com/*/x/**@refs/tags/*', want: ['https://github.com/'] },
    { p: '**', want: undefined },
    { p: 'regex:abc', want: ['abc'] },
    { p: 'regex:https://github\\.com/[^/]+/x', want: ['https://github.com/'] },
    { p: 'regex:(?:foo|bar)/baz', want: ['foo/baz', 'bar/baz'] },
    { p: 'regex:a.*', want: ['a'] },
    { p: 'regex:.*', want: undefined },
  ])('returns $want for $p', ({ p, want }) => {
    expect(requiredLiterals(readPattern(p))).toEqual(want);
  });
});
