// Runs `vigil` in this process through main(), with in-memory standard streams: how every CLI
// test drives the commands (a real child process is only needed to test signals and crashes).
import { PassThrough, Readable } from 'node:stream';
import type { CliIo } from '../../electron/cli/command';
import { main } from '../../electron/cli/main';

export interface CliOptions {
  /** The environment (default empty); VIGIL_DATA_DIR is set to a path that does not exist. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** What the command reads on stdin. */
  readonly stdin?: string;
  /** Stops a long-running command, as Ctrl-C does. */
  readonly signal?: AbortSignal;
  /** Sees each complete stdout line as it is written. */
  readonly onLine?: (line: string) => void;
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => {
    const before = out.lastIndexOf('\n') + 1;
    out += c.toString('utf8');
    const complete = out.slice(before, out.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n').filter(Boolean)) options.onLine?.(line);
  });
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    // Every test passes --data-dir; a default would be the developer's own.
    env: { VIGIL_DATA_DIR: '/nonexistent/vigil', ...options.env },
    ...(options.signal && { signal: options.signal }),
  };
  const code = await main([...args], io);
  return { code, stdout: out, stderr: err };
}

/** stdout as JSON Lines; throws (failing the test) on a line that is not a JSON object. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`not a JSON object line: ${line}`);
      }
      return value as Record<string, unknown>;
    });
}
