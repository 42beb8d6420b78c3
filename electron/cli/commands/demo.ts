// `vigil demo`: Vigil at work in one offline command. Simulated Rekor v1 and v2 logs on
// 127.0.0.1 (electron/demo), a sample watchlist with expectations, signing activity every few
// seconds, the monitor following both logs, and the user interface in the browser.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { parseDurationMs } from '../../monitor/jobs/start-index';
import { parseWatchlist } from '../../core/watch/watchlist';
import { startDemoLog } from '../../demo/demo-log';
import { DEMO_WATCHLIST_YAML, DemoPlayer } from '../../demo/scenario';
import { monitorOptionsFrom, withMonitor } from '../monitor-flags';
import { serveInterface, portFrom } from '../serve-interface';

const USAGE = `Usage: vigil demo [--port N] [--open] [--data-dir DIR] [--tick DURATION]

Shows Vigil at work, offline, with nothing to configure. Starts a simulated Rekor v1 log and a
Rekor v2 log on 127.0.0.1, watches them with a sample watchlist (acme/widget releases from
release.yml on v* tags; the e-mail maintainer@acme.example), plays signing activity into them
(mostly strangers, some expected releases, a look-alike repository, and within 30 seconds a
signing acme/widget's expectations do not allow), and serves the user interface.

Options:
  --port N              port for the user interface (default: any free port)
  --open                open the interface in the default browser
  --data-dir DIR        keep the demo's state here (default: a temporary folder, deleted on exit)
  --tick DURATION       time between bursts of activity and monitoring passes (default 3s)

Runs until interrupted (Ctrl-C). Nothing leaves this machine.`;

const FLAGS = {
  port: 'string',
  open: 'boolean',
  'data-dir': 'string',
  tick: 'string',
} as const;

export const demoCommand: Command = {
  path: ['demo'],
  summary: 'Try Vigil offline: simulated logs, a sample watchlist, live signings',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const port = portFrom(flags.port);
    const tickMs = flags.tick === undefined ? 3000 : parseDurationMs(flags.tick);
    if (tickMs === undefined) {
      throw new UsageError(`--tick ${flags.tick}: want a duration of at least 1s, e.g. 3s`);
    }
    const temporary = flags['data-dir'] === undefined;
    const dataDir = flags['data-dir'] ?? mkdtempSync(join(tmpdir(), 'vigil-demo-'));
    mkdirSync(dataDir, { recursive: true });
    const signal = io.signal ?? new AbortController().signal;
    const nowS = () => Math.floor(Date.now() / 1000);
    const demo = await startDemoLog(dataDir, nowS);
    const player = new DemoPlayer(demo.log, demo.ca, nowS);
    let timer: NodeJS.Timeout | undefined;
    try {
      const options = monitorOptionsFrom(
        { 'data-dir': dataDir, 'trusted-root': demo.trustedRootPath },
        io,
      );
      return await withMonitor(options, async (service) => {
        service.watchlist.replace(parseWatchlist(DEMO_WATCHLIST_YAML).watches);
        io.stderr.write(
          `Vigil demo: simulated logs at ${demo.log.url} (Rekor v1) and ${demo.log.url}/v2 (Rekor v2),\n` +
            `watching acme/widget and maintainer@acme.example; state in ${dataDir}${temporary ? ' (deleted on exit)' : ''}.\n`,
        );
        service.on((e) => {
          if (e.type === 'match') {
            io.stderr.write(
              `Vigil: ${e.classification.toUpperCase()} ${e.watch} at ${e.origin} #${e.logIndex}\n`,
            );
          }
        });
        timer = setInterval(() => {
          for (const p of player.tick()) {
            io.stderr.write(`demo: signed ${p.description} (${p.log} #${p.logIndex})\n`);
          }
        }, tickMs);
        await serveInterface(service, io, {
          port,
          signal,
          monitorIntervalMs: tickMs,
          ...(flags.open && { onListening: (url: string) => openBrowser(url, io) }),
        });
        return EXIT.OK;
      });
    } finally {
      clearInterval(timer);
      await demo.log.close();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/** Opens `url` with the platform's opener; a failure is reported, never fatal. */
function openBrowser(url: string, io: CliIo): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  try {
    const child = spawn(command as string, args, { stdio: 'ignore', detached: true });
    child.on('error', (err) => io.stderr.write(`demo: cannot open a browser: ${err.message}\n`));
    child.unref();
  } catch (err) {
    io.stderr.write(`demo: cannot open a browser: ${String(err)}\n`);
  }
}
