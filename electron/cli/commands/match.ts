// `vigil match`: which watches of a watchlist match each entry, and how each match is
// classified (expected / unexpected / untrusted), for the same inputs as `vigil verify`.
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { readInputs } from '../inputs';
import { forEachEntry, inspectTrust, type InspectedEntry } from './inspect';
import { verificationText } from '../entry-verification';
import { readTrustedRoot } from '../inputs';
import { readWatchlistFile } from './watchlist';
import { compileWatchlist, matchEntry } from '../../core/watch/match';
import type { WatchMatch } from '../../core/watch/types';
import type { ErrorView } from '../../../shared/errors';

const USAGE = `Usage: vigil match --watchlist FILE [--trusted-root FILE] [--json] [--jsonl] FILE...

Matches each Rekor entry or bundle (the inputs of \`vigil verify\`; FILE may be - for stdin)
against the watches of a watchlist (YAML, or JSON when FILE ends in .json) and classifies
every match: expected (a trusted signing that meets the watch's expect:), unexpected (any
other trusted signing), untrusted (the certificate does not chain to a Fulcio CA of the trusted
root, or was not valid at the entry's integrated time). Every well-formed entry is matched
whether it verifies or not; its log proofs are checked as \`vigil verify\` checks them, and the
output says what was verified. Watches' origins: are not applied (an input file names no log).

Options:
  --watchlist FILE      the watchlist (required)
  --trusted-root FILE   trusted_root.json whose Fulcio CAs and logs are trusted (default: the
                        shipped production root)
  --json                print one JSON object per entry instead of text:
                        {"ok":true,"logIndex":1,"matches":[{"watch":"github:acme/widget",
                         "classification":"unexpected","reason":"...","matchedBy":"workflow-san",
                         "signerIndex":0}],"verification":{"ok":true,"checks":[...],
                         "proofRoot":"checkpoint","origin":"..."},"input":"a.json"}
  --jsonl               each input line is one JSON value (as for verify); implies --json

Exit codes (verified or not): 0 no unexpected match, 3 some entry has an unexpected match,
4 otherwise when any input is unreadable as an entry, 2 usage error, 1 watchlist or trusted
root unusable.`;

const FLAGS = {
  watchlist: 'string',
  'trusted-root': 'string',
  json: 'boolean',
  jsonl: 'boolean',
} as const;

export const matchCommand: Command = {
  path: ['match'],
  summary: 'Show which watches match each entry, and whether each signing was expected',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (flags.watchlist === undefined) throw new UsageError('--watchlist FILE is required');
    if (positionals.length === 0) throw new UsageError('no input files (use - for stdin)');
    const json = (flags.json ?? false) || (flags.jsonl ?? false);
    const watchlist = compileWatchlist(await readWatchlistFile(flags.watchlist));
    const trust = inspectTrust(await readTrustedRoot(flags['trusted-root']), Date.now());
    let unexpected = false;
    let failed = false;
    await forEachEntry(
      readInputs(positionals, { jsonl: flags.jsonl ?? false, stdin: io.stdin }),
      trust,
      (entry, input) => {
        const matches = matchEntry(entry.identities, watchlist, {
          ...(entry.integratedTimeMs === undefined
            ? {}
            : { integratedTimeMs: entry.integratedTimeMs }),
        });
        unexpected ||= matches.some((m) => m.classification === 'unexpected');
        io.stdout.write(
          json
            ? `${JSON.stringify({
                ok: true,
                logIndex: entry.logIndex,
                matches: matches.map(matchView),
                verification: entry.verification,
                input,
              })}\n`
            : matchText(entry, matches, input),
        );
      },
      (error: ErrorView, input) => {
        failed = true;
        if (json)
          io.stdout.write(
            `${JSON.stringify({ ok: false, logIndex: null, matches: [], verification: null, error, input })}\n`,
          );
        else io.stderr.write(`${input}: ${error.code}: ${error.message}\n`);
      },
    );
    if (unexpected) return EXIT.UNEXPECTED_SIGNING;
    return failed ? EXIT.VERIFICATION_FAILED : EXIT.OK;
  },
};

function matchView(m: WatchMatch) {
  return {
    watch: m.watch,
    classification: m.classification,
    reason: m.reason,
    matchedBy: m.matchedBy,
    signerIndex: m.signerIndex,
  };
}

function matchText(entry: InspectedEntry, matches: readonly WatchMatch[], input: string): string {
  const verified = `  ${verificationText(entry.verification)}`;
  if (matches.length === 0) {
    return `${input}: log index ${entry.logIndex}: no watch matches\n${verified}\n`;
  }
  const lines = [`${input}: log index ${entry.logIndex}:`, verified];
  for (const m of matches)
    lines.push(`  ${m.classification.toUpperCase()}  ${m.watch}: ${m.reason}`);
  return `${lines.join('\n')}\n`;
}
