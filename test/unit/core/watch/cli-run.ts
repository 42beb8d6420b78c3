// Runs `vigil` through main() with in-memory streams, and turns real entries into the
// TransparencyLogEntry JSON lines that `vigil inspect` and `vigil match` read.
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../../../electron/cli/command';
import { main } from '../../../../electron/cli/main';
import type { RealEntry } from './realdata';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON Lines. */
  readonly lines: Record<string, unknown>[];
}

export async function runVigil(args: readonly string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const io: CliIo = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([Buffer.from(stdin)]),
    env: {},
  };
  const code = await main(args, io);
  const lines = stdout.trim().startsWith('{')
    ? stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
  return { code, stdout, stderr, lines };
}

/** A real entry as one protobuf-JSON TransparencyLogEntry line (no proofs: not needed here). */
export function toTransparencyLogEntryLine(entry: RealEntry): string {
  return JSON.stringify({
    logIndex: String(entry.logIndex),
    logId: { keyId: Buffer.from(entry.logIdHex, 'hex').toString('base64') },
    kindVersion: { kind: entry.kind, version: entry.kindApiVersion },
    integratedTime: String(entry.integratedTime),
    canonicalizedBody: entry.bodyB64,
  });
}
