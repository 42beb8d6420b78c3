// `npm run bench`: the engine's benchmarks (issue "The monitor engine" §8, issue 8 §4 for
// look-alike certificates and the whole `vigil run --once` process, and issue 11's first paint
// of Alerts and the timeline in Chromium), one JSON line per measure on stdout, the machine
// first. Heavy measures run in child processes, so that one's heap and peak RSS do not leak
// into another's; the fake log always runs in its own process.
// BENCH_SCALE (default 1) scales the entry and row counts down (e.g. 0.1) for a quick run.
import { cpus, loadavg, totalmem } from 'node:os';
import { forkTs } from './log-handle';
import { benchScale, scaled, type MeasureLine, type MeasureMessage } from './measure';
import type { ScanConfig } from './scan';
import type { StoreConfig } from './store';
import type { FirstPaintConfig } from './first-paint';
import { measureLookAlikes } from './look-alike';
import type { RunOnceConfig } from './run-once';
import { measureCheckpointVerify } from './tlog';
import { measureCliStartup } from './cli';

/** Rekor v1 retrieve calls in flight: 50 ms per call and 10 entries each need more than 8. */
const V1_CONCURRENCY = 32;
const V2_CONCURRENCY = 8;

console.log(
  JSON.stringify({
    machine: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    scale: benchScale(),
  }),
);

const lines: MeasureLine[] = [];
const print = (line: MeasureLine) => {
  lines.push(line);
  console.log(JSON.stringify(line));
};

await child('./scan.ts', {
  api: 2,
  entries: scaled(1_000_000),
  concurrency: V2_CONCURRENCY,
  latencyMs: 0,
} satisfies ScanConfig);
await child('./scan.ts', {
  api: 1,
  entries: scaled(20_000),
  concurrency: V1_CONCURRENCY,
  latencyMs: 50,
} satisfies ScanConfig);
print(measureLookAlikes(31));
await child('./run-once.ts', { entries: scaled(150_000), rounds: 3 } satisfies RunOnceConfig);
print(measureCheckpointVerify(scaled(1 << 20), 301));
await child('./store.ts', { matches: scaled(1_000_000) } satisfies StoreConfig);
await child('./first-paint.ts', {
  matches: scaled(1_000_000),
  alerts: scaled(10_000, 100),
  rounds: 5,
} satisfies FirstPaintConfig);
print(measureCliStartup());

process.exitCode = lines.every((l) => l.pass) ? 0 : 1;

/** Runs a measuring child process and prints the lines it reports. */
function child(file: string, config: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = forkTs(file, [JSON.stringify(config)]);
    proc.on('message', (m: MeasureMessage) => {
      if (m.type === 'measure') print(m.line);
    });
    proc.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}`)),
    );
  });
}
