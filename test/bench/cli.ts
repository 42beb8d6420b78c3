// `vigil --help` as a user starts it: the built CLI (out/main/vigil.js, from `npm run build`) in
// a fresh Node process, wall time of the whole process, the median of 10 runs.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { atMost, median, type MeasureLine } from './measure';

const BUILT = join(import.meta.dirname, '../../out/main/vigil.js');

export function measureCliStartup(runs = 10): MeasureLine {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, [BUILT, '--help'], { encoding: 'utf8' });
    times.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`vigil --help failed (run npm run build): ${run.stderr}`);
  }
  return atMost('cli --help (built, median of 10 processes)', median(times), 'ms', 300, {
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  });
}
