// Runs `vigil` as this process: its arguments, standard streams and environment, with Ctrl-C /
// SIGTERM asking long-running commands (vigil run, vigil serve) to finish cleanly; a second
// signal exits at once. Shared by the built CLI (vigil.ts) and the source launcher (vigil.mjs).
import type { CliRuntime } from './command';
import { main } from './main';

export async function runProcess(runtime?: CliRuntime): Promise<void> {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
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
    ...(runtime && { runtime }),
  });
  // Nothing may keep a finished command alive (pooled sockets, library timers); flush the
  // standard streams first so piped output is never cut short.
  await Promise.all(
    [process.stdout, process.stderr].map((s) => new Promise((r) => s.write('', r))),
  );
  process.exit();
}
