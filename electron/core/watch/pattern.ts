// Value patterns for watch rules and expectations: exact text, globs, and anchored regexes
// restricted so that matching stays fast on attacker-chosen certificate values.
import { InputError } from '../errors';
import { regexRequiredLiterals } from './regex-literals';
import type { Pattern } from './types';

/** Longest regex or glob source accepted. */
export const MAX_PATTERN_CHARS = 256;

/**
 * Longest value a regex is run against. Longer values (only a self-made certificate has them:
 * Fulcio SANs are far shorter) never match a regex, so matching time stays bounded.
 */
export const MAX_REGEX_SUBJECT_CHARS = 1024;

/** Most unbounded repetitions (`*`, `+`, `{n,}`, `{n,m}` with m > 32) in one regex. */
export const MAX_REGEX_REPETITIONS = 2;

const REGEX_PREFIX = 'regex:';

/**
 * Reads a pattern as written in a watchlist: `regex:...` is a regex, text containing `*` is a
 * glob, anything else is exact. Syntax only: call `patternProblem` to validate.
 */
export function readPattern(text: string): Pattern {
  if (text.startsWith(REGEX_PREFIX))
    return { syntax: 'regex', source: text.slice(REGEX_PREFIX.length) };
  return { syntax: text.includes('*') ? 'glob' : 'exact', source: text };
}

/** The inverse of `readPattern`. */
export function formatPattern(pattern: Pattern): string {
  return pattern.syntax === 'regex' ? `${REGEX_PREFIX}${pattern.source}` : pattern.source;
}

/** Returns what is wrong with a pattern (lowercase, no path), or undefined when it is usable. */
export function patternProblem(pattern: Pattern): string | undefined {
  if (pattern.source.length === 0) return 'empty pattern';
  if (pattern.syntax === 'exact') return undefined;
  if (pattern.source.length > MAX_PATTERN_CHARS) {
    return `pattern is ${pattern.source.length} characters, want at most ${MAX_PATTERN_CHARS}`;
  }
  if (pattern.syntax === 'glob') {
    if (/\*{3,}/.test(pattern.source)) return 'glob has "***": use "*" or "**"';
    return undefined;
  }
  return regexProblem(pattern.source);
}

/**
 * Compiles a valid pattern (see `patternProblem`) into a predicate over whole values.
 * Throws InputError(WATCHLIST_INVALID) for an invalid one.
 */
export function compilePattern(pattern: Pattern): (value: string) => boolean {
  const problem = patternProblem(pattern);
  if (problem !== undefined) {
    throw new InputError('WATCHLIST_INVALID', `${formatPattern(pattern)}: ${problem}`);
  }
  switch (pattern.syntax) {
    case 'exact':
      return (value) => value === pattern.source;
    case 'glob':
      return compileGlob(pattern.source);
    case 'regex': {
      // Anchored: a watch names whole values, never substrings (rekor-monitor's unanchored
      // regexes matched `evil-acme` for `acme`). `s`: `.` must also cross newlines an attacker
      // puts in a value; `u`: strict syntax.
      const re = new RegExp(`^(?:${pattern.source})$`, 'su');
      return (value) => value.length <= MAX_REGEX_SUBJECT_CHARS && re.test(value);
    }
  }
}

/**
 * Literal runs one of which every value matching `pattern` contains, for the byte prefilter:
 * the text of an exact pattern, the longest literal part of a glob, the literals a regex
 * requires (regexRequiredLiterals: `regex:(foo|bar)\.yml` gives ["foo.yml", "bar.yml"]).
 * Undefined when there are none (an all-wildcard glob, a regex such as `.*` or `a|.*`).
 */
export function requiredLiterals(pattern: Pattern): string[] | undefined {
  if (pattern.syntax === 'exact') return [pattern.source];
  if (pattern.syntax === 'regex') return regexRequiredLiterals(pattern.source);
  const longest = pattern.source
    .split(/\*+/)
    .reduce((best, part) => (part.length > best.length ? part : best), '');
  return longest.length > 0 ? [longest] : undefined;
}

type GlobToken = { readonly literal: string } | 'star' | 'globstar';

