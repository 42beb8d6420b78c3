// The watchlist file (YAML or JSON, `version: 1`): strict parsing with path-qualified messages,
// and its inverse. The format is documented in the README ("Watchlist").
import { parseDocument, stringify } from 'yaml';
import { InputError } from '../errors';
import { GITHUB_ACTIONS_ISSUER } from './ci-identity';
import { formatPattern, patternProblem, readPattern } from './pattern';
import type { Pattern, Watch, WatchExpectation, WatchKind, WatchRule, Watchlist } from './types';

/** Thrown for an unusable watchlist; `issues` lists every problem, each prefixed by its path. */
export class WatchlistError extends InputError {
  constructor(readonly issues: readonly string[]) {
    super('WATCHLIST_INVALID', issues.join('; '));
  }
}

export const WATCH_KINDS: readonly WatchKind[] = ['github', 'gitlab', 'email', 'san', 'oid', 'key'];

/** Options that belong to one kind only. */
const KIND_OPTIONS: Readonly<Record<string, WatchKind>> = {
  issuers: 'email',
  issuer: 'san',
  value: 'oid',
};
const COMMON_FIELDS = ['name', 'enabled', 'origins', 'expect'];
const EXPECT_FIELDS = ['workflows', 'refs', 'triggers'];
const FULCIO_ARC = '1.3.6.1.4.1.57264.1.';
const MAX_NAME_CHARS = 200;

const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const GITLAB_PROJECT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DOTTED_OID = /^(?:0|[1-9]\d{0,15})(?:\.(?:0|[1-9]\d{0,15}))+$/;
const SPKI_SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const TRIGGER = /^[a-z][a-z0-9_]*$/;

/**
 * Parses and validates a watchlist file. `format` defaults to YAML (which also reads JSON);
 * `json` additionally requires strict JSON. Throws WatchlistError (WATCHLIST_INVALID) listing
 * every problem as `watches[2].expect.refs[0]: ...`. Validation only: nothing is compiled.
 */
export function parseWatchlist(text: string, format: 'yaml' | 'json' = 'yaml'): Watchlist {
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new WatchlistError([`json: ${err instanceof Error ? err.message : String(err)}`]);
    }
  }
  return validateWatchlist(parseYaml(text));
}

/** Parses YAML strictly (duplicate keys are errors); wraps every failure in WatchlistError. */
export function parseYaml(text: string): unknown {
  try {
    const doc = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new WatchlistError(doc.errors.map((e) => `yaml: ${firstLine(e.message)}`));
    }
    // maxAliasCount bounds alias expansion ("billion laughs").
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof WatchlistError) throw err;
    throw new WatchlistError([
      `yaml: ${err instanceof Error ? firstLine(err.message) : String(err)}`,
    ]);
  }
}

/** Validates an already-decoded watchlist value (e.g. from IPC). Same errors as parseWatchlist. */
export function validateWatchlist(value: unknown): Watchlist {
  const issues: string[] = [];
  const valid: { index: number; watch: Watch }[] = [];
  if (!isRecord(value))
    throw new WatchlistError([`watchlist: want a mapping, got ${typeName(value)}`]);
  unknownFields(value, ['version', 'watches'], '', issues);
  if (!Object.hasOwn(value, 'version')) issues.push('version: missing, want 1');
  else if (value.version !== 1) issues.push(`version: want 1, got ${show(value.version)}`);
  if (!Object.hasOwn(value, 'watches')) issues.push('watches: missing, want a list');
  else if (!Array.isArray(value.watches)) {
    issues.push(`watches: want a list, got ${typeName(value.watches)}`);
  } else {
    value.watches.forEach((item, index) => {
      const watch = validateWatch(item, `watches[${index}]`, issues);
      if (watch) valid.push({ index, watch });
    });
  }
  checkUniqueNames(valid, issues);
  if (issues.length > 0) throw new WatchlistError(issues);
  return { version: 1, watches: valid.map((v) => v.watch) };
}

/** The name a watch gets when the file gives none, e.g. `github:acme/widget`. */
export function deriveWatchName(rule: WatchRule): string {
  switch (rule.kind) {
    case 'github':
      return `github:${rule.repository}`;
    case 'gitlab':
      return `gitlab:${rule.project}`;
    case 'email':
      return `email:${rule.address}`;
    case 'san':
      return `san:${formatPattern(rule.pattern)}`;
    case 'oid':
      return `oid:${rule.oid}=${rule.value}`;
    case 'key':
      return `key:${rule.spkiSha256Hex}`;
  }
}

/**
 * The inverse of parseWatchlist: `parseWatchlist(formatWatchlist(w, f), f)` equals `w`. Omits
 * derived names and `enabled: true`.
 */
