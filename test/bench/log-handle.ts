// The parent's side of log-process.ts, and the helper that starts any TypeScript child.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LogConfig {
  readonly v1Entries: number;
  readonly v2Entries: number;
  /** The workload's 15% look-alike entries (see workload.ts); default none. */
  readonly lookAlikes?: boolean;
}

export interface LogReady {
  readonly type: 'ready';
  /** Rekor v1 base URL. */
  readonly url: string;
  /** Rekor v2 (tlog-tiles) prefix URL. */
  readonly v2Url: string;
  readonly trustedRootFile: string;
  /** Watched signings planted in each log. */
  readonly plantedV1: number;
  readonly plantedV2: number;
}

export type LogCommand = { readonly type: 'latency'; readonly delayMs: number };

export interface LogProcess extends LogReady {
  /** Delays every later request by `delayMs` (0: none), as a distant log would. */
  setLatency(delayMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Forks `file` (a .ts module next to this one) under tsx, with an IPC channel. */
export function forkTs(file: string, args: readonly string[]): ChildProcess {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return fork(path, [...args], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
}

/** Starts the fake log in its own process, filled with the benchmark workload. */
export async function startLogProcess(config: LogConfig): Promise<LogProcess> {
  const child = forkTs('./log-process.ts', [JSON.stringify(config)]);
  const ready = await new Promise<LogReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as LogReady));
    child.once('exit', (code) => reject(new Error(`log process exited with ${code}`)));
  });
  const ask = (command: LogCommand) =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send(command);
    });
  return {
    ...ready,
    setLatency: (delayMs) => ask({ type: 'latency', delayMs }),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
