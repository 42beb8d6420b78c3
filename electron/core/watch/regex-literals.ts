// The literal text every match of a watch regex must contain, for the byte prefilter. Reads the
// ECMAScript pattern grammar (ECMA-262 §22.2.1, with the `u` flag Vigil compiles under) and
// gives up, answering "no literal", on anything it does not model: a missed needle only costs
// speed, a wrong one would hide a match.

/** Most strings an exact or required set may hold before the analysis stops tracking it. */
const MAX_SET_SIZE = 16;

/** Most repetitions of an atom spelled out (`a{100}` is known to contain `a{8}`). */
const MAX_SPELLED_REPEATS = 8;

/**
 * What is known about the strings a piece of a regex matches. `exact`: all of them, when there
 * are few. `required`: strings, all non-empty, one of which every match contains.
 */
interface Info {
  readonly exact?: readonly string[];
  readonly required?: readonly string[];
}

/** Matches strings of which nothing is known (any length, the empty one included). */
const UNKNOWN: Info = {};
/** Matches only the empty string: an assertion (`^`, `$`, `\b`), an empty group. */
const EMPTY: Info = { exact: [''] };

/** Thrown inside the parser for a construct it does not model; never escapes this module. */
class Unsupported extends Error {}

/**
 * Strings, each non-empty, one of which every string matching `source` as a whole (compiled
 * with the `su` flags, as compilePattern does) contains, case-sensitively; undefined when no
 * such set of at most MAX_SET_SIZE strings is found. Prefers the set whose shortest string is
 * longest: `https://github\.com/[^/]+/x` gives ["https://github.com/"], `(foo|bar)-[0-9]+`
 * gives ["foo-", "bar-"], `a|.*` gives undefined. Requires nothing of `source`: one that does
 * not compile, or uses backreferences or lookaround (which watchlist validation rejects),
 * gives undefined.
 */
export function regexRequiredLiterals(source: string): string[] | undefined {
  try {
    new RegExp(source, 'su');
  } catch {
    return undefined;
  }
  try {
    const parser = new Parser(source);
    const info = parser.disjunction();
    if (!parser.atEnd()) return undefined;
    const required = requiredOf(info);
    return required === undefined ? undefined : [...required];
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** The required set a node guarantees, from its exact set when it has one. */
function requiredOf(info: Info): readonly string[] | undefined {
  if (info.exact !== undefined) return info.exact.includes('') ? undefined : info.exact;
  return info.required;
}

/** Is required set `a` a better needle set than `b`: a longer shortest string, then fewer? */
function better(a: readonly string[], b: readonly string[] | undefined): boolean {
  if (b === undefined) return true;
  const shortestA = Math.min(...a.map((s) => s.length));
  const shortestB = Math.min(...b.map((s) => s.length));
  return shortestA !== shortestB ? shortestA > shortestB : a.length < b.length;
}

/** Every concatenation of a string of `a` and one of `b`; undefined past MAX_SET_SIZE. */
function product(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length * b.length > MAX_SET_SIZE) return undefined;
  return [...new Set(a.flatMap((x) => b.map((y) => x + y)))];
}

/** Union of sets; undefined past MAX_SET_SIZE. */
function union(sets: readonly (readonly string[])[]): string[] | undefined {
  const all = [...new Set(sets.flat())];
  return all.length > MAX_SET_SIZE ? undefined : all;
}

/**
 * A sequence of terms. Runs of exact terms are multiplied out (`a\.b` is exactly "a.b"); a
 * run, or a term's own required set, is contained in every match of the sequence, so the best
 * of them is the sequence's required set.
 */
function sequence(terms: readonly Info[]): Info {
  let run: readonly string[] = [''];
  let exact = true;
  let best: readonly string[] | undefined;
  const consider = (set: readonly string[] | undefined) => {
    if (set !== undefined && !set.includes('') && better(set, best)) best = set;
  };
  for (const term of terms) {
    const joined = term.exact && product(run, term.exact);
    if (joined !== undefined) {
      run = joined;
      continue;
    }
    consider(run);
    exact = false;
    if (term.exact !== undefined) {
      run = term.exact;
    } else {
      consider(term.required);
      run = [''];
    }
  }
  if (exact) return { exact: run };
  consider(run);
  return best === undefined ? UNKNOWN : { required: best };
}

/**
 * Alternatives. Every match matches one of them, so it contains a string of that one's
 * required set: the union of all of them is required, if every alternative has one.
 */
function alternation(alternatives: readonly Info[]): Info {
  if (alternatives.length === 1) return alternatives[0]!;
  const exacts = alternatives.map((a) => a.exact);
  if (exacts.every((e) => e !== undefined)) {
    const exact = union(exacts);
    if (exact !== undefined) return { exact };
  }
  const required = alternatives.map(requiredOf);
  if (!required.every((r) => r !== undefined)) return UNKNOWN;
  const all = union(required);
  return all === undefined ? UNKNOWN : { required: all };
}

/**
 * `atom{min,max}` as terms of the enclosing sequence. Spelled out when small (`a{2,3}` is
 * exactly "aa" or "aaa"); otherwise a match is `min` matches of the atom and then more, so the
 * first min(min, MAX_SPELLED_REPEATS) copies stay exact and the rest is unknown.
 */
function repeat(atom: Info, min: number, max: number): Info[] {
  if (atom.exact !== undefined && max <= MAX_SPELLED_REPEATS) {
    const powers: (readonly string[] | undefined)[] = [];
    for (let n = min; n <= max; n++) powers.push(power(atom.exact, n));
    const exact = powers.every((p) => p !== undefined) ? union(powers) : undefined;
    if (exact !== undefined) return [{ exact }];
  }
  if (min === 0) return [UNKNOWN];
  const prefix = atom.exact && power(atom.exact, Math.min(min, MAX_SPELLED_REPEATS));
  if (prefix !== undefined) return [{ exact: prefix }, UNKNOWN];
  const required = requiredOf(atom);
  return [required === undefined ? UNKNOWN : { required }];
}

/** Every concatenation of `n` strings of `set`; undefined past MAX_SET_SIZE. */
function power(set: readonly string[], n: number): readonly string[] | undefined {
  let result: readonly string[] | undefined = [''];
  for (let i = 0; i < n && result !== undefined; i++) result = product(result, set);
  return result;
}

/** Characters that stand for themselves after a backslash, in and out of classes (`u` flag). */
const SYNTAX_CHARACTERS = '^$\\.*+?()[]{}|/';

/** Control escapes and what they stand for. */
const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
};