export function formatWatchlist(watchlist: Watchlist, format: 'yaml' | 'json' = 'yaml'): string {
  const plain = { version: watchlist.version, watches: watchlist.watches.map(toPlainWatch) };
  return format === 'json'
    ? `${JSON.stringify(plain, null, 2)}\n`
    : stringify(plain, { lineWidth: 0 });
}

function toPlainWatch(watch: Watch): Record<string, unknown> {
  const rule = watch.rule;
  const out: Record<string, unknown> = {};
  switch (rule.kind) {
    case 'github':
      out.github = rule.repository;
      break;
    case 'gitlab':
      out.gitlab = rule.project;
      break;
    case 'email':
      out.email = rule.address;
      if (rule.issuers) out.issuers = [...rule.issuers];
      break;
    case 'san':
      out.san = formatPattern(rule.pattern);
      if (rule.issuer) out.issuer = formatPattern(rule.issuer);
      break;
    case 'oid':
      out.oid = rule.oid;
      out.value = rule.value;
      break;
    case 'key':
      out.key = rule.spkiSha256Hex;
      break;
  }
  if (watch.name !== deriveWatchName(rule)) out.name = watch.name;
  if (watch.expect) {
    const expect: Record<string, unknown> = {};
    if (watch.expect.workflows) expect.workflows = watch.expect.workflows.map(formatPattern);
    if (watch.expect.refs) expect.refs = watch.expect.refs.map(formatPattern);
    if (watch.expect.triggers) expect.triggers = [...watch.expect.triggers];
    out.expect = expect;
  }
  if (!watch.enabled) out.enabled = false;
  if (watch.origins) out.origins = [...watch.origins];
  return out;
}

