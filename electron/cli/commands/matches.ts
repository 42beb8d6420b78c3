// `vigil matches`: every recorded match (an entry that mentions a watched identity).
import type { Classification, MatchView, TriageState } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import {
  collectPages,
  isoTime,
  oneOf,
  parseLimit,
  printJson,
  safe,
  withDataDir,
} from '../service-io';

const USAGE = `Usage: vigil matches [--watch NAME] [--classification C] [--state S] [--origin ORIGIN]
                     [--limit N] [--data-dir DIR] [--json]

Lists the recorded matches, newest first: which watch matched which log entry, how it was
classified (expected, unexpected, untrusted) and its triage state.

Options:
  --watch NAME          only this watch's matches
  --classification C    expected, unexpected or untrusted
  --state S             new, acknowledged or expected
  --origin ORIGIN       only this log's matches
  --limit N             at most N matches (default: all)
${DATA_DIR_USAGE}
  --json                one JSON object per line: id, origin, logIndex, watch, classification,
                        state, reason, foundAtMs, identity {sans, issuer, repository, workflow,
                        ref, trigger, spkiSha256Hex, chain, ...}, leafHashHex

Exit codes: 0 listed (also when there are none), 1 the data dir cannot be opened, 2 usage error.`;

const FLAGS = {
  ...DATA_DIR_FLAGS,
  watch: 'string',
  classification: 'string',
  state: 'string',
  origin: 'string',
  limit: 'string',
  json: 'boolean',
} as const;

const CLASSIFICATIONS: readonly Classification[] = ['expected', 'unexpected', 'untrusted'];
const STATES: readonly TriageState[] = ['new', 'acknowledged', 'expected'];

export const matchesCommand: Command = {
  path: ['matches'],
  summary: 'List the recorded matches of watched identities',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const classification = oneOf(flags.classification, CLASSIFICATIONS, '--classification');
    const triage = oneOf(flags.state, STATES, '--state');
    const limit = parseLimit(flags.limit);
    const matches = await withDataDir(flags, io, (service) =>
      collectPages(limit, (beforeId, size) => {
        const page = service.matches.list({
          ...(flags.watch !== undefined && { watch: flags.watch }),
          ...(flags.origin !== undefined && { origin: flags.origin }),
          ...(classification && { classification }),
          ...(triage && { triage }),
          ...(beforeId !== undefined && { beforeId }),
          limit: size,
        });
        return { items: page.matches, ...(page.nextBeforeId && { next: page.nextBeforeId }) };
      }),
    );
    if (flags.json) {
      for (const m of matches) printJson(io, matchLine(m));
    } else {
      for (const m of matches) io.stdout.write(formatMatch(m));
      if (matches.length === 0) io.stderr.write('no matches\n');
    }
    return EXIT.OK;
  },
};

/** The `--json` line of a match: the MatchView with its triage state named `state`. */
export function matchLine(m: MatchView): Record<string, unknown> {
  const { triage, ...rest } = m;
  return { ...rest, state: triage };
}

function formatMatch(m: MatchView): string {
  const who = m.identity.sans.map((s) => s.value).join(', ') || `key ${m.identity.spkiSha256Hex}`;
  const facts = [
    `identity: ${who}${m.identity.issuer ? ` (issuer ${m.identity.issuer})` : ''}`,
    ...(m.identity.workflow ? [`workflow: ${m.identity.workflow}`] : []),
    ...(m.identity.ref ? [`ref: ${m.identity.ref}`] : []),
    ...(m.identity.trigger ? [`trigger: ${m.identity.trigger}`] : []),
    `reason: ${m.reason}`,
    ...(m.note ? [`note: ${m.note}`] : []),
  ];
  return (
    `#${m.id} ${m.classification.toUpperCase()} ${safe(m.watch, 100)}: ${safe(m.origin)} ` +
    `#${m.logIndex} [${m.triage}] found ${isoTime(m.foundAtMs)}\n` +
    facts.map((f) => `  ${safe(f, 300)}\n`).join('')
  );
}