/** Most characters a class may stand for and still count as an exact set. */
const MAX_CLASS_CHARS = 4;

/** Recursive descent over the pattern grammar, computing Info bottom-up. */
class Parser {
  #i = 0;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  atEnd(): boolean {
    return this.#i >= this.#source.length;
  }

  /** Disjunction :: Alternative ( `|` Alternative )* */
  disjunction(): Info {
    const alternatives = [this.#alternative()];
    while (this.#peek() === '|') {
      this.#i++;
      alternatives.push(this.#alternative());
    }
    return alternation(alternatives);
  }

  /** Alternative :: Term*, up to `|`, `)` or the end. */
  #alternative(): Info {
    const terms: Info[] = [];
    while (!this.atEnd() && this.#peek() !== '|' && this.#peek() !== ')') {
      const atom = this.#atom();
      const quantifier = this.#quantifier();
      if (quantifier === undefined) terms.push(atom);
      else terms.push(...repeat(atom, quantifier.min, quantifier.max));
    }
    return sequence(terms);
  }

  /** Atom or assertion. */
  #atom(): Info {
    const c = this.#peek()!;
    switch (c) {
      case '^':
      case '$':
        this.#i++;
        return EMPTY;
      case '.':
        this.#i++;
        return UNKNOWN;
      case '[':
        return this.#characterClass();
      case '(':
        return this.#group();
      case '\\':
        return this.#atomEscape();
      default: {
        // One code point: under `u` a quantifier repeats a whole astral character.
        const char = String.fromCodePoint(this.#source.codePointAt(this.#i)!);
        this.#i += char.length;
        return { exact: [char] };
      }
    }
  }

  /** `(` Disjunction `)`, `(?:` … `)` or `(?<name>` … `)`; lookaround is not modelled. */
  #group(): Info {
    this.#i++;
    if (this.#source.startsWith('?:', this.#i)) {
      this.#i += 2;
    } else if (/^\?<[^=!]/.test(this.#source.slice(this.#i))) {
      this.#i = this.#source.indexOf('>', this.#i) + 1;
    } else if (this.#peek() === '?') {
      throw new Unsupported();
    }
    const inner = this.disjunction();
    if (this.#peek() !== ')') throw new Unsupported();
    this.#i++;
    return inner;
  }

  /** `\` AtomEscape outside a class. */
  #atomEscape(): Info {
    const c = this.#source[this.#i + 1] ?? '';
    this.#i += 2;
    if ('dDwWsS'.includes(c)) return UNKNOWN;
    if (c === 'b' || c === 'B') return EMPTY;
    if (c === 'p' || c === 'P') {
      this.#i = this.#source.indexOf('}', this.#i) + 1;
      if (this.#i === 0) throw new Unsupported();
      return UNKNOWN;
    }
    return { exact: [this.#characterEscape(c)] };
  }

  /**
   * The character a CharacterEscape stands for, `c` being the letter after the backslash
   * (already consumed, as is everything up to here). Surrogate escapes are not modelled: under
   * `u` a pair of them is one character, which a quantifier repeats whole.
   */
  #characterEscape(c: string): string {
    if (SYNTAX_CHARACTERS.includes(c)) return c;
    if (Object.hasOwn(CONTROL_ESCAPES, c)) return CONTROL_ESCAPES[c]!;
    if (c === '0' && !/[0-9]/.test(this.#peek() ?? '')) return '\0';
    if (c === 'c' && /[A-Za-z]/.test(this.#peek() ?? '')) {
      return String.fromCharCode(this.#source.charCodeAt(this.#i++) % 32);
    }
    let hex: RegExpExecArray | null = null;
    if (c === 'x') hex = /^[0-9A-Fa-f]{2}/.exec(this.#source.slice(this.#i));
    else if (c === 'u')
      hex = /^(?:[0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\})/.exec(this.#source.slice(this.#i));
    if (hex === null) throw new Unsupported();
    this.#i += hex[0].length;
    const codePoint = Number.parseInt(hex[0].replace(/[{}]/g, ''), 16);
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) throw new Unsupported();
    return String.fromCodePoint(codePoint);
  }

  /**
   * A class is exact when it lists at most MAX_CLASS_CHARS characters, single or in ranges,
   * unnegated and without escapes other than syntax characters and `-` (`[.]`, `[Aa]`, `[a-c]`).
   * Any other class matches one unknown character.
   */
  #characterClass(): Info {
    const end = endOfClass(this.#source, this.#i);
    const body = this.#source.slice(this.#i + 1, end);
    this.#i = end + 1;
    const chars = classChars(body);
    return chars === undefined ? UNKNOWN : { exact: chars };
  }

  /** Quantifier at the cursor (a lazy `?` after it changes nothing matched), if any. */
  #quantifier(): { min: number; max: number } | undefined {
    const c = this.#peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.#i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#source.slice(this.#i));
      if (m === null) throw new Unsupported();
      this.#i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else {
      return undefined;
    }
    if (this.#peek() === '?') this.#i++;
    return { min, max };
  }

  #peek(): string | undefined {
    return this.#source[this.#i];
  }
}

/** Index of the `]` closing the class that opens at `start` (the regex compiled, so it exists). */
function endOfClass(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  throw new Unsupported();
}

/** The characters of a class body (between the brackets), when Parser.#characterClass allows. */
function classChars(body: string): string[] | undefined {
  if (body === '' || body.startsWith('^')) return undefined;
  const singles: string[] = [];
  for (let i = 0; i < body.length;) {
    const c = String.fromCodePoint(body.codePointAt(i)!);
    if (c === '\\') {
      const escaped = body[i + 1] ?? '';
      if (!SYNTAX_CHARACTERS.includes(escaped) && escaped !== '-') return undefined;
      singles.push(escaped);
      i += 2;
    } else {
      singles.push(c);
      i += c.length;
    }
    // A range: the previous single, an unescaped `-`, and a next character that is not `]`.
    if (body[i] === '-' && i + 1 < body.length) {
      const next = String.fromCodePoint(body.codePointAt(i + 1)!);
      if (next === '\\') return undefined;
      const from = singles.pop()!.codePointAt(0)!;
      const to = next.codePointAt(0)!;
      if (to - from + 1 > MAX_CLASS_CHARS) return undefined;
      for (let cp = from; cp <= to; cp++) singles.push(String.fromCodePoint(cp));
      i += 1 + next.length;
    }
    if (singles.length > MAX_CLASS_CHARS) return undefined;
  }
  return [...new Set(singles)];
}