function validateWatch(item: unknown, path: string, issues: string[]): Watch | undefined {
  if (!isRecord(item)) {
    issues.push(`${path}: want a mapping, got ${typeName(item)}`);
    return undefined;
  }
  const kinds = WATCH_KINDS.filter((k) => Object.hasOwn(item, k));
  unknownFields(
    item,
    [...WATCH_KINDS, ...COMMON_FIELDS, ...Object.keys(KIND_OPTIONS)],
    path,
    issues,
  );
  if (kinds.length !== 1) {
    issues.push(
      kinds.length === 0
        ? `${path}: missing the watch kind, want one of ${WATCH_KINDS.join(', ')}`
        : `${path}: has ${kinds.join(' and ')}, want exactly one watch kind per watch`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  for (const [option, owner] of Object.entries(KIND_OPTIONS)) {
    if (Object.hasOwn(item, option) && owner !== kind) {
      issues.push(`${path}.${option}: only allowed with ${owner}, this is a ${kind} watch`);
    }
  }
  const before = issues.length;
  const rule = validateRule(kind, item, path, issues);
  const expect = Object.hasOwn(item, 'expect')
    ? validateExpect(kind, item.expect, `${path}.expect`, issues)
    : undefined;
  const enabled = Object.hasOwn(item, 'enabled') ? item.enabled : true;
  if (typeof enabled !== 'boolean')
    issues.push(`${path}.enabled: want true or false, got ${show(enabled)}`);
  const origins = Object.hasOwn(item, 'origins')
    ? stringList(item.origins, `${path}.origins`, issues)
    : undefined;
  let name = rule ? deriveWatchName(rule) : '';
  if (Object.hasOwn(item, 'name')) {
    const given = item.name;
    if (typeof given !== 'string' || given.trim() === '') {
      issues.push(`${path}.name: want a non-empty string, got ${show(given)}`);
    } else if (given.length > MAX_NAME_CHARS || hasControlCharacter(given)) {
      issues.push(`${path}.name: want at most ${MAX_NAME_CHARS} printable characters`);
    } else {
      name = given;
    }
  }
  if (issues.length > before || !rule) return undefined;
  return {
    name,
    rule,
    ...(expect ? { expect } : {}),
    enabled: enabled as boolean,
    ...(origins ? { origins } : {}),
  };
}

function validateRule(
  kind: WatchKind,
  item: Record<string, unknown>,
  path: string,
  issues: string[],
): WatchRule | undefined {
  const at = `${path}.${kind}`;
  const text = requireString(item[kind], at, issues);
  if (text === undefined) return undefined;
  switch (kind) {
    case 'github':
      if (!GITHUB_REPOSITORY.test(text) || /\/\.\.?$/.test(text)) {
        return fail(issues, `${at}: want "owner/repo", got ${show(text)}`);
      }
      return { kind, repository: text };
    case 'gitlab':
      if (!GITLAB_PROJECT.test(text)) {
        return fail(issues, `${at}: want "group/project" (subgroups allowed), got ${show(text)}`);
      }
      return { kind, project: text };
    case 'email':
      return validateEmail(text, item, path, issues);
    case 'san':
      return validateSan(text, item, path, issues);
    case 'oid':
      return validateOid(text, item, path, issues);
    case 'key':
      if (!SPKI_SHA256_HEX.test(text)) {
        return fail(
          issues,
          `${at}: want 64 hex digits (SHA-256 of the SubjectPublicKeyInfo), got ${show(text)}`,
        );
      }
      return { kind, spkiSha256Hex: text.toLowerCase() };
  }
}

function validateEmail(
  address: string,
  item: Record<string, unknown>,
  path: string,
  issues: string[],
): WatchRule | undefined {
  if (!EMAIL.test(address))
    return fail(issues, `${path}.email: want "name@domain", got ${show(address)}`);
  if (!Object.hasOwn(item, 'issuers')) return { kind: 'email', address };
  const issuers = stringList(item.issuers, `${path}.issuers`, issues);
  if (!issuers) return undefined;
  let ok = true;
  issuers.forEach((issuer, i) => {
    const problem = issuerProblem(issuer);
    if (problem) {
      issues.push(`${path}.issuers[${i}]: ${problem}`);
      ok = false;
    } else if (issuer === GITHUB_ACTIONS_ISSUER) {
      issues.push(`${path}.issuers[${i}]: ${EMAIL_WITH_ACTIONS}`);
      ok = false;
    }
  });
  return ok ? { kind: 'email', address, issuers } : undefined;
}

const EMAIL_WITH_ACTIONS =
  'GitHub Actions (https://token.actions.githubusercontent.com) never certifies an e-mail SAN, ' +
  'so this can never match: use "github: owner/repo"';

function validateSan(
  text: string,
  item: Record<string, unknown>,
  path: string,
  issues: string[],
): WatchRule | undefined {
  const pattern = readPattern(text);
  const problem = patternProblem(pattern);
  if (problem) return fail(issues, `${path}.san: ${problem}`);
  if (!Object.hasOwn(item, 'issuer')) return { kind: 'san', pattern };
  const issuerText = requireString(item.issuer, `${path}.issuer`, issues);
  if (issuerText === undefined) return undefined;
  const issuer = readPattern(issuerText);
  const issuerIssue =
    patternProblem(issuer) ?? (issuer.syntax === 'exact' ? issuerProblem(issuerText) : undefined);
  if (issuerIssue) return fail(issues, `${path}.issuer: ${issuerIssue}`);
  if (issuer.syntax === 'exact' && issuer.source === GITHUB_ACTIONS_ISSUER) {
    const impossible = sanImpossibleWithActions(pattern);
    if (impossible) return fail(issues, `${path}.san: ${impossible}`);
  }
  return { kind: 'san', pattern, issuer };
}

/** GitHub Actions SANs are always `https://github.com/...` workflow URIs. */
function sanImpossibleWithActions(pattern: Pattern): string | undefined {
  if (pattern.syntax === 'regex') return undefined;
  const prefix = 'https://github.com/';
  const literal = pattern.syntax === 'exact' ? pattern.source : pattern.source.split('*')[0]!;
  const compatible =
    pattern.syntax === 'exact'
      ? literal.startsWith(prefix)
      : literal.startsWith(prefix) || prefix.startsWith(literal);
  if (compatible) return undefined;
  if (pattern.syntax === 'exact' && EMAIL.test(literal)) return EMAIL_WITH_ACTIONS;
  return 'with issuer https://token.actions.githubusercontent.com a SAN always starts with "https://github.com/", so this can never match';
}

function validateOid(
  oid: string,
  item: Record<string, unknown>,
  path: string,
  issues: string[],
): WatchRule | undefined {
  const problem = oidProblem(oid);
  if (problem) issues.push(`${path}.oid: ${problem}`);
  if (!Object.hasOwn(item, 'value'))
    return fail(issues, `${path}.value: missing, an oid watch needs the exact value`);
  const value = requireString(item.value, `${path}.value`, issues);
  if (value === undefined || problem) return undefined;
  if (value === '') return fail(issues, `${path}.value: want a non-empty string`);
  return { kind: 'oid', oid, value };
}

/** What is wrong with a dotted OID for an `oid` watch, or undefined. */
export function oidProblem(oid: string): string | undefined {
  if (!DOTTED_OID.test(oid))
    return `want a dotted OID like 1.3.6.1.4.1.57264.1.12, got ${show(oid)}`;
  const [first, second] = oid.split('.').map(Number) as [number, number];
  if (first > 2 || (first < 2 && second >= 40))
    return `${oid} is not a valid OID (first arcs ${first}.${second})`;
  if (!oid.startsWith(FULCIO_ARC) || oid.slice(FULCIO_ARC.length).includes('.')) {
    return `${oid} is not a Fulcio extension: only 1.3.6.1.4.1.57264.1.N extensions are decoded`;
  }
  if (oid === `${FULCIO_ARC}7`)
    return `${oid} is the otherName SAN, not an extension value: use "san:"`;
  return undefined;
}

function validateExpect(
  kind: WatchKind,
  value: unknown,
  path: string,
  issues: string[],
): WatchExpectation | undefined {
  if (kind !== 'github' && kind !== 'gitlab') {
    return fail(
      issues,
      `${path}: only github and gitlab watches have expectations (a ${kind} watch alerts on every use)`,
    );
  }
  if (!isRecord(value)) return fail(issues, `${path}: want a mapping, got ${typeName(value)}`);
  unknownFields(value, EXPECT_FIELDS, path, issues);
  const present = EXPECT_FIELDS.filter((f) => Object.hasOwn(value, f));
  if (present.length === 0)
    return fail(issues, `${path}: empty, list workflows, refs or triggers (or remove it)`);
  const before = issues.length;
  const out: { -readonly [K in keyof WatchExpectation]: WatchExpectation[K] } = {};
  if (Object.hasOwn(value, 'workflows')) {
    out.workflows = patternList(value.workflows, `${path}.workflows`, issues, (p) => {
      if (p.syntax !== 'regex' && p.source.includes('@'))
        return 'a workflow path has no "@": put the ref in expect.refs';
      if (p.syntax !== 'regex' && p.source.startsWith('/'))
        return 'want a path inside the repository, without a leading "/"';
      return undefined;
    });
  }
  if (Object.hasOwn(value, 'refs')) {
    out.refs = patternList(value.refs, `${path}.refs`, issues, (p) =>
      p.syntax !== 'regex' && !p.source.startsWith('refs/')
        ? `want a full ref like refs/heads/main or refs/tags/v*, got ${show(p.source)}`
        : undefined,
    );
  }
  if (Object.hasOwn(value, 'triggers')) {
    const triggers = stringList(value.triggers, `${path}.triggers`, issues);
    triggers?.forEach((t, i) => {
      if (!TRIGGER.test(t))
        issues.push(
          `${path}.triggers[${i}]: want an event name like push or release, got ${show(t)}`,
        );
    });
    out.triggers = triggers;
  }
  return issues.length > before ? undefined : out;
}

function patternList(
  value: unknown,
  path: string,
  issues: string[],
  extra: (p: Pattern) => string | undefined,
): Pattern[] | undefined {
  const texts = stringList(value, path, issues);
  if (!texts) return undefined;
  const before = issues.length;
  const patterns = texts.map((text, i) => {
    const pattern = readPattern(text);
    const problem = patternProblem(pattern) ?? extra(pattern);
    if (problem) issues.push(`${path}[${i}]: ${problem}`);
    return pattern;
  });
  return issues.length > before ? undefined : patterns;
}

function issuerProblem(issuer: string): string | undefined {
  return /^https:\/\/[^\s/]+(?:\/\S*)?$/.test(issuer)
    ? undefined
    : `want an https:// issuer URL, got ${show(issuer)}`;
}

function checkUniqueNames(
  valid: readonly { index: number; watch: Watch }[],
  issues: string[],
): void {
  const seen = new Map<string, number>();
  for (const { index, watch } of valid) {
    const first = seen.get(watch.name);
    if (first === undefined) seen.set(watch.name, index);
    else {
      issues.push(
        `watches[${index}].name: duplicate name ${show(watch.name)} (also watches[${first}]): give one a distinct name`,
      );
    }
  }
}

function unknownFields(
  value: Record<string, unknown>,
  known: readonly string[],
  path: string,
  issues: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      issues.push(
        `${path === '' ? '' : `${path}.`}${key}: unknown field (known: ${known.join(', ')})`,
      );
    }
  }
}

function stringList(value: unknown, path: string, issues: string[]): string[] | undefined {
  if (!Array.isArray(value))
    return fail(issues, `${path}: want a list of strings, got ${typeName(value)}`);
  if (value.length === 0)
    return fail(issues, `${path}: empty list, list at least one value (or remove it)`);
  const before = issues.length;
  const out = value.map((v, i) => requireString(v, `${path}[${i}]`, issues) ?? '');
  out.forEach((v, i) => {
    if (v !== '' && out.indexOf(v) !== i) issues.push(`${path}[${i}]: duplicate ${show(v)}`);
  });
  return issues.length > before ? undefined : out;
}

function requireString(value: unknown, path: string, issues: string[]): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number')
    return fail(issues, `${path}: want a string, got number ${value} (quote it)`);
  return fail(issues, `${path}: want a non-empty string, got ${show(value)}`);
}

function fail(issues: string[], message: string): undefined {
  issues.push(message);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === undefined) return 'nothing';
  return typeName(value) === 'a mapping' || Array.isArray(value) ? typeName(value) : String(value);
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}
