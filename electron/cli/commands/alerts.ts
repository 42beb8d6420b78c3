// `vigil alerts list|ack|expect|note`: the alert inbox and its triage, headless.
import type { AlertView, TriageState } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, type CliIo, type Command } from '../command';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import {
  collectPages,
  expectPositionals,
  isoTime,
  oneOf,
  parseIdArgument,
  parseLimit,
  printJson,
  safe,
  withDataDir,
} from '../service-io';

const LIST_USAGE = `Usage: vigil alerts list [--state new|acknowledged|expected] [--limit N] [--data-dir DIR]
                         [--json]

Lists alerts newest first: unexpected or untrusted signings under a watched identity, and log
misbehaviour (an inconsistent or stale log, a failed verification).

Options:
  --state S             only alerts in this triage state
  --limit N             at most N alerts (default: all)
${DATA_DIR_USAGE}
  --json                one JSON object per line: id, kind, severity, title, body, origin,
                        logIndex, watch, classification, matchId, raisedAtMs, state`;

const ACK_USAGE = `Usage: vigil alerts ack ID [--data-dir DIR]

Acknowledges alert ID ("I have seen it"); a match alert's match is acknowledged with it.

Options:
${DATA_DIR_USAGE}

Exit codes: 0 acknowledged, 1 no such alert, 2 usage error.`;

const EXPECT_USAGE = `Usage: vigil alerts expect ID [--data-dir DIR]

Marks the signing of match alert ID as legitimate, and adds its workflow, ref and trigger to
its github or gitlab watch's expectations, so the next signing like it is recorded as expected
without an alert. Prints what was added, and what could not be (an untrusted certificate
proves nothing, so nothing is learnt from it). Log alerts cannot be expected: acknowledge them.

Options:
${DATA_DIR_USAGE}

Exit codes: 0 marked, 1 no such alert or a log alert, 2 usage error.`;

const NOTE_USAGE = `Usage: vigil alerts note ID TEXT [--data-dir DIR]

Sets the note of alert ID (a match alert's is kept on its match); an empty TEXT removes it.

Options:
${DATA_DIR_USAGE}

Exit codes: 0 saved, 1 no such alert or a note over 10,000 characters, 2 usage error.`;

const STATES: readonly TriageState[] = ['new', 'acknowledged', 'expected'];

export const alertsListCommand: Command = {
  path: ['alerts', 'list'],
  summary: 'List alerts (unexpected signings, log misbehaviour)',
  usage: LIST_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, {
      ...DATA_DIR_FLAGS,
      state: 'string',
      limit: 'string',
      json: 'boolean',
    });
    expectPositionals(positionals, []);
    const state = oneOf(flags.state, STATES, '--state');
    const limit = parseLimit(flags.limit);
    const alerts = await withDataDir(flags, io, (service) =>
      collectPages(limit, (beforeId, size) => {
        const page = service.alerts.list({
          ...(state && { state }),
          ...(beforeId !== undefined && { beforeId }),
          limit: size,
        });
        return { items: page.alerts, ...(page.nextBeforeId && { next: page.nextBeforeId }) };
      }),
    );
    for (const alert of alerts) {
      if (flags.json) printJson(io, alert);
      else io.stdout.write(formatAlert(alert));
    }
    if (!flags.json && alerts.length === 0) io.stderr.write('no alerts\n');
    return EXIT.OK;
  },
};

export const alertsAckCommand: Command = {
  path: ['alerts', 'ack'],
  summary: 'Acknowledge an alert',
  usage: ACK_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [idText] = expectPositionals(positionals, ['ID']);
    const id = parseIdArgument(idText, 'alert ID');
    await withDataDir(flags, io, (service) => service.alerts.acknowledge(id));
    io.stdout.write(`alert ${id} acknowledged\n`);
    return EXIT.OK;
  },
};

export const alertsExpectCommand: Command = {
  path: ['alerts', 'expect'],
  summary: "Mark an alert's signing legitimate and teach its watch",
  usage: EXPECT_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [idText] = expectPositionals(positionals, ['ID']);
    const id = parseIdArgument(idText, 'alert ID');
    const result = await withDataDir(flags, io, (service) => service.alerts.expect(id));
    io.stdout.write(`alert ${id} marked expected\n`);
    const added = [
      ...result.added.workflows.map((v) => `workflow ${safe(v)}`),
      ...result.added.refs.map((v) => `ref ${safe(v)}`),
      ...result.added.triggers.map((v) => `trigger ${safe(v)}`),
    ];
    if (result.watch && added.length > 0) {
      io.stdout.write(`watch ${safe(result.watch.name)} now also expects ${added.join(', ')}\n`);
    }
    for (const why of result.notAdded) io.stderr.write(`note: ${safe(why, 300)}\n`);
    return EXIT.OK;
  },
};

export const alertsNoteCommand: Command = {
  path: ['alerts', 'note'],
  summary: 'Set the note of an alert',
  usage: NOTE_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [idText, text] = expectPositionals(positionals, ['ID', 'TEXT']);
    const id = parseIdArgument(idText, 'alert ID');
    const alert = await withDataDir(flags, io, (service) => service.alerts.note(id, text!));
    io.stdout.write(
      text === '' ? `note removed from alert ${alert.id}\n` : `note saved on alert ${alert.id}\n`,
    );
    return EXIT.OK;
  },
};

/** `#3 [HIGH] title (state, raised ISO)` then the body, indented. */
function formatAlert(a: AlertView): string {
  const where =
    a.origin === undefined
      ? ''
      : ` ${safe(a.origin)}${a.logIndex === undefined ? '' : ` #${a.logIndex}`}`;
  const body = a.body
    .split('\n')
    .map((line) => `  ${safe(line, 500)}\n`)
    .join('');
  const note = a.note === undefined ? '' : `  note: ${safe(a.note, 500)}\n`;
  return (
    `#${a.id} [${a.severity.toUpperCase()}] ${safe(a.title)}${where} ` +
    `(${a.state}, raised ${isoTime(a.raisedAtMs)})\n${body}${note}`
  );
}
