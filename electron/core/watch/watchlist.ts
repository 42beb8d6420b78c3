// The watchlist file (YAML or JSON, `version: 1`): strict parsing with path-qualified messages,
// and its inverse; the rules of each watch kind are in watchlist-rules.ts. The format is
// documented in the README ("Watchlist").
import { parseDocument, stringify } from 'yaml';
import { InputError } from '../errors';
import { formatPattern } from './pattern';
import type { Watch, WatchKind, WatchRule, Watchlist } from './types';
import {
  hasControlCharacter,
  isRecord,
  show,
  stringList,
  typeName,
  unknownFields,
} from './watchlist-fields';
import { validateExpect, validateRule } from './watchlist-rules';

export { oidProblem } from './watchlist-rules';

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
const MAX_NAME_CHARS = 200;

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

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}
