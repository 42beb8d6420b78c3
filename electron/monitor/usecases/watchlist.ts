// Watchlist: the stored watches, listed, added and removed one at a time, imported from and
// exported as a watchlist file, and replaced wholesale (`vigil run --watchlist`); with the DTO of
// a watch. Every change is audited by the watch store.
import type {
  RekorMonitorConversion,
  WatchItem,
  WatchlistChange,
  WatchView,
} from '../../../shared/domain';
import { formatPattern } from '../../core/watch/pattern';
import { importRekorMonitorConfig } from '../../core/watch/rekor-monitor';
import type { Watch, WatchRule } from '../../core/watch/types';
import {
  formatWatchlist,
  parseWatchlist,
  validateWatchlist,
  WatchlistError,
} from '../../core/watch/watchlist';
import type { StoredWatch } from '../store/types';
import type { UseCaseContext } from './context';
import { defined, readEnum, readText } from './input';

/** Largest watchlist text import accepts (1 MiB of UTF-16 units). */
const MAX_WATCHLIST_CHARS = 1 << 20;
const FORMATS = ['yaml', 'json'] as const;

export class Watchlist {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** The watchlist, by name. */
  list(): WatchView[] {
    return this.#ctx.stores.watches.list().map(toWatchView);
  }

  /**
   * Adds one watchlist item, given in the watchlist file's JSON shape (WatchItem) and validated
   * as the file is. Throws WatchlistError (WATCHLIST_INVALID) listing every problem, and
   * InputError INVALID_INPUT when a watch of that name exists.
   */
  add(item: unknown): WatchView {
    const watch = validateWatchItem(item);
    return toWatchView(this.#ctx.stores.watches.add(watch, this.#ctx.now()));
  }

  /** Removes a watch; its matches stay (they are evidence). Throws InputError NOT_FOUND. */
  remove(name: string): void {
    this.#ctx.stores.watches.remove(readText(name, 'watch name'), this.#ctx.now());
  }

  /**
   * Imports a watchlist file's text. 'replace' makes the stored watchlist equal the file
   * (replace); 'merge' adds its new watches and updates those with the same name, keeping the
   * rest. All or nothing: an invalid file (WatchlistError) changes nothing.
   */
  import(text: string, format: 'yaml' | 'json', mode: 'replace' | 'merge'): WatchlistChange {
    const source = readText(text, 'watchlist text', MAX_WATCHLIST_CHARS);
    const watches = parseWatchlist(source, readEnum(format, FORMATS, 'format')).watches;
    return readEnum(mode, ['replace', 'merge'], 'mode') === 'replace'
      ? this.replace(watches)
      : this.#merge(watches);
  }

  /**
   * Converts a sigstore/rekor-monitor config (its monitoredValues) into a watchlist file, with a
   * note wherever the meaning changes, as `vigil watchlist import-rekor-monitor` does. Stores
   * nothing: the user reads the notes, then imports the YAML. Throws WatchlistError
   * (WATCHLIST_INVALID) for text that is not such a config.
   */
  fromRekorMonitor(text: string): RekorMonitorConversion {
    const source = readText(text, 'rekor-monitor config', MAX_WATCHLIST_CHARS);
    const { watchlist, notes } = importRekorMonitorConfig(source);
    return { yaml: formatWatchlist(watchlist, 'yaml'), notes };
  }

  /** The stored watchlist as a watchlist file (parseWatchlist reads it back unchanged). */
  export(format: 'yaml' | 'json'): string {
    const watches = this.#ctx.stores.watches.list().map(watchFields);
    return formatWatchlist({ version: 1, watches }, readEnum(format, FORMATS, 'format'));
  }

  /**
   * Makes the stored watchlist equal `watches` (from parseWatchlist), in one transaction,
   * auditing each addition, change and removal. Unchanged watches are left alone.
   */
  replace(watches: readonly Watch[]): WatchlistChange {
    const { stores } = this.#ctx;
    const atMs = this.#ctx.now();
    return stores.transaction(() => {
      const current = new Map(stores.watches.list().map((w) => [w.name, w]));
      const added: string[] = [];
      const changed: string[] = [];
      for (const w of watches) {
        const old = current.get(w.name);
        current.delete(w.name);
        if (!old) {
          stores.watches.add(w, atMs);
          added.push(w.name);
        } else if (canonicalJson(withoutTimes(old)) !== canonicalJson(w)) {
          stores.watches.update(w, atMs);
          changed.push(w.name);
        }
      }
      for (const name of current.keys()) stores.watches.remove(name, atMs);
      return { added, changed, removed: [...current.keys()] };
    });
  }

  #merge(watches: readonly Watch[]): WatchlistChange {
    const { stores } = this.#ctx;
    const atMs = this.#ctx.now();
    return stores.transaction(() => {
      const added: string[] = [];
      const changed: string[] = [];
      for (const w of watches) {
        const old = stores.watches.get(w.name);
        if (!old) {
          stores.watches.add(w, atMs);
          added.push(w.name);
        } else if (canonicalJson(watchFields(old)) !== canonicalJson(w)) {
          stores.watches.update(w, atMs);
          changed.push(w.name);
        }
      }
      return { added, changed, removed: [] };
    });
  }
}

/**
 * Validates one watchlist item as the file's validator does, with problems reported under
 * `watch` rather than `watches[0]`.
 */
function validateWatchItem(item: unknown): Watch {
  try {
    return validateWatchlist({ version: 1, watches: [item] }).watches[0]!;
  } catch (err) {
    if (!(err instanceof WatchlistError)) throw err;
    throw new WatchlistError(err.issues.map((i) => i.replace(/^watches\[0\]/, 'watch')));
  }
}

function withoutTimes(w: Watch & { createdAtMs?: number }): Watch {
  const { createdAtMs: _createdAtMs, ...watch } = w;
  return watch;
}

/** JSON with object keys sorted and undefined members dropped: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * A watch with its watchlist-file form. The item always carries the name (formatWatchlist
 * leaves derived names out), so it round-trips through add unchanged.
 */
export function toWatchView(w: StoredWatch): WatchView {
  return {
    name: w.name,
    kind: w.rule.kind,
    target: watchTarget(w.rule),
    enabled: w.enabled,
    item: { ...watchItem(w), name: w.name },
    createdAtMs: w.createdAtMs,
  };
}

/** The watch as one item of a watchlist file (the JSON shape validateWatchlist reads). */
export function watchItem(w: Watch): WatchItem {
  const text = formatWatchlist({ version: 1, watches: [watchFields(w)] }, 'json');
  // formatWatchlist writes JSON.stringify output: parsing it back cannot fail.
  return (JSON.parse(text) as { watches: WatchItem[] }).watches[0]!;
}

/** The Watch fields of a stored watch, without its creation time. */
export function watchFields(w: Watch): Watch {
  return {
    name: w.name,
    rule: w.rule,
    enabled: w.enabled,
    ...defined({ expect: w.expect, origins: w.origins }),
  };
}

function watchTarget(rule: WatchRule): string {
  switch (rule.kind) {
    case 'github':
      return rule.repository;
    case 'gitlab':
      return rule.project;
    case 'email':
      return rule.address;
    case 'san':
      return formatPattern(rule.pattern);
    case 'oid':
      return `${rule.oid}=${rule.value}`;
    case 'key':
      return rule.spkiSha256Hex;
  }
}
