// `vigil run`: monitor the logs headless. Once (--once, for cron and CI) or continuously.
import type { MonitorEvent } from '../../../shared/events';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import type { TreeReport } from '../../monitor/jobs/cycle';
import { parseSince, type StartAt } from '../../monitor/jobs/start-index';
import type { RunSummary } from '../../monitor/usecases/monitoring';
import {
  DATA_DIR_FLAGS,
  DATA_DIR_USAGE,
  intervalFrom,
  TRUST_FLAGS,
  TRUST_USAGE,
  monitorOptionsFrom,
  withMonitor,
} from '../monitor-flags';
import { readWatchlistFile } from './watchlist';
import { appendFileSync } from 'node:fs';
import { stepSummary, type Finding } from '../step-summary';

const USAGE = `Usage: vigil run [--once] [--watchlist FILE] [--data-dir DIR] [trust and log options]
                 [--since DURATION|DATE | --from-index N] [--interval DURATION] [--json]

Follows every Rekor log the trust material lists: verifies each checkpoint's signature, proves
it consistent with the last verified one, scans new entries (each proven in the verified tree)
for signings under the watched identities, and raises alerts.

Options:
  --once                one pass over every log, then exit (for cron and CI)
  --watchlist FILE      replace the stored watchlist with this file (YAML, or JSON by .json)
${DATA_DIR_USAGE}
${TRUST_USAGE}
  --since DURATION|DATE backfill logs scanned for the first time from this long ago (7d, 12h,
                        90m, 2w) or this date (2026-11-01, 2026-11-01T12:00:00Z); Rekor v1 only
  --from-index N        backfill from this log index (Rekor v1: the global index)
  --interval DURATION   time between passes when running continuously (default 5m)
  --concurrency N       requests in flight per log (default 8)
  --batch-size N        entries per committed batch (default 1024 for v1, 4096 for v2)
  --json                print one JSON object per line, each with a "type"

Without --once, runs until interrupted (Ctrl-C), then prints a summary.

Exit codes (--once): 0 clean; 1 operational error (a log unreachable, or still serving
malformed or cut responses after retries; the watchlist, trust or data dir unusable); 2 usage
error; 3 new unexpected or untrusted signing(s); 4 log integrity failure (cryptographic
evidence: a signed checkpoint inconsistent with a stored one, or an entry or proof that
contradicts a verified root after a re-fetch).`;

const FLAGS = {
  once: 'boolean',
  watchlist: 'string',
  ...DATA_DIR_FLAGS,
  ...TRUST_FLAGS,
  since: 'string',
  'from-index': 'string',
  interval: 'string',
  concurrency: 'string',
  'batch-size': 'string',
  json: 'boolean',
} as const;

export const runCommand: Command = {
  path: ['run'],
  summary: 'Monitor the logs for signings under the watched identities',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (flags.since !== undefined && flags['from-index'] !== undefined) {
      throw new UsageError('--since and --from-index exclude each other');
    }
    const startAt = startAtFrom(flags.since, flags['from-index']);
    const intervalMs = intervalFrom(flags.interval);
    const concurrency = positiveInt(flags.concurrency, '--concurrency');
    const batchSize = positiveInt(flags['batch-size'], '--batch-size');
    const watchlist =
      flags.watchlist === undefined
        ? undefined
        : (await readWatchlistFile(flags.watchlist)).watches;
    const options = monitorOptionsFrom(flags, io);
    const print = printer(io, flags.json === true);

    return withMonitor({ ...options, ...(concurrency && { concurrency }) }, async (service) => {
      service.on(print.event);
      if (watchlist) {
        const change = service.watchlist.replace(watchlist);
        print.note(
          `watchlist: ${change.added.length} added, ${change.changed.length} changed, ${change.removed.length} removed`,
        );
      }
      if (service.stores.watches.list().length === 0) {
        print.event({
          type: 'warning',
          message: 'no watches: the logs are verified but nothing can match (use --watchlist FILE)',
        });
      }
      const runOptions = { startAt, ...(batchSize && { batchSize }) };
      if (flags.once) {
        const findings: Finding[] = [];
        service.on((e) => void (e.type === 'match' && findings.push(e)));
        const summary = await service.monitoring.runOnce(runOptions);
        print.summary(summary);
        writeStepSummary(io, summary.trees, findings);
        return exitCode(summary);
      }
      const reports = new Map<string, TreeReport>();
      const totals = { expected: 0, unexpected: 0, untrusted: 0 };
      await service.monitoring.start({
        ...runOptions,
        intervalMs,
        ...(io.signal && { signal: io.signal }),
        onRun: (rs) => {
          for (const r of rs) {
            const before = reports.get(r.origin);
            reports.set(r.origin, { ...r, scanned: r.scanned + (before?.scanned ?? 0) });
            totals.expected += r.matches.expected;
            totals.unexpected += r.matches.unexpected;
            totals.untrusted += r.matches.untrusted;
          }
        },
      });
      const all = [...reports.values()];
      print.summary({
        trees: all,
        matches: totals,
        integrityFailures: all.filter((r) => r.integrityFailure).length,
        errors: all.filter((r) => r.error && !r.integrityFailure).length,
      });
      return EXIT.OK;
    });
  },
};

