// Runs `vigil` through main() with in-memory streams, and turns real entries into the
// TransparencyLogEntry JSON lines that `vigil inspect` and `vigil match` read.
import { jsonLines, runCli } from '../../../support/cli';
import type { RealEntry } from './realdata';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON Lines. */
  readonly lines: Record<string, unknown>[];
}

export async function runVigil(args: readonly string[], stdin = ''): Promise<CliRun> {
  const result = await runCli(args, { stdin });
  const lines = result.stdout.trim().startsWith('{') ? jsonLines(result.stdout) : [];
  return { ...result, lines };
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
