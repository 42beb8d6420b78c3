// `vigil watchlist check` and `vigil watchlist import-rekor-monitor`: validate a watchlist file,
// and convert a rekor-monitor identity config into one.
import { readFile } from 'node:fs/promises';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { decodeUtf8Strict } from '../../core/bytes';
import { InputError } from '../../core/errors';
import { importRekorMonitorConfig } from '../../core/watch/rekor-monitor';
import type { Watch, Watchlist } from '../../core/watch/types';
import { formatWatchlist, parseWatchlist, WatchlistError } from '../../core/watch/watchlist';

/** Largest watchlist or rekor-monitor config read, in bytes. */
const MAX_WATCHLIST_BYTES = 4 * 1024 * 1024;

const CHECK_USAGE = `Usage: vigil watchlist check FILE

Validates a watchlist (YAML, or JSON when FILE ends in .json) and lists its watches. Every
problem is reported with its place in the file, e.g. watches[2].expect.refs[0].

Exit codes: 0 valid, 1 invalid or unreadable, 2 usage error.`;

const IMPORT_USAGE = `Usage: vigil watchlist import-rekor-monitor CONFIG.yaml

Converts the monitoredValues of a sigstore/rekor-monitor config (certIdentities, subjects,
fingerprints, oidMatchers with fulcioExtensions / oidExtensions / customExtensions) into a
watchlist, printed to stdout as YAML. Every change of meaning is printed to stderr as a note:
Vigil anchors regexes (rekor-monitor matched them anywhere in a value), drops subjects and
non-SHA-256 fingerprints, and matches the issuer extension .1.8 only.

Exit codes: 0 converted (read the notes), 1 unreadable or not a rekor-monitor config,
2 usage error.`;

/**
 * Reads and parses a watchlist file: JSON when the name ends in `.json`, else YAML.
 * Throws InputError(FILE_UNREADABLE) or WatchlistError(WATCHLIST_INVALID).
 */
export async function readWatchlistFile(path: string): Promise<Watchlist> {
  return parseWatchlist(
    await readWatchlistText(path),
    path.toLowerCase().endsWith('.json') ? 'json' : 'yaml',
  );
}

export const watchlistCheckCommand: Command = {
  path: ['watchlist', 'check'],
  summary: 'Validate a watchlist file',
  usage: CHECK_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const path = singlePath(args);
    let watchlist: Watchlist;
    try {
      watchlist = await readWatchlistFile(path);
    } catch (err) {
      if (!(err instanceof WatchlistError)) throw err;
      for (const issue of err.issues) io.stderr.write(`${path}: ${issue}\n`);
      io.stderr.write(
        `${path}: ${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}\n`,
      );
      return EXIT.OPERATIONAL;
    }
    const count = watchlist.watches.length;
    io.stdout.write(`${path}: valid, ${count} watch${count === 1 ? '' : 'es'}\n`);
    for (const watch of watchlist.watches) io.stdout.write(`  ${describeWatch(watch)}\n`);
    return EXIT.OK;
  },
};

export const watchlistImportRekorMonitorCommand: Command = {
  path: ['watchlist', 'import-rekor-monitor'],
  summary: "Convert a rekor-monitor config's monitoredValues into a watchlist",
  usage: IMPORT_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const path = singlePath(args);
    const { watchlist, notes } = importRekorMonitorConfig(await readWatchlistText(path));
    io.stdout.write(formatWatchlist(watchlist));
    for (const note of notes) io.stderr.write(`note: ${note}\n`);
    return EXIT.OK;
  },
};

function singlePath(args: readonly string[]): string {
  const { positionals } = parseArgs(args, {});
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'no file given' : 'give exactly one file');
  }
  return positionals[0]!;
}

function describeWatch(watch: Watch): string {
  const expectations = watch.expect
    ? `expects ${Object.keys(watch.expect).join(', ')}`
    : 'no expectations: alerts on every use';
  const origins = watch.origins ? `, only on ${watch.origins.join(', ')}` : '';
  return `${watch.name} (${watch.rule.kind}${watch.enabled ? '' : ', disabled'}; ${expectations}${origins})`;
}

/**
 * Reads a watchlist or rekor-monitor config file as text: at most 4 MiB of strict UTF-8.
 * Throws InputError(FILE_UNREADABLE).
 */
export async function readWatchlistText(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError('FILE_UNREADABLE', `cannot read ${path}: ${reason}`);
  }
  if (bytes.length > MAX_WATCHLIST_BYTES) {
    throw new InputError('FILE_UNREADABLE', `${path} is larger than ${MAX_WATCHLIST_BYTES} bytes`);
  }
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new InputError('FILE_UNREADABLE', `${path} is not valid UTF-8`);
  return text;
}
