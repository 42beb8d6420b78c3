// Argument validators for every command of the contract. The renderer is untrusted: main and the
// web bridge run these before anything reaches the engine. They check shape, type and size only
// (the engine checks meaning: a watch's pattern, a channel's URL), build fresh values holding
// only the known keys, and never throw: a bad argument is an INVALID_INPUT Result.
import { ACTIVITY_RANGES, CATCH_UP_SINCES } from '../activity';
import type {
  AlertListQuery,
  AuditPageQuery,
  ChannelKind,
  ExportFormat,
  JsonValue,
  MatchListQuery,
  NewChannel,
  TriageState,
  WatchItem,
} from '../domain';
import { fail, ok, type Result } from '../result';
import type { CommandArgs, CommandName, WatchlistFormat, WatchlistImportMode } from './contract';

/** Longest watch name, channel name, secret name, origin or kind the bridge accepts. */
export const MAX_NAME_CHARS = 200;
/** Longest single value inside a watch (pattern, address, key hex). */
export const MAX_VALUE_CHARS = 2048;
/** Longest alert note (the match store's limit). */
export const MAX_NOTE_CHARS = 10_000;
/** Largest watchlist text `watchlist:import` accepts. */
export const MAX_IMPORT_CHARS = 1_048_576;
/** Largest pasted entry or bundle `watchlist:test-entry` accepts. */
export const MAX_ENTRY_TRIAL_CHARS = 4_194_304;
/** Largest secret value (tokens and webhook URLs are far smaller). */
export const MAX_SECRET_CHARS = 16_384;
const MAX_LIST_ITEMS = 100;
/** Most alerts one bulk preview covers (the Alerts screen's largest selection). */
export const MAX_BULK_IDS = 20_000;
const MAX_JSON_DEPTH = 8;
const MAX_JSON_NODES = 1000;
const MAX_LIMIT = 500;

/** Raised inside a validator and turned into a Result before validateArgs returns. */
class ArgumentProblem extends Error {}

type Check<T> = (value: unknown, at: string) => T;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

function integer(min: number, max: number): Check<number> {
  return (value, at) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ArgumentProblem(
        `${at} must be an integer in ${min}..${max}, got ${typeof value === 'number' ? value : describe(value)}`,
      );
    }
    return value;
  };
}

const id = integer(1, Number.MAX_SAFE_INTEGER);
const epochMs = integer(0, Number.MAX_SAFE_INTEGER);
const limit = integer(1, MAX_LIMIT);

function text(maxChars: number, options: { nonEmpty?: boolean } = {}): Check<string> {
  return (value, at) => {
    if (typeof value !== 'string') {
      throw new ArgumentProblem(`${at} must be a string, got ${describe(value)}`);
    }
    if (options.nonEmpty && value.length === 0) {
      throw new ArgumentProblem(`${at} must not be empty`);
    }
    if (value.length > maxChars) {
      throw new ArgumentProblem(`${at} is ${value.length} characters, want at most ${maxChars}`);
    }
    return value;
  };
}

const name = text(MAX_NAME_CHARS, { nonEmpty: true });
const value = text(MAX_VALUE_CHARS, { nonEmpty: true });

const bool: Check<boolean> = (v, at) => {
  if (typeof v !== 'boolean')
    throw new ArgumentProblem(`${at} must be a boolean, got ${describe(v)}`);
  return v;
};

function oneOf<const T extends string>(choices: readonly T[]): Check<T> {
  return (v, at) => {
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      throw new ArgumentProblem(
        `${at} must be one of ${choices.join(', ')}, got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 50)) : describe(v)}`,
      );
    }
    return v as T;
  };
}

function list<T>(item: Check<T>, maxItems = MAX_LIST_ITEMS): Check<readonly T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) throw new ArgumentProblem(`${at} must be an array, got ${describe(v)}`);
    if (v.length > maxItems) {
      throw new ArgumentProblem(`${at} has ${v.length} items, want at most ${maxItems}`);
    }
    return v.map((x, i) => item(x, `${at}[${i}]`));
  };
}

/** A plain object (not an array, not a class instance) with string keys. */
function plainObject(v: unknown, at: string): Readonly<Record<string, unknown>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ArgumentProblem(`${at} must be an object, got ${describe(v)}`);
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    throw new ArgumentProblem(`${at} must be a plain object`);
  }
  return v as Readonly<Record<string, unknown>>;
}

type Shape<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/**
 * An object with only the shape's keys, every one optional (absent or undefined = not given).
 * The result is a new object holding exactly the given keys.
 */
