// `vigil serve`: the app's user interface in a browser, on this machine only, over the same
// engine and data dir; optionally monitoring in the same process.
import { fileURLToPath } from 'node:url';
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
import { exportDirUnder } from '../../web/export-dir';
import { createHandlers } from '../../web/handlers';
import { startWebBridge } from '../../web/server';

/** The renderer `npm run build` (electron-vite build) writes, seen from the sources. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

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
      const bridge = await startWebBridge({
        handlers: createHandlers(service, {
          exportDir: async (format) => exportDirUnder(service.dataDir, format, Date.now()),
        }),
        subscribe: (emit) => service.on((event) => emit('monitor:event', event)),
        rendererDir: io.runtime?.rendererDir ?? RENDERER_DIR,
        port,
        log: (err) => io.stderr.write(`serve: ${err instanceof Error ? err.stack : String(err)}\n`),
      });
      io.stdout.write(`Vigil is serving ${service.dataDir} at\n\n  ${bridge.url}\n\n`);
      io.stderr.write(
        'Only this machine can connect, and only with the token in that URL. Ctrl-C stops.\n',
      );
      try {
        if (flags['no-monitor']) await aborted(signal);
        else await service.monitoring.start({ intervalMs, signal });
      } finally {
        await bridge.close();
      }
      return EXIT.OK;
    });
  },
};

function portFrom(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port ${text}: want a port number 0..65535`);
  }
  return Number(text);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
