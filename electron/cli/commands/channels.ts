// `vigil channels add|list|remove|enable|disable|test`: where alerts are sent. Channel configs
// name secrets; the CLI reads their values from VIGIL_SECRET_<NAME> environment variables.
import type { ChannelKind, ChannelView, JsonValue } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { InputError } from '../../core/errors';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import {
  expectPositionals,
  oneOf,
  printJson,
  safe,
  secretEnvName,
  withDataDir,
} from '../service-io';

const SECRETS_NOTE = `Secrets are never stored in the data dir. The CLI reads secret NAME from the environment
variable VIGIL_SECRET_<NAME> (upper-cased, other characters than A-Z 0-9 as _): --secret
hook-key is read from VIGIL_SECRET_HOOK_KEY. The app reads them from the OS keychain.`;

const ADD_USAGE = `Usage: vigil channels add NAME --kind desktop|webhook|slack|github-issue [options]
                           [--data-dir DIR] [--json]

Adds an alert channel called NAME (1-64 of A-Z a-z 0-9 . _ -), enabled. Every new alert is
delivered to every enabled channel at least once, retried with backoff; a channel that keeps
failing is disabled, saying why.

Kinds and their options:
  desktop               an OS notification; no options
  webhook               POSTs the alert as JSON to --url URL; with --secret NAME the body is
                        signed: header X-Vigil-Signature-256: sha256=<HMAC-SHA256 hex>
  slack                 posts to the Slack incoming webhook whose URL is in secret --secret NAME
                        (the URL is a credential, so it is never given on the command line)
  github-issue          opens an issue in --repo OWNER/REPO with the token in secret
                        --token-secret NAME; --api-url URL for GitHub Enterprise;
                        --label LABEL (repeatable, default "vigil")

${SECRETS_NOTE}

Exit codes: 0 added, 1 a channel with that name exists or the data dir cannot be opened,
2 usage error (including an invalid URL, repository or secret name).`;

const LIST_USAGE = `Usage: vigil channels list [--data-dir DIR] [--json]

Lists the alert channels with their settings (secret names, never values) and health.

Options:
${DATA_DIR_USAGE}
  --json                one JSON object per channel and line: name, kind, enabled, settings,
                        consecutiveFailures, disabledReason, configProblem`;

const REMOVE_USAGE = `Usage: vigil channels remove NAME [--data-dir DIR]

Removes channel NAME and the alerts still waiting to be delivered to it.

Options:
${DATA_DIR_USAGE}`;

const ENABLE_USAGE = `Usage: vigil channels enable NAME [--data-dir DIR]

Enables channel NAME (also one disabled after repeated failures) and resets its failure count;
alerts waiting for it are delivered by the next run.

Options:
${DATA_DIR_USAGE}`;

const DISABLE_USAGE = `Usage: vigil channels disable NAME [--data-dir DIR]

Disables channel NAME. Alerts raised meanwhile wait and are delivered once it is enabled again.

Options:
${DATA_DIR_USAGE}`;

const TEST_USAGE = `Usage: vigil channels test NAME [--data-dir DIR]

Sends a test alert through channel NAME now (also when it is disabled), reading its secrets
from the environment, and reports whether it was delivered. Records nothing.

${SECRETS_NOTE}

Exit codes: 0 delivered, 1 not delivered (the reason is printed), 2 usage error.`;

const KINDS: readonly ChannelKind[] = ['desktop', 'webhook', 'slack', 'github-issue'];

const ADD_FLAGS = {
  ...DATA_DIR_FLAGS,
  kind: 'string',
  url: 'string',
  secret: 'string',
  repo: 'string',
  'token-secret': 'string',
  'api-url': 'string',
  label: 'multi',
  json: 'boolean',
} as const;

/** Which options each kind takes (`--kind` and the data dir aside). */
const KIND_OPTIONS: Readonly<Record<ChannelKind, readonly string[]>> = {
  desktop: [],
  webhook: ['url', 'secret'],
  slack: ['secret'],
  'github-issue': ['repo', 'token-secret', 'api-url', 'label'],
};

