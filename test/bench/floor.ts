// The floor a Rekor v2 scan is compared with: fetch + SHA-256 of the same entry bundles.
import { hashLeaf } from '../../electron/core/tlog/merkle';
import { TILE_WIDTH, entryBundlePath, splitEntryBundle } from '../../electron/core/tlog/tiles';
import { createHttpClient } from '../../electron/monitor/logs/http';

export interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly matches?: number;
}

/**
 * The floor: every entry bundle of the log fetched with the same HTTP client and concurrency,
 * split, and every entry's leaf hash computed with the pipeline's own hashLeaf (the fastest
 * SHA-256 here, so the floor is not slowed to flatter the ratio). No tiles, no proofs, no
 * parsing, no database.
 */
export async function runFloor(
  prefixUrl: string,
  entries: number,
  concurrency: number,
): Promise<Run> {
  const http = createHttpClient({});
  const bundles = Math.ceil(entries / TILE_WIDTH);
  let next = 0;
  let hashed = 0;
  const worker = async () => {
    while (next < bundles) {
      const n = next++;
      const width = Math.min(TILE_WIDTH, entries - n * TILE_WIDTH);
      const bytes = await http.get(`${prefixUrl}/${entryBundlePath(n, width)}`);
      for (const entry of splitEntryBundle(bytes)) {
        hashLeaf(entry);
        hashed++;
      }
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (hashed !== entries) throw new Error(`floor hashed ${hashed} entries, want ${entries}`);
  return { seconds, cpuSeconds: cpuSecondsSince(cpuBefore) };
}

/** User + system CPU time of this process since `before`, in seconds. */
export function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}
