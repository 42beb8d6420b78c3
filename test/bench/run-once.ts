// Child process: whole `vigil run --once` processes (the built CLI as a user starts it: node, the
// matching worker, a fresh SQLite data dir) over a Rekor v2 log of the look-alike workload (15%
// of the entries pass the prefilter and match nothing), against the fake log in its own
// process. Each round runs the process, then the floor (fetch + SHA-256 of the same bundles,
// in this process) right after it; the median round's ratio is reported, with the peak RSS of
// the vigil process (worker included) over all rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFloor } from './floor';
import { startLogProcess, type LogProcess } from './log-handle';
import { atMost, report } from './measure';
import { WATCHLIST_YAML } from './workload';

export interface RunOnceConfig {
  readonly entries: number;
  readonly rounds: number;
}

/** vigil run's default requests in flight per log; the floor uses the same. */
const CONCURRENCY = 8;
/** The built CLI, as installed (out/main/vigil.js, from `npm run build`). */
const LAUNCHER = fileURLToPath(new URL('../../out/main/vigil.js', import.meta.url));
const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));

interface ProcessRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunOnceConfig;
const log = await startLogProcess({ v1Entries: 0, v2Entries: config.entries, lookAlikes: true });
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-run-'));
try {
  const watchlist = join(dir, 'watchlist.yaml');
  writeFileSync(watchlist, WATCHLIST_YAML);
  const rounds: { vigil: ProcessRun; floorSeconds: number; ratio: number }[] = [];
  for (let round = 0; round < config.rounds; round++) {
    const vigil = await runVigilOnce(log, watchlist, join(dir, `data-${round}`));
    const floor = await runFloor(log.v2Url, config.entries, CONCURRENCY);
    rounds.push({ vigil, floorSeconds: floor.seconds, ratio: vigil.seconds / floor.seconds });
  }
  const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[rounds.length >> 1]!;
  const context = {
    entries: config.entries,
    lookAlikeShare: 0.15,
    concurrency: CONCURRENCY,
    rounds: rounds.map((r) => ({
      ratio: Math.round(r.ratio * 1000) / 1000,
      seconds: Math.round(r.vigil.seconds * 1000) / 1000,
      cpuSeconds: Math.round(r.vigil.cpuSeconds * 1000) / 1000,
      floorSeconds: Math.round(r.floorSeconds * 1000) / 1000,
      maxRssMb: Math.round(r.vigil.maxRssMb),
    })),
  };
  report(
    atMost('vigil run --once process vs floor', mid.ratio, 'x floor', 3, {
      ...context,
      seconds: mid.vigil.seconds,
      floorSeconds: mid.floorSeconds,
      floorEntriesPerSecond: Math.round(config.entries / mid.floorSeconds),
    }),
  );
  report(
    atMost(
      'peak RSS (vigil run --once process)',
      Math.max(...rounds.map((r) => r.vigil.maxRssMb)),
      'MB',
      250,
      { entries: config.entries, what: 'ru_maxrss of the process, matching worker included' },
    ),
  );
} finally {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `vigil run --once` from index 0 over the v2 log with a fresh data dir, timed from spawn
 * to exit; throws unless it scanned every entry and reported exactly the planted signings.
 */
async function runVigilOnce(
  log: LogProcess,
  watchlist: string,
  dataDir: string,
): Promise<ProcessRun> {
  const usageFile = `${dataDir}.usage.json`;
  const args = [
    ...['--import', PEAK_RSS, LAUNCHER, 'run', '--once', '--json', '--from-index', '0'],
    ...['--data-dir', dataDir, '--trusted-root', log.trustedRootFile, '--log', log.v2Url],
    ...['--watchlist', watchlist, '--concurrency', String(CONCURRENCY)],
  ];
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env['PATH'] ?? '', VIGIL_BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const seconds = (performance.now() - started) / 1000;
  const summary = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((line) => line['type'] === 'summary') as
    { logs: { scanned: number }[]; matches: { unexpected: number } } | undefined;
  const scanned = summary?.logs.reduce((sum, l) => sum + l.scanned, 0);
  // Exit 3 when there are planted signings: unexpected uses of the watched repository.
  if (
    code !== (log.plantedV2 > 0 ? 3 : 0) ||
    scanned !== config.entries ||
    summary?.matches.unexpected !== log.plantedV2
  ) {
    throw new Error(
      `vigil run (built by npm run build) exited ${code}, scanned ${scanned} with ${summary?.matches.unexpected} ` +
        `unexpected, want ${config.entries} with ${log.plantedV2}\n${stderr}`,
    );
  }
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {
    maxRssKb: number;
    cpuSeconds: number;
  };
  return { seconds, cpuSeconds: usage.cpuSeconds, maxRssMb: usage.maxRssKb / 1024 };
}
