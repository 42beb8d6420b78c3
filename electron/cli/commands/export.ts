// `vigil export`: the matches (and audit log) into a directory, with a manifest of digests.
import { resolve } from 'node:path';
import type { ExportFormat } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import {
  DATA_DIR_FLAGS,
  DATA_DIR_USAGE,
  TRUST_FLAGS,
  TRUST_USAGE,
  monitorOptionsFrom,
  withMonitor,
} from '../monitor-flags';
import { expectPositionals, oneOf } from '../service-io';

const USAGE = `Usage: vigil export --format csv|jsonl|evidence --out DIR [--data-dir DIR]
                    [trust options]

Writes what the monitor recorded into DIR (created if missing), then DIR/manifest.json listing
every file with its size and SHA-256 (\`sha256sum\` reproduces them). The manifest is written
last and an older one is removed first, so a manifest only ever describes a finished export.

Formats:
  csv                   matches.csv: one row per match (identity, workflow, ref, reason,
                        triage, leaf hash, ...); cells a spreadsheet would run are neutralised
  jsonl                 vigil.jsonl: every match with its evidence (entry, inclusion proof,
                        signed checkpoint), then every audit event with its chain hashes
  evidence              match-<id>.json per match: a Sigstore TransparencyLogEntry that
                        \`vigil verify\` re-checks offline (needs the trust material, for the
                        log IDs: TUF, its cache, or --trusted-root)

Options:
  --format F            csv, jsonl or evidence
  --out DIR             the directory to write into
${DATA_DIR_USAGE}
${TRUST_USAGE}

Progress goes to stderr; the manifest's path is printed on stdout.

Exit codes: 0 exported, 1 the directory cannot be written or trust material is missing,
2 usage error.`;

const FLAGS = { ...DATA_DIR_FLAGS, ...TRUST_FLAGS, format: 'string', out: 'string' } as const;

const FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'evidence'];

/** Records between two progress lines. */
const PROGRESS_EVERY = 1000;

export const exportCommand: Command = {
  path: ['export'],
  summary: 'Export matches, evidence and the audit log with a manifest of digests',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    expectPositionals(positionals, []);
    const format = oneOf(flags.format, FORMATS, '--format');
    if (format === undefined) throw new UsageError(`--format is required: ${FORMATS.join(', ')}`);
    if (flags.out === undefined || flags.out === '') throw new UsageError('--out DIR is required');
    const dir = resolve(flags.out);
    const options = monitorOptionsFrom(flags, io);
    const what = format === 'evidence' ? 'evidence files' : 'records';
    const result = await withMonitor(options, (service) =>
      service.exports.write({ format, dir }, (written) => {
        if (written % PROGRESS_EVERY === 0) io.stderr.write(`exported ${written} ${what}\n`);
      }),
    );
    const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
    io.stderr.write(`exported ${result.files.length} file(s), ${bytes} bytes into ${dir}\n`);
    io.stdout.write(`${result.manifest}\n`);
    return EXIT.OK;
  },
};