function tokenizeGlob(source: string): GlobToken[] {
  return source
    .split(/(\*\*|\*)/)
    .filter((part) => part !== '')
    .map((part) => (part === '**' ? 'globstar' : part === '*' ? 'star' : { literal: part }));
}

/**
 * Glob matcher by dynamic programming over (token, position): O(tokens x length), so no input
 * can make it backtrack. `*` matches any run without `/`; `**` any run at all.
 */
function compileGlob(source: string): (value: string) => boolean {
  const tokens = tokenizeGlob(source);
  return (value) => {
    // reachable[i]: the tokens consumed so far can end at value position i.
    let reachable = new Uint8Array(value.length + 1);
    reachable[0] = 1;
    for (const token of tokens) {
      const next = new Uint8Array(value.length + 1);
      if (typeof token === 'object') {
        for (let i = 0; i <= value.length; i++) {
          if (reachable[i] && value.startsWith(token.literal, i))
            next[i + token.literal.length] = 1;
        }
      } else {
        // A wildcard extends every reachable position rightwards; `*` stops after a `/`.
        for (let i = 0; i <= value.length; i++) {
          const extended =
            i > 0 && next[i - 1] === 1 && (token === 'globstar' || value[i - 1] !== '/');
          next[i] = reachable[i] === 1 || extended ? 1 : 0;
        }
      }
      reachable = next;
    }
    return reachable[value.length] === 1;
  };
}

/**
 * Rejects regexes that do not compile on their own (so wrapping them cannot change their
 * meaning, e.g. `a)|(b`), and the constructs behind catastrophic backtracking: backreferences,
 * lookaround, repeated groups that contain repetition or alternation (`(a+)+`, `(a|ab)*`), and
 * more than MAX_REGEX_REPETITIONS unbounded repetitions.
 */
function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'su');
  } catch (err) {
    return `regex does not compile: ${err instanceof Error ? err.message : String(err)}`;
  }
  const groups: { risky: boolean }[] = [];
  let repetitions = 0;
  let lastGroupRisky = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'regex backreferences are not allowed';
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (c === '[') {
      i = endOfClass(source, i);
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i))) return 'regex lookaround is not allowed';
      groups.push({ risky: false });
      lastGroupRisky = false;
      continue;
    }
    if (c === ')') {
      lastGroupRisky = groups.pop()?.risky ?? false;
      continue;
    }
    if (c === '|') {
      markRisky(groups);
      lastGroupRisky = false;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier === undefined) {
      lastGroupRisky = false;
      continue;
    }
    if (quantifier.unbounded) repetitions++;
    if (quantifier.repeats && lastGroupRisky) {
      return 'regex repeats a group that contains repetition or alternation (catastrophic backtracking)';
    }
    markRisky(groups);
    i = quantifier.end;
    lastGroupRisky = false;
  }
  if (repetitions > MAX_REGEX_REPETITIONS) {
    return `regex has ${repetitions} unbounded repetitions, want at most ${MAX_REGEX_REPETITIONS}`;
  }
  return undefined;
}

function markRisky(groups: { risky: boolean }[]): void {
  for (const g of groups) g.risky = true;
}

/** Index of the `]` closing the class that opens at `start` (the regex compiled, so it exists). */
function endOfClass(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length;
}

/**
 * Reads a quantifier at `i` (including a lazy `?` after it). `repeats`: may match its operand
 * more than once; `unbounded`: effectively without limit.
 */
function readQuantifier(
  source: string,
  i: number,
): { end: number; repeats: boolean; unbounded: boolean } | undefined {
  const c = source[i];
  let end: number;
  let repeats: boolean;
  let unbounded: boolean;
  if (c === '*' || c === '+') {
    end = i;
    repeats = true;
    unbounded = true;
  } else if (c === '?') {
    end = i;
    repeats = false;
    unbounded = false;
  } else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    end = i + m[0].length - 1;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    repeats = max > 1;
    unbounded = max > 32;
  } else {
    return undefined;
  }
  if (source[end + 1] === '?') end++;
  return { end, repeats, unbounded };
}
