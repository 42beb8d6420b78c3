// Child process: the full scan pipeline against the fake log (in its own process) over loopback
// HTTP. A real MonitorService with a SQLite file and the workload's watchlist runs runLog from
// index 0 as `vigil run` does (matching on its worker thread): every entry fetched, proven in
// the verified tree, matched, every batch committed.
// Rekor v2 also runs the floor (fetch the same entry bundles, SHA-256 every entry, nothing else),
// in rounds of scan then floor, and reports the process's peak RSS over the first scan; Rekor v1
// runs once, with latency injected on every request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWatchlist } from '../../electron/core/watch/watchlist';
import { MonitorService } from '../../electron/monitor/service';
import { MATCH_WORKER } from '../../electron/cli/monitor-flags';
import { cpuSecondsSince, runFloor, type Run } from './floor';
import { startLogProcess, type LogProcess } from './log-handle';
import { atLeast, atMost, report } from './measure';
import { WATCHLIST_YAML } from './workload';

export interface ScanConfig {
  readonly api: 1 | 2;
  readonly entries: number;
  readonly concurrency: number;
  /** Added to every request once the log is filled (Rekor v1 measure). */
  readonly latencyMs: number;
}

/** Rekor v2 scan-then-floor rounds; the median round is reported. */
const V2_ROUNDS = 3;

const config = JSON.parse(process.argv[2] ?? '{}') as ScanConfig;
const log = await startLogProcess({
  v1Entries: config.api === 1 ? config.entries : 0,
  v2Entries: config.api === 2 ? config.entries : 0,
});
try {
  await log.setLatency(config.latencyMs);
  if (config.api === 2) {
    // Rounds of the scan then the floor, each scan from a fresh data dir: this machine's speed
    // drifts by tens of percent between runs, so each round's ratio compares runs seconds
    // apart, and the median round is reported (every round is in the line).
    const rounds: { pipeline: Run; floor: Run; ratio: number }[] = [];
    let peakRssMb = 0;
    for (let round = 0; round < V2_ROUNDS; round++) {
      const pipeline = await runPipeline(log);
      // The first scan's peak: a fresh process scanning 1M entries (read before the floor).
      if (round === 0) peakRssMb = process.resourceUsage().maxRSS / 1024;
      const floor = await runFloor(log.v2Url, config.entries, config.concurrency);
      rounds.push({ pipeline, floor, ratio: pipeline.seconds / floor.seconds });
    }
    const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[rounds.length >> 1]!;
    const context = { entries: config.entries, concurrency: config.concurrency };
    report(
      atLeast('v2 scan', config.entries / mid.pipeline.seconds, 'entries/s', 20_000, {
        ...context,
        seconds: mid.pipeline.seconds,
        cpuSeconds: mid.pipeline.cpuSeconds,
        matches: mid.pipeline.matches,
      }),
    );
    report(
      atMost('v2 scan vs floor', mid.ratio, 'x floor', 3, {
        ...context,
        floorEntriesPerSecond: Math.round(config.entries / mid.floor.seconds),
        floorSeconds: mid.floor.seconds,
        floorCpuSeconds: mid.floor.cpuSeconds,
        rounds: rounds.map((r) => ({
          ratio: Math.round(r.ratio * 1000) / 1000,
          seconds: Math.round(r.pipeline.seconds * 1000) / 1000,
          floorSeconds: Math.round(r.floor.seconds * 1000) / 1000,
        })),
      }),
    );
    report(atMost('peak RSS (v2 scan)', peakRssMb, 'MB', 250, { entries: config.entries }));
  } else {
    const pipeline = await runPipeline(log);
    report(
      atLeast('v1 scan', config.entries / pipeline.seconds, 'entries/s', 2_000, {
        entries: config.entries,
        latencyMs: config.latencyMs,
        concurrency: config.concurrency,
        seconds: pipeline.seconds,
        cpuSeconds: pipeline.cpuSeconds,
        matches: pipeline.matches,
      }),
    );
  }
} finally {
  await log.close();
}

/** Scans the whole log with MonitorService.runLog; throws unless it scanned everything cleanly. */
async function runPipeline(log: LogProcess): Promise<Run & { matches: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-scan-'));
  const url = config.api === 2 ? log.v2Url : log.url;
  const service = MonitorService.open({
    dataDir,
    trust: { trustedRootFile: log.trustedRootFile },
    logs: [{ url, apiVersion: config.api }],
    concurrency: config.concurrency,
    // As `vigil run` scans: entries matched on a worker thread.
    matchWorker: MATCH_WORKER,
  });
  try {
    const { logs } = await service.monitoring.loadTrust();
    service.watchlist.replace(parseWatchlist(WATCHLIST_YAML).watches);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const reports = await service.monitoring.runLog(logs[0]!, {
      startAt: { kind: 'index', logIndex: 0 },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsSince(cpuBefore);
    const scanned = reports.reduce((sum, r) => sum + r.scanned, 0);
    const matches = reports.reduce((sum, r) => sum + r.matches.unexpected, 0);
    const want = config.api === 2 ? log.plantedV2 : log.plantedV1;
    const failed = reports.find((r) => r.error);
    if (failed) throw new Error(`scan failed: ${failed.error!.code} ${failed.error!.message}`);
    if (scanned !== config.entries || matches !== want) {
      throw new Error(
        `scanned ${scanned} with ${matches} matches, want ${config.entries} with ${want}`,
      );
    }
    return { seconds, cpuSeconds, matches };
  } finally {
    service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
