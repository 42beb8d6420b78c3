import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPrefilter } from '../../../../electron/core/identity/prefilter';
import { regexRequiredLiterals } from '../../../../electron/core/watch/regex-literals';

describe('regexRequiredLiterals', () => {
  it.each([
    { desc: 'a plain literal', source: 'abc', want: ['abc'] },
    { desc: 'an escaped dot', source: 'github\\.com', want: ['github.com'] },
    { desc: 'the longest run around a wildcard', source: 'a.bcd', want: ['bcd'] },
    { desc: 'the first run on a tie', source: 'ab.cd', want: ['ab'] },
    {
      desc: 'a literal inside a class run',
      source: 'x[^/]+/release\\.yml',
      want: ['/release.yml'],
    },
    { desc: 'each branch of an alternation', source: '(foo|bar)-[0-9]+', want: ['foo-', 'bar-'] },
    { desc: 'branches with their own wildcards', source: 'ab.c|d.ef', want: ['ab', 'ef'] },
    { desc: 'an optional part as two strings', source: 'xa?y', want: ['xy', 'xay'] },
    { desc: 'one copy of a repeated atom', source: 'ab+c', want: ['ab'] },
    { desc: 'a spelled-out count', source: 'a{2,3}', want: ['aa', 'aaa'] },
    { desc: 'at most 8 copies of a long count', source: 'x{20}', want: ['x'.repeat(8)] },
    { desc: 'a one-character class', source: 'github[.]com', want: ['github.com'] },
    { desc: 'a small class as each character', source: '[Aa]cme', want: ['Acme', 'acme'] },
    { desc: 'a small range', source: 'v[1-3]\\.', want: ['v1.', 'v2.', 'v3.'] },
    { desc: 'hex and unicode escapes', source: '\\x41\\u0042\\u{43}', want: ['ABC'] },
    { desc: 'control escapes', source: 'a\\tb\\nc', want: ['a\tb\nc'] },
    { desc: 'anchors and word boundaries as nothing', source: '^ab\\bc$', want: ['abc'] },
    { desc: 'a named group', source: '(?<repo>[a-z]+)/widget', want: ['/widget'] },
    { desc: 'an astral character repeated whole', source: '😀{2}', want: ['😀😀'] },
    { desc: 'the longer run after a lazy quantifier', source: 'a+?bc', want: ['bc'] },
    { desc: 'an escaped slash', source: 'refs\\/tags', want: ['refs/tags'] },
  ])('returns $want for $desc', ({ source, want }) => {
    expect(regexRequiredLiterals(source)).toEqual(want);
  });

  it('stops multiplying out a run at 16 strings', () => {
    const literals = regexRequiredLiterals('[ab][ab][ab][ab][ab]');
    expect(literals).toHaveLength(16);
    expect(new Set(literals!.map((l) => l.length))).toEqual(new Set([4]));
  });

  it.each([
    { desc: 'any value', source: '.*' },
    { desc: 'an optional literal', source: 'a?' },
    { desc: 'a branch without a literal', source: 'abc|.*' },
    { desc: 'an empty branch', source: 'abc|' },
    { desc: 'only classes', source: '[a-z]+\\d' },
    { desc: 'a large class', source: '[a-e]' },
    { desc: 'a negated class', source: '[^a]' },
    { desc: 'a class with a range from an escaped character', source: '[\\\\-a]' },
    { desc: 'a class escape in a class', source: '[\\d]' },
    { desc: 'a zero count', source: 'a{0}' },
    { desc: 'branches with too many strings', source: '[ab][ab][ab][ab]|[cd][cd][cd][cd]' },
    { desc: 'a surrogate escape', source: '\\uD83D\\uDE00' },
    { desc: 'a backreference', source: '(a)\\1' },
    { desc: 'a lookahead', source: '(?=a)a' },
    { desc: 'a lookbehind', source: '(?<=a)b' },
    { desc: 'a regex that does not compile', source: 'a)' },
    { desc: 'an empty regex', source: '' },
  ])('returns undefined for $desc', ({ source }) => {
    expect(regexRequiredLiterals(source)).toBeUndefined();
  });
});

// Property: random regexes from a small grammar, and strings generated from each regex's own
// structure (so they match it), must always contain one of its literals and pass the prefilter
// built from them. The grammar covers what the analysis models: escapes, classes, groups,
// alternation, every quantifier form (lazy too), anchors.

type Node =
  | { readonly kind: 'char'; readonly char: string; readonly source: string }
  | { readonly kind: 'set'; readonly source: string; readonly chars: readonly string[] }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly items: readonly Node[] }
  | { readonly kind: 'group'; readonly body: Node; readonly capture: boolean }
  | {
      readonly kind: 'rep';
      readonly body: Node;
      readonly min: number;
      readonly max: number;
      readonly lazy: boolean;
    };

/** Characters and ways to write each one. */
const CHARS: readonly { char: string; sources: readonly string[] }[] = [
  { char: 'a', sources: ['a', '\\x61', '\\u0061', '\\u{61}', '[a]'] },
  { char: 'b', sources: ['b'] },
  { char: 'A', sources: ['A', '\\x41'] },
  { char: '.', sources: ['\\.', '[.]', '\\x2e'] },
  { char: '/', sources: ['/', '\\/'] },
  { char: '-', sources: ['-', '[-]'] },
  { char: '$', sources: ['\\$'] },
  { char: '\n', sources: ['\\n'] },
  { char: 'é', sources: ['é', '\\u00e9'] },
  { char: '😀', sources: ['😀', '\\u{1F600}'] },
];

