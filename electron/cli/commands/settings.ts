// `vigil settings`: list and change the user settings stored in the data dir.
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import { expectPositionals, printJson, withDataDir } from '../service-io';
import { USER_SETTINGS } from '../../monitor/usecases/settings';

const SETTING_LINES = Object.entries(USER_SETTINGS)
  .map(([key, spec]) => `  ${key}  ${spec.summary}`)
  .join('\n');

const LIST_USAGE = `Usage: vigil settings list [--data-dir DIR] [--json]

Prints every setting and its value.

Options:
${DATA_DIR_USAGE}
  --json                print one JSON object

Settings:
${SETTING_LINES}`;

const SET_USAGE = `Usage: vigil settings set KEY true|false [--data-dir DIR]

Changes one setting (the change is recorded in the audit log).

Options:
${DATA_DIR_USAGE}

Settings:
${SETTING_LINES}`;

export const settingsListCommand: Command = {
  path: ['settings', 'list'],
  summary: 'Show the settings',
  usage: LIST_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, { ...DATA_DIR_FLAGS, json: 'boolean' });
    expectPositionals(positionals, []);
    return withDataDir(flags, io, (service) => {
      const settings = service.settings.list();
      if (flags.json) printJson(io, settings);
      else
        for (const [key, value] of Object.entries(settings)) io.stdout.write(`${key} = ${value}\n`);
      return EXIT.OK;
    });
  },
};

export const settingsSetCommand: Command = {
  path: ['settings', 'set'],
  summary: 'Change a setting',
  usage: SET_USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, DATA_DIR_FLAGS);
    const [key, text] = expectPositionals(positionals, ['KEY', 'VALUE']);
    if (!Object.hasOwn(USER_SETTINGS, key!)) {
      throw new UsageError(
        `unknown setting ${key}; known: ${Object.keys(USER_SETTINGS).join(', ')}`,
      );
    }
    if (text !== 'true' && text !== 'false') throw new UsageError(`${key} takes true or false`);
    return withDataDir(flags, io, (service) => {
      service.settings.set(key!, text === 'true');
      return EXIT.OK;
    });
  },
};