function object<T extends object>(shape: Shape<T>): Check<T> {
  return (v, at) => {
    const input = plainObject(v, at);
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key)) {
        throw new ArgumentProblem(`${at} has unknown key ${JSON.stringify(key.slice(0, 50))}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape) as (keyof T & string)[]) {
      if (input[key] !== undefined) out[key] = shape[key](input[key], `${at}.${key}`);
    }
    return out as T;
  };
}

/** Requires `keys` of an object check's result to be present. */
function requiring<T extends object>(check: Check<T>, keys: readonly (keyof T & string)[]) {
  return (v: unknown, at: string): T => {
    const out = check(v, at);
    for (const key of keys) {
      if ((out as Record<string, unknown>)[key] === undefined) {
        throw new ArgumentProblem(`${at} is missing key "${key}"`);
      }
    }
    return out;
  };
}

/** Any JSON value of bounded depth and size, copied (channel configs; the engine checks them). */
const json: Check<JsonValue> = (v, at) => {
  let nodes = 0;
  const copy = (x: unknown, path: string, depth: number): JsonValue => {
    if (++nodes > MAX_JSON_NODES) {
      throw new ArgumentProblem(`${at} has more than ${MAX_JSON_NODES} values`);
    }
    if (depth > MAX_JSON_DEPTH) throw new ArgumentProblem(`${path} nests too deep`);
    if (x === null || typeof x === 'boolean') return x;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new ArgumentProblem(`${path} must be a finite number`);
      return x;
    }
    if (typeof x === 'string') return text(MAX_VALUE_CHARS)(x, path);
    if (Array.isArray(x)) return list((y, p) => copy(y, p, depth + 1))(x, path);
    const obj = plainObject(x, path);
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(obj)) {
      if (key === '__proto__') throw new ArgumentProblem(`${path} has key "__proto__"`);
      out[key] = copy(obj[key], `${path}.${key}`, depth + 1);
    }
    return out;
  };
  return copy(v, at, 0);
};

const TRIAGE_STATES: readonly TriageState[] = ['new', 'acknowledged', 'expected'];
const CHANNEL_KINDS: readonly ChannelKind[] = ['desktop', 'webhook', 'slack', 'github-issue'];
const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'evidence'];
const WATCHLIST_FORMATS: readonly WatchlistFormat[] = ['yaml', 'json'];
const IMPORT_MODES: readonly WatchlistImportMode[] = ['merge', 'replace'];

const matchListQuery = object<MatchListQuery>({
  origin: name,
  watch: name,
  classification: oneOf(['expected', 'unexpected', 'untrusted']),
  triage: oneOf(TRIAGE_STATES),
  beforeId: id,
  limit,
});

const alertListQuery = object<AlertListQuery>({ state: oneOf(TRIAGE_STATES), beforeId: id, limit });

const auditPageQuery = object<AuditPageQuery>({
  kind: name,
  origin: name,
  fromMs: epochMs,
  toMs: epochMs,
  text: text(MAX_NAME_CHARS),
  beforeSeq: id,
  limit,
});

const values = list(value);

const watchItem = object<WatchItem>({
  github: value,
  gitlab: value,
  email: value,
  issuers: values,
  san: value,
  issuer: value,
  oid: value,
  value,
  key: value,
  name,
  expect: object<NonNullable<WatchItem['expect']>>({
    workflows: values,
    refs: values,
    triggers: values,
  }),
  enabled: bool,
  origins: list(name),
});

const newChannel = requiring(
  object<NewChannel>({ name, kind: oneOf(CHANNEL_KINDS), config: json }),
  ['name', 'kind', 'config'],
);

type Validator<C extends CommandName> = (raw: readonly unknown[]) => CommandArgs<C>;

/** A validator for a command taking exactly these arguments, in order. */
function args<A extends unknown[]>(...checks: { [I in keyof A]: Check<A[I]> }) {
  return (raw: readonly unknown[]): A => {
    if (raw.length !== checks.length) {
      throw new ArgumentProblem(`takes ${checks.length} argument(s), got ${raw.length}`);
    }
    return checks.map((check, i) => check(raw[i], `argument ${i + 1}`)) as A;
  };
}

/** One validator per command; a command missing here fails to compile. */
export const VALIDATORS: { readonly [C in CommandName]: Validator<C> } = {
  'status:get': args(),
  'monitor:check-now': args(),
  'monitor:pause': args(),
  'monitor:resume': args(),
  'activity:get': args(requiring(object({ range: oneOf(ACTIVITY_RANGES) }), ['range'])),
  'catchup:start': args(requiring(object({ since: oneOf(CATCH_UP_SINCES) }), ['since'])),
  'catchup:get': args(),
  'matches:list': args(matchListQuery),
  'matches:get': args(id),
  'watchlist:list': args(),
  'watchlist:add': args(watchItem),
  'watchlist:remove': args(name),
  'watchlist:import': args(
    text(MAX_IMPORT_CHARS, { nonEmpty: true }),
    oneOf(WATCHLIST_FORMATS),
    oneOf(IMPORT_MODES),
  ),
  'watchlist:export': args(oneOf(WATCHLIST_FORMATS)),
  'watchlist:from-rekor-monitor': args(text(MAX_IMPORT_CHARS, { nonEmpty: true })),
  'watchlist:test-entry': args(text(MAX_ENTRY_TRIAL_CHARS, { nonEmpty: true })),
  'alerts:list': args(alertListQuery),
  'alerts:acknowledge': args(id),
  'alerts:expect': args(id),
  'alerts:expect-preview': args(list(id, MAX_BULK_IDS)),
  'alerts:note': args(id, text(MAX_NOTE_CHARS)),
  'channels:list': args(),
  'channels:add': args(newChannel),
  'channels:remove': args(name),
  'channels:set-enabled': args(name, bool),
  'channels:test': args(name),
  'secrets:set': args(name, text(MAX_SECRET_CHARS, { nonEmpty: true })),
  'export:data': args(oneOf(EXPORT_FORMATS)),
  'export:match-evidence': args(id),
  'audit:page': args(auditPageQuery),
  'audit:verify': args(),
};

/**
 * The arguments of `command`, checked and copied, or INVALID_INPUT naming the command, the
 * argument and the problem. Requires `command` to be a contract command (isCommandName).
 */
export function validateArgs<C extends CommandName>(
  command: C,
  raw: readonly unknown[],
): Result<CommandArgs<C>> {
  try {
    return ok(VALIDATORS[command](raw));
  } catch (err) {
    if (err instanceof ArgumentProblem) return fail('INVALID_INPUT', `${command}: ${err.message}`);
    throw err;
  }
}
