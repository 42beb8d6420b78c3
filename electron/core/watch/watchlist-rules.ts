// The watchlist file's rules, one validator per watch kind, and the expectations of a github or
// gitlab watch. Each pushes path-qualified messages onto `issues` and returns undefined on error.
import { GITHUB_ACTIONS_ISSUER } from './ci-identity';
import { patternProblem, readPattern } from './pattern';
import type { Pattern, WatchExpectation, WatchKind, WatchRule } from './types';
import {
  fail,
  isRecord,
  requireString,
  show,
  stringList,
  typeName,
  unknownFields,
} from './watchlist-fields';

const EXPECT_FIELDS = ['workflows', 'refs', 'triggers'];
const FULCIO_ARC = '1.3.6.1.4.1.57264.1.';
const GITHUB_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const GITLAB_PROJECT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DOTTED_OID = /^(?:0|[1-9]\d{0,15})(?:\.(?:0|[1-9]\d{0,15}))+$/;
const SPKI_SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const TRIGGER = /^[a-z][a-z0-9_]*$/;

export function validateRule(
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

export function validateExpect(
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
