// `vigil watch add|list|remove|import|export`: edit the stored watchlist (the one `vigil run` and
// the app monitor with). `vigil watchlist check` validates a file without touching it.
import type { WatchItem, WatchView } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { WatchlistError } from '../../core/watch/watchlist';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import { expectPositionals, printJson, safe, withDataDir } from '../service-io';
import { readWatchlistText } from './watchlist';

const ADD_USAGE = `Usage: vigil watch add (--github OWNER/REPO | --gitlab GROUP/PROJECT | --email ADDRESS |
                       --san PATTERN | --key HEX | --oid OID --value VALUE)
                      [--name NAME] [--issuer ISSUER]... [--expect-workflow PATTERN]...
                      [--expect-ref PATTERN]... [--expect-trigger TRIGGER]...
                      [--origin ORIGIN]... [--disabled] [--data-dir DIR] [--json]

Adds one watch to the stored watchlist. Give exactly one identity:

  --github OWNER/REPO     GitHub Actions workflows of this repository
  --gitlab GROUP/PROJECT  GitLab CI pipelines of this project on gitlab.com
  --email ADDRESS         certificates for this e-mail address
  --san PATTERN           any SAN matching PATTERN (exact text, a glob, or regex:...)
  --key HEX               a signing key, by SHA-256 of its SubjectPublicKeyInfo (64 hex digits)
  --oid OID --value V     a Fulcio extension (1.3.6.1.4.1.57264.1.*) with exactly this value

Options:
  --name NAME             the watch's name (default derived, e.g. github:acme/widget)
  --issuer ISSUER         email: an OIDC issuer that counts (repeatable; default any);
                          san: the issuer pattern
  --expect-workflow P     github/gitlab: a workflow path of a legitimate signing (repeatable)
  --expect-ref P          github/gitlab: a git ref of a legitimate signing, e.g. refs/tags/v*
  --expect-trigger T      github/gitlab: a build trigger of a legitimate signing, e.g. push
  --origin ORIGIN         only in this log (repeatable; default every log)
  --disabled              add it switched off
${DATA_DIR_USAGE}
  --json                  print the added watch as one JSON object

A github or gitlab watch with expectations classifies a signing that meets them as expected
(recorded, no alert); every other signing under the identity is unexpected and alerts.

Exit codes: 0 added, 1 a watch with that name exists or the data dir cannot be opened,
2 usage error (including an invalid identity or pattern).`;

const LIST_USAGE = `Usage: vigil watch list [--data-dir DIR] [--json]

Lists the stored watches by name.

Options:
${DATA_DIR_USAGE}
  --json                one JSON object per watch and line: name, kind, target, enabled,
                        item (the watch as a watchlist file holds it), createdAtMs`;

const REMOVE_USAGE = `Usage: vigil watch remove NAME [--data-dir DIR]

Removes the watch called NAME. Its recorded matches stay: they are evidence.

Options:
${DATA_DIR_USAGE}

Exit codes: 0 removed, 1 no such watch, 2 usage error.`;

const IMPORT_USAGE = `Usage: vigil watch import FILE [--merge] [--data-dir DIR]

Reads a watchlist file (YAML, or JSON when FILE ends in .json) and makes the stored watchlist
equal to it: watches not in the file are removed. With --merge, adds the file's new watches and
updates those with the same name, keeping the others. An invalid file changes nothing.

Options:
  --merge               keep stored watches the file does not name
${DATA_DIR_USAGE}

Exit codes: 0 imported, 1 unreadable or invalid file (every problem is listed), 2 usage error.`;

const EXPORT_USAGE = `Usage: vigil watch export [--json] [--data-dir DIR]

Prints the stored watchlist as a watchlist file (YAML; JSON with --json) that
\`vigil watch import\` and \`vigil run --watchlist\` read back unchanged.

Options:
  --json                JSON instead of YAML
${DATA_DIR_USAGE}`;

const ADD_FLAGS = {
  ...DATA_DIR_FLAGS,
  github: 'string',
  gitlab: 'string',
  email: 'string',
  san: 'string',
  key: 'string',
  oid: 'string',
  value: 'string',
  name: 'string',
  issuer: 'multi',
  'expect-workflow': 'multi',
  'expect-ref': 'multi',
  'expect-trigger': 'multi',
  origin: 'multi',
  disabled: 'boolean',
  json: 'boolean',
} as const;

const KIND_FLAGS = ['github', 'gitlab', 'email', 'san', 'key', 'oid'] as const;

/** Largest watchlist file read, in bytes (the service takes at most 1 Mi characters). */

export const watchAddCommand: Command = {
  path: ['watch', 'add'],
  summary: 'Add a watch (an identity to look for) to the stored watchlist',
  usage: ADD_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, ADD_FLAGS);
    expectPositionals(positionals, []);
    const item = watchItemFrom(flags);
    const view = await withDataDir(flags, io, (service) => {
      try {
        return service.watchlist.add(item);
      } catch (err) {
        // The identity and patterns came from flags: an invalid one is a usage error.
        if (err instanceof WatchlistError) throw new UsageError(err.message);
        throw err;
      }
    });
    if (flags.json) printJson(io, view);
    else io.stdout.write(`added ${describeWatch(view)}\n`);
    return EXIT.OK;
  },
};