/** In GitHub Actions ($GITHUB_STEP_SUMMARY set), appends the run's Markdown summary. */
function writeStepSummary(io: CliIo, trees: readonly TreeReport[], findings: Finding[]): void {
  const file = io.env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return;
  const server = io.env['GITHUB_SERVER_URL'];
  const repository = io.env['GITHUB_REPOSITORY'];
  const label = io.env['VIGIL_ISSUE_LABEL'];
  try {
    appendFileSync(
      file,
      stepSummary(trees, findings, {
        ...(server && repository && { repositoryUrl: `${server}/${repository}` }),
        ...(label && { issueLabel: label }),
      }),
    );
  } catch (err) {
    io.stderr.write(`warning: cannot write the step summary ${file}: ${String(err)}\n`);
  }
}

/** 4 integrity, else 3 new unexpected/untrusted signings, else 1 operational errors, else 0. */
export function exitCode(summary: RunSummary): number {
  if (summary.integrityFailures > 0) return EXIT.VERIFICATION_FAILED;
  if (summary.matches.unexpected + summary.matches.untrusted > 0) return EXIT.UNEXPECTED_SIGNING;
  if (summary.errors > 0) return EXIT.OPERATIONAL;
  return EXIT.OK;
}

function startAtFrom(since: string | undefined, fromIndex: string | undefined): StartAt {
  if (since !== undefined) {
    const sinceMs = parseSince(since, Date.now());
    if (sinceMs === undefined)
      throw new UsageError(`--since ${since}: want a duration (7d, 12h) or a date`);
    return { kind: 'time', sinceMs };
  }
  if (fromIndex !== undefined) {
    if (!/^(0|[1-9][0-9]{0,15})$/.test(fromIndex) || !Number.isSafeInteger(Number(fromIndex))) {
      throw new UsageError(`--from-index ${fromIndex}: want a log index`);
    }
    return { kind: 'index', logIndex: Number(fromIndex) };
  }
  return { kind: 'head' };
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(text))
    throw new UsageError(`${flag} ${text}: want a positive integer`);
  return Number(text);
}

interface Printer {
  event(event: MonitorEvent): void;
  note(text: string): void;
  summary(summary: PassSummary): void;
}

/** What the final summary reports: per-tree progress and counts (no trust state). */
type PassSummary = Pick<RunSummary, 'trees' | 'matches' | 'integrityFailures' | 'errors'>;

/** JSON lines on stdout with --json; otherwise short human lines (matches on stdout, the rest on stderr). */
function printer(io: CliIo, json: boolean): Printer {
  const line = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  if (json) {
    return {
      event: line,
      note: () => undefined,
      summary: (s) =>
        line({
          type: 'summary',
          logs: s.trees.map((t) => ({
            origin: t.origin,
            scanned: t.scanned,
            nextIndex: t.nextIndex,
            treeSize: t.treeSize,
          })),
          matches: s.matches,
          integrityFailures: s.integrityFailures,
          errors: s.errors,
        } satisfies MonitorEvent),
    };
  }
  return {
    event(e) {
      switch (e.type) {
        case 'match':
          io.stdout.write(
            `${e.classification.toUpperCase()} ${e.watch}: ${e.origin} #${e.logIndex}\n  ${e.reason}\n`,
          );
          return;
        case 'checkpoint.verified':
          io.stderr.write(
            `verified ${e.origin} at size ${e.treeSize}${e.previousTreeSize === null ? '' : ` (consistent with ${e.previousTreeSize})`}\n`,
          );
          return;
        case 'consistency.failed':
          io.stdout.write(
            `LOG INTEGRITY FAILURE ${e.origin}: ${e.code}: ${e.message}\n  stored size ${e.stored.treeSize}, served size ${e.received.treeSize}\n`,
          );
          return;
        case 'error':
          io.stderr.write(`error${e.origin ? ` ${e.origin}` : ''}: ${e.code}: ${e.message}\n`);
          return;
        case 'warning':
          io.stderr.write(`warning${e.origin ? ` ${e.origin}` : ''}: ${e.message}\n`);
          return;
        case 'trust.loaded':
          io.stderr.write(
            `trust: ${e.source}${e.state === 'stale' ? ` (trust root stale: ${e.staleReason?.message ?? 'refresh failed'})` : ''}; following ${e.logs.join(', ')}\n`,
          );
          return;
        case 'channel.disabled':
          io.stderr.write(`channel ${e.channel} disabled: ${e.reason}\n`);
          return;
        case 'alert.failed':
          io.stderr.write(`alert ${e.alertId} not delivered to ${e.channel}: ${e.message ?? ''}\n`);
          return;
        default:
          return;
      }
    },
    note: (text) => io.stderr.write(`${text}\n`),
    summary(s) {
      for (const t of s.trees) {
        io.stderr.write(
          `${t.origin}: scanned ${t.scanned}${t.treeSize === null ? '' : `, at ${t.nextIndex ?? 0}/${t.treeSize}`}${t.error ? `, ${t.error.code}` : ''}\n`,
        );
      }
      io.stderr.write(
        `matches: ${s.matches.unexpected} unexpected, ${s.matches.untrusted} untrusted, ${s.matches.expected} expected; ${s.integrityFailures} integrity failure(s), ${s.errors} error(s)\n`,
      );
    },
  };
}
