// What the commands built on MonitorService (status, matches, watch, alerts, channels, export)
// share: opening the data dir without trust flags, ID arguments, and printing. Text printed for
// people goes through displayText: identities and log data come from certificates anyone can
// log, and must not move a terminal's cursor or reorder what it shows.
import { UsageError, type CliIo } from './command';
import { dataDirFrom, withMonitor } from './monitor-flags';
import { displayText } from '../monitor/alerts/signer-facts';
import { envSecretStore } from '../monitor/alerts/env-secret-store';
import type { MonitorService } from '../monitor/service';

/**
 * Opens the monitor on the data dir the flags select (created if missing), with secrets from
 * VIGIL_SECRET_* environment variables, runs `fn` and closes it. Loads no trust material.
 */
export function withDataDir<T>(
  flags: { readonly 'data-dir'?: string },
  io: CliIo,
  fn: (service: MonitorService) => Promise<T> | T,
): Promise<T> {
  return withMonitor({ dataDir: dataDirFrom(flags, io), secrets: envSecretStore(io.env) }, fn);
}

/** Writes `value` as one JSON line on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Attacker-influenced text made safe for one terminal line (see displayText). */
export const safe = (text: string, maxChars = 200): string => displayText(text, maxChars);

/** A positional database ID (alert, match): canonical decimal, 1..2^53-1. */
export function parseIdArgument(text: string | undefined, what: string): number {
  if (text === undefined) throw new UsageError(`no ${what} given`);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${what} ${JSON.stringify(text)}: want a positive integer`);
  }
  return Number(text);
}

/** The positionals when there is one per name, else a UsageError naming what is missing or extra. */
export function expectPositionals(
  positionals: readonly string[],
  names: readonly string[],
): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing ${names.slice(positionals.length).join(' and ')}`);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument ${positionals[names.length]}`);
  }
  return [...positionals];
}

/** A `--limit` value: 1..1000000 (commands page through the store 500 at a time). */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,6}$/.test(text) || Number(text) > 1_000_000) {
    throw new UsageError(`--limit ${text}: want an integer 1..1000000`);
  }
  return Number(text);
}

/** ISO 8601 UTC, to the second. */
export const isoTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** "3m ago", "2h ago", "4d ago" or "just now" for a past time; "in the future" otherwise. */
export function age(ms: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - ms) / 1000);
  if (seconds < -60) return 'in the future';
  if (seconds < 60) return 'just now';
  if (seconds >= 86_400) return `${Math.floor(seconds / 86_400)}d ago`;
  if (seconds >= 3_600) return `${Math.floor(seconds / 3_600)}h ago`;
  return `${Math.floor(seconds / 60)}m ago`;
}

/**
 * The environment variable the CLI's SecretStore reads secret `name` from (envSecretStore):
 * `VIGIL_SECRET_` + the name upper-cased, every other character than A-Z 0-9 as `_`.
 */
export const secretEnvName = (name: string): string =>
  `VIGIL_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Pages through a keyset-paged list until `limit` items or the last page. */
export function collectPages<T>(
  limit: number | undefined,
  page: (beforeId: number | undefined, size: number) => { items: readonly T[]; next?: number },
): T[] {
  const items: T[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const size = Math.min(500, limit === undefined ? 500 : limit - items.length);
    const result = page(beforeId, size);
    items.push(...result.items);
    if (result.next === undefined || (limit !== undefined && items.length >= limit)) return items;
    beforeId = result.next;
  }
}

/** The flag's value when it is one of `allowed`; undefined when the flag is absent. */
export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} ${value}: want ${allowed.join(', ')}`);
  }
  return value as T;
}
