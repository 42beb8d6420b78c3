// `vigil serve`: the app's user interface in a browser, on this machine only, over the same
// engine and data dir; optionally monitoring in the same process.
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import {
  DATA_DIR_FLAGS,
  DATA_DIR_USAGE,
  TRUST_FLAGS,
  TRUST_USAGE,
  intervalFrom,
  monitorOptionsFrom,
  withMonitor,
} from '../monitor-flags';
import { portFrom, serveInterface } from '../serve-interface';

const USAGE = `Usage: vigil serve [--port N] [--data-dir DIR] [trust and log options] [--no-monitor]
                   [--interval DURATION]

Serves Vigil's user interface (overview, alerts, matches, watchlist, channels, audit timeline)
to a browser on this machine, and by default monitors the logs in the same process.

It listens on 127.0.0.1 only and prints a URL holding a random token made for this run: only
a browser given that URL can use it, and the token changes every time serve starts.

Options:
  --port N              port to listen on (default: any free port)
${DATA_DIR_USAGE}
${TRUST_USAGE}
  --no-monitor          serve the data dir without monitoring (another vigil run or the app
                        may be monitoring it)
  --interval DURATION   time between monitoring passes (default 5m)

Runs until interrupted (Ctrl-C). Build the interface first with \`npm run build\`.`;

const FLAGS = {
  port: 'string',
  ...DATA_DIR_FLAGS,
  ...TRUST_FLAGS,
  'no-monitor': 'boolean',
  interval: 'string',
} as const;

export const serveCommand: Command = {
  path: ['serve'],
  summary: 'Serve the user interface to a browser on this machine',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const port = portFrom(flags.port);
    const intervalMs = intervalFrom(flags.interval);
    const options = monitorOptionsFrom(flags, io);
    const signal = io.signal ?? new AbortController().signal;

    return withMonitor(options, async (service) => {
      await serveInterface(service, io, {
        port,
        signal,
        ...(!flags['no-monitor'] && { monitorIntervalMs: intervalMs }),
      });
      return EXIT.OK;
    });
  },
};
