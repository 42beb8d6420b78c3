// The shape every `vigil` subcommand has, and the exit codes they share.
import type { Readable, Writable } from 'node:stream';

/** Exit codes, the same for every command (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  OPERATIONAL: 1,
  USAGE: 2,
  UNEXPECTED_SIGNING: 3,
  VERIFICATION_FAILED: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Standard streams and environment, passed in so commands can be tested without a process. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Signal that asks a long-running command to stop (SIGINT/SIGTERM in the real CLI). */
  readonly signal?: AbortSignal;
  /** Where the built files sit; absent when running from the TypeScript sources. */
  readonly runtime?: CliRuntime;
}

/**
 * Files the CLI loads beside its own code. The built CLI (out/main/vigil.js) finds them next to
 * itself; run from the sources (tests, `electron/cli/vigil.mjs`) they are found from the sources.
 */
export interface CliRuntime {
  /** The matching worker thread's module (see MatchWorker). */
  readonly matchWorker: URL;
  /** The built renderer `vigil serve` serves. */
  readonly rendererDir: string;
}

export interface Command {
  /** Words that select the command, e.g. ['verify'] or ['watchlist', 'check']. */
  readonly path: readonly string[];
  /** One line for `vigil --help`. */
  readonly summary: string;
  /** Full usage text for `vigil <command> --help`. */
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by argument parsing; main prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