export const channelsAddCommand: Command = {
  path: ['channels', 'add'],
  summary: 'Add an alert channel (desktop, webhook, Slack, GitHub issue)',
  usage: ADD_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, ADD_FLAGS);
    const [name] = expectPositionals(positionals, ['NAME']);
    const kind = oneOf(flags.kind, KINDS, '--kind');
    if (kind === undefined) throw new UsageError(`--kind is required: ${KINDS.join(', ')}`);
    for (const option of ['url', 'secret', 'repo', 'token-secret', 'api-url', 'label'] as const) {
      if (flags[option] !== undefined && !KIND_OPTIONS[kind].includes(option)) {
        throw new UsageError(
          kind === 'slack' && option === 'url'
            ? 'a Slack webhook URL is a credential: put it in VIGIL_SECRET_<NAME> and give --secret NAME'
            : `--${option} does not apply to a ${kind} channel`,
        );
      }
    }
    const config: { [key: string]: JsonValue } = {
      ...(flags.url !== undefined && { url: flags.url }),
      ...(flags.secret !== undefined && {
        [kind === 'slack' ? 'urlSecret' : 'secretName']: flags.secret,
      }),
      ...(flags.repo !== undefined && { repo: flags.repo }),
      ...(flags['token-secret'] !== undefined && { tokenSecret: flags['token-secret'] }),
      ...(flags['api-url'] !== undefined && { apiUrl: flags['api-url'] }),
      ...(flags.label !== undefined && { labels: flags.label }),
    };
    const view = await withDataDir(flags, io, (service) => {
      try {
        return service.channels.add({ name: name!, kind, config });
      } catch (err) {
        // The config came from flags: an invalid one is a usage error.
        if (err instanceof InputError && err.code === 'CONFIG_INVALID') {
          throw new UsageError(err.message);
        }
        throw err;
      }
    });
    if (flags.json) {
      printJson(io, view);
      return EXIT.OK;
    }
    io.stdout.write(`added ${describeChannel(view)}\n`);
    for (const secret of secretNames(view)) {
      io.stderr.write(`secret "${secret}" is read from ${secretEnvName(secret)}\n`);
    }
    return EXIT.OK;
  },
};

export const channelsListCommand: Command = {
  path: ['channels', 'list'],
  summary: 'List the alert channels and their health',
  usage: LIST_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, { ...DATA_DIR_FLAGS, json: 'boolean' });
    expectPositionals(positionals, []);
    const channels = await withDataDir(flags, io, (service) => service.channels.list());
    for (const c of channels) {
      if (flags.json) printJson(io, c);
      else io.stdout.write(`${describeChannel(c)}\n`);
    }
    if (!flags.json && channels.length === 0) io.stderr.write('no channels\n');
    return EXIT.OK;
  },
};

export const channelsRemoveCommand: Command = {
  path: ['channels', 'remove'],
  summary: 'Remove an alert channel',
  usage: REMOVE_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [name] = expectPositionals(positionals, ['NAME']);
    await withDataDir(flags, io, (service) => service.channels.remove(name!));
    io.stdout.write(`removed channel ${safe(name!)}\n`);
    return EXIT.OK;
  },
};

export const channelsEnableCommand: Command = {
  path: ['channels', 'enable'],
  summary: 'Enable an alert channel',
  usage: ENABLE_USAGE,
  run: (args, io) => setEnabled(args, io, true),
};

export const channelsDisableCommand: Command = {
  path: ['channels', 'disable'],
  summary: 'Disable an alert channel',
  usage: DISABLE_USAGE,
  run: (args, io) => setEnabled(args, io, false),
};

export const channelsTestCommand: Command = {
  path: ['channels', 'test'],
  summary: 'Send a test alert through a channel',
  usage: TEST_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [name] = expectPositionals(positionals, ['NAME']);
    await withDataDir(flags, io, (service) => service.channels.test(name!));
    io.stdout.write(`test alert delivered through ${safe(name!)}\n`);
    return EXIT.OK;
  },
};

async function setEnabled(args: readonly string[], io: CliIo, enabled: boolean): Promise<number> {
  const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
  const [name] = expectPositionals(positionals, ['NAME']);
  const view = await withDataDir(flags, io, (service) =>
    service.channels.setEnabled(name!, enabled),
  );
  io.stdout.write(`${enabled ? 'enabled' : 'disabled'} ${describeChannel(view)}\n`);
  return EXIT.OK;
}

/** `NAME (kind; where; state)`: settings name secrets only. */
function describeChannel(c: ChannelView): string {
  const s = c.settings;
  const where = [
    ...(s.url ? [`to ${safe(s.url)}`] : []),
    ...(s.repo ? [`issues in ${safe(s.repo)}`] : []),
    ...(s.apiUrl ? [`via ${safe(s.apiUrl)}`] : []),
    ...secretNames(c).map((n) => `secret ${safe(n)}`),
  ];
  const state = c.enabled
    ? `enabled${c.consecutiveFailures > 0 ? `, ${c.consecutiveFailures} failure(s) in a row` : ''}`
    : `disabled${c.disabledReason ? `: ${safe(c.disabledReason, 300)}` : ''}`;
  const problem = c.configProblem ? [`CONFIG INVALID: ${safe(c.configProblem, 300)}`] : [];
  return `${safe(c.name)} (${[c.kind, ...where, state, ...problem].join('; ')})`;
}

function secretNames(c: ChannelView): string[] {
  const s = c.settings;
  return [s.secretName, s.urlSecret, s.tokenSecret].filter((n): n is string => n !== undefined);
}
