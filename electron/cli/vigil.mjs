#!/usr/bin/env node
// Launcher for the `vigil` command: runs the TypeScript sources directly through tsx, so
// `npm install` needs no build step and the CLI always matches the checked-out code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');

// Ctrl-C / SIGTERM ask long-running commands (vigil run, vigil serve) to finish cleanly; a
// second signal exits at once.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: controller.signal,
});
// Nothing may keep a finished command alive (pooled sockets, library timers); flush the
// standard streams first so piped output is never cut short.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))));
process.exit();