export const watchListCommand: Command = {
  path: ['watch', 'list'],
  summary: 'List the stored watches',
  usage: LIST_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, { ...DATA_DIR_FLAGS, json: 'boolean' });
    expectPositionals(positionals, []);
    const watches = await withDataDir(flags, io, (service) => service.watchlist.list());
    for (const w of watches) {
      if (flags.json) printJson(io, w);
      else io.stdout.write(`${describeWatch(w)}\n`);
    }
    if (!flags.json && watches.length === 0) io.stderr.write('no watches\n');
    return EXIT.OK;
  },
};

export const watchRemoveCommand: Command = {
  path: ['watch', 'remove'],
  summary: 'Remove a watch from the stored watchlist',
  usage: REMOVE_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [name] = expectPositionals(positionals, ['NAME']);
    await withDataDir(flags, io, (service) => service.watchlist.remove(name!));
    io.stdout.write(`removed watch ${safe(name!)}\n`);
    return EXIT.OK;
  },
};

export const watchImportCommand: Command = {
  path: ['watch', 'import'],
  summary: 'Replace (or --merge into) the stored watchlist from a watchlist file',
  usage: IMPORT_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, { ...DATA_DIR_FLAGS, merge: 'boolean' });
    const [path] = expectPositionals(positionals, ['FILE']);
    const text = await readWatchlistText(path!);
    const format = path!.toLowerCase().endsWith('.json') ? 'json' : 'yaml';
    try {
      const change = await withDataDir(flags, io, (service) =>
        service.watchlist.import(text, format, flags.merge ? 'merge' : 'replace'),
      );
      for (const name of change.added) io.stdout.write(`added ${safe(name)}\n`);
      for (const name of change.changed) io.stdout.write(`changed ${safe(name)}\n`);
      for (const name of change.removed) io.stdout.write(`removed ${safe(name)}\n`);
      io.stderr.write(
        `watchlist: ${change.added.length} added, ${change.changed.length} changed, ${change.removed.length} removed\n`,
      );
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof WatchlistError)) throw err;
      for (const issue of err.issues) io.stderr.write(`${path}: ${safe(issue, 500)}\n`);
      io.stderr.write(`${path}: invalid, nothing imported\n`);
      return EXIT.OPERATIONAL;
    }
  },
};

export const watchExportCommand: Command = {
  path: ['watch', 'export'],
  summary: 'Print the stored watchlist as a watchlist file',
  usage: EXPORT_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, { ...DATA_DIR_FLAGS, json: 'boolean' });
    expectPositionals(positionals, []);
    const text = await withDataDir(flags, io, (service) =>
      service.watchlist.export(flags.json ? 'json' : 'yaml'),
    );
    io.stdout.write(text);
    return EXIT.OK;
  },
};

type AddFlags = ReturnType<typeof parseArgs<typeof ADD_FLAGS>>['flags'];

/** The watchlist item the flags describe; the service validates its values. */
function watchItemFrom(flags: AddFlags): WatchItem {
  const kinds = KIND_FLAGS.filter((k) => flags[k] !== undefined);
  if (kinds.length !== 1) {
    throw new UsageError(
      kinds.length === 0
        ? `give one identity: ${KIND_FLAGS.map((k) => `--${k}`).join(', ')}`
        : `give one identity, got ${kinds.map((k) => `--${k}`).join(' and ')}`,
    );
  }
  const kind = kinds[0]!;
  if ((flags.value !== undefined) !== (kind === 'oid')) {
    throw new UsageError('--oid and --value go together');
  }
  const issuers = flags.issuer ?? [];
  if (issuers.length > 0 && kind !== 'email' && kind !== 'san') {
    throw new UsageError('--issuer applies to --email and --san watches');
  }
  if (kind === 'san' && issuers.length > 1) throw new UsageError('--san takes one --issuer');
  const expect = {
    ...(flags['expect-workflow'] && { workflows: flags['expect-workflow'] }),
    ...(flags['expect-ref'] && { refs: flags['expect-ref'] }),
    ...(flags['expect-trigger'] && { triggers: flags['expect-trigger'] }),
  };
  return {
    [kind]: flags[kind],
    ...(kind === 'oid' && { value: flags.value }),
    ...(kind === 'email' && issuers.length > 0 && { issuers }),
    ...(kind === 'san' && issuers.length > 0 && { issuer: issuers[0] }),
    ...(flags.name !== undefined && { name: flags.name }),
    ...(Object.keys(expect).length > 0 && { expect }),
    ...(flags.disabled && { enabled: false }),
    ...(flags.origin && { origins: flags.origin }),
  };
}

/** `NAME (kind target; expects workflows, refs; disabled; only on ORIGINS)` */
function describeWatch(w: WatchView): string {
  const expect = w.item.expect;
  const notes = [
    `${w.kind} ${safe(w.target)}`,
    expect ? `expects ${Object.keys(expect).join(', ')}` : 'no expectations: alerts on every use',
    ...(w.enabled ? [] : ['disabled']),
    ...(w.item.origins ? [`only on ${w.item.origins.map((o) => safe(o)).join(', ')}`] : []),
  ];
  return `${safe(w.name)} (${notes.join('; ')})`;
}