/** Sets of characters: what each matches, as far as generated strings go. */
const SETS: readonly { source: string; chars: readonly string[] }[] = [
  { source: '.', chars: ['x', '/', '\n', '😀', 'a'] },
  { source: '[a-c]', chars: ['a', 'b', 'c'] },
  { source: '[Aa]', chars: ['A', 'a'] },
  { source: '[.-]', chars: ['.', '-'] },
  { source: '[^/]', chars: ['a', '.', 'é'] },
  { source: '[\\\\-a]', chars: ['\\', ']', '^', 'a'] },
  { source: '[😀x]', chars: ['😀', 'x'] },
  { source: '\\d', chars: ['0', '7'] },
  { source: '\\w', chars: ['a', '_', 'Z'] },
  { source: '\\s', chars: [' ', '\n'] },
  { source: '\\p{L}', chars: ['a', 'é'] },
];

const nodeArb = fc.letrec<{ node: Node; leaf: Node }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'regex' },
    tie('leaf'),
    fc
      .array(tie('node'), { minLength: 0, maxLength: 4 })
      .map((items): Node => ({ kind: 'seq', items })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((items): Node => ({ kind: 'alt', items })),
    fc
      .record({ body: tie('node'), capture: fc.boolean() })
      .map(({ body, capture }): Node => ({ kind: 'group', body, capture })),
    fc
      .record({
        body: tie('node'),
        min: fc.nat(3),
        extra: fc.oneof(fc.nat(3), fc.constant(Infinity)),
        lazy: fc.boolean(),
      })
      .map(({ body, min, extra, lazy }): Node => ({
        kind: 'rep',
        body,
        min,
        max: min + extra,
        lazy,
      })),
  ),
  leaf: fc.oneof(
    fc.record({ i: fc.nat(CHARS.length - 1), form: fc.nat() }).map(({ i, form }): Node => {
      const { char, sources } = CHARS[i]!;
      return { kind: 'char', char, source: sources[form % sources.length]! };
    }),
    fc.nat(SETS.length - 1).map((i): Node => ({ kind: 'set', ...SETS[i]! })),
  ),
}));

/** The regex source of a node; `atom`: it will carry a quantifier, so must be one atom. */
function render(node: Node, atom = false): string {
  switch (node.kind) {
    case 'char':
    case 'set':
      return node.source;
    case 'group':
      return `(${node.capture ? '' : '?:'}${render(node.body)})`;
    case 'seq': {
      const text = node.items.map((item) =>
        item.kind === 'alt' ? `(?:${render(item)})` : render(item),
      );
      return atom ? `(?:${text.join('')})` : text.join('');
    }
    case 'alt':
      return atom
        ? `(?:${node.items.map((i) => render(i)).join('|')})`
        : node.items.map((i) => render(i)).join('|');
    case 'rep': {
      const { min, max } = node;
      const quantifier =
        max === Infinity
          ? min === 0
            ? '*'
            : min === 1
              ? '+'
              : `{${min},}`
          : min === 0 && max === 1
            ? '?'
            : min === max
              ? `{${min}}`
              : `{${min},${max}}`;
      const body = node.body.kind === 'rep' ? `(?:${render(node.body)})` : render(node.body, true);
      const text = `${body}${quantifier}${node.lazy ? '?' : ''}`;
      return atom ? `(?:${text})` : text;
    }
  }
}

/** A string the node matches, choosing with `next` (a source of random integers). */
function sample(node: Node, next: () => number): string {
  switch (node.kind) {
    case 'char':
      return node.char;
    case 'set':
      return node.chars[next() % node.chars.length]!;
    case 'seq':
      return node.items.map((item) => sample(item, next)).join('');
    case 'alt':
      return sample(node.items[next() % node.items.length]!, next);
    case 'group':
      return sample(node.body, next);
    case 'rep': {
      const count = node.min + (next() % (Math.min(node.max, node.min + 3) - node.min + 1));
      return Array.from({ length: count }, () => sample(node.body, next)).join('');
    }
  }
}

describe('regexRequiredLiterals on generated regexes', () => {
  it('never misses a literal of a string the regex matches, and finds some often', () => {
    let withLiterals = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        nodeArb.node,
        fc.boolean(),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        (node, caret, dollar, stream) => {
          runs++;
          const source = `${caret ? '^' : ''}${render(node)}${dollar ? '$' : ''}`;
          const literals = regexRequiredLiterals(source);
          const regex = new RegExp(`^(?:${source})$`, 'su');
          const prefilter = literals === undefined ? undefined : createPrefilter(literals);
          if (literals !== undefined) {
            withLiterals++;
            expect(literals.every((l) => l.length > 0)).toBe(true);
          }
          for (let n = 0; n < 4; n++) {
            const value = sample(node, () => stream.next().value);
            expect(regex.test(value), `${source} should match ${JSON.stringify(value)}`).toBe(true);
            if (literals === undefined) continue;
            expect(
              literals.some((l) => value.includes(l)),
              `${source}: ${literals}`,
            ).toBe(true);
            expect(prefilter!(Buffer.from(value, 'utf8'))).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(withLiterals).toBeGreaterThan(runs / 4);
  });
});
