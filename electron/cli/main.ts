// `vigil` entry point: dispatches to a subcommand and turns failures into exit codes.
import { EXIT, UsageError, type CliIo, type Command } from './command';
import { COMMANDS } from './commands/index';
import { AppError } from '../core/errors';
import { VIGIL_VERSION } from '../monitor/version';

export const VERSION: string = VIGIL_VERSION;

function helpText(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length), 8);
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    `vigil ${VERSION}: watch Sigstore's Rekor logs for signings under your identities`,
    '',
    'Usage: vigil <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run `vigil <command> --help` for a command's options.",
    'Exit codes: 0 clean, 1 operational error, 2 usage error, 3 unexpected signing, 4 verification failure.',
    '',
  ].join('\n');
}

/** Finds the command whose path is the longest prefix of `args`. */
function findCommand(
  commands: readonly Command[],
  args: readonly string[],
): { command: Command; rest: readonly string[] } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (
      c.path.every((word, i) => args[i] === word) &&
      (!best || c.path.length > best.path.length)
    ) {
      best = c;
    }
  }
  return best ? { command: best, rest: args.slice(best.path.length) } : undefined;
}

export async function main(
  args: readonly string[],
  io: CliIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    (args.length === 0 ? io.stderr : io.stdout).write(helpText(commands));
    return args.length === 0 ? EXIT.USAGE : EXIT.OK;
  }
  if (args[0] === '--version' || args[0] === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.OK;
  }
  const found = findCommand(commands, args);
  if (!found) {
    io.stderr.write(`vigil: unknown command "${args.join(' ')}"\n\n${helpText(commands)}`);
    return EXIT.USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`vigil ${command.path.join(' ')}: ${err.message}\n\n${command.usage}\n`);
      return EXIT.USAGE;
    }
    if (err instanceof AppError) {
      io.stderr.write(`vigil ${command.path.join(' ')}: ${err.code}: ${err.message}\n`);
      return EXIT.OPERATIONAL;
    }
    io.stderr.write(
      `vigil ${command.path.join(' ')}: INTERNAL: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return EXIT.OPERATIONAL;
  }
}
