// `vigil status`: what the monitor knows, read from the data dir (no network).
import type { LogHealth, StatusView, TrustStateView } from '../../../shared/domain';
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { DATA_DIR_FLAGS, DATA_DIR_USAGE } from '../monitor-flags';
import { age, printJson, safe, withDataDir } from '../service-io';

const USAGE = `Usage: vigil status [--data-dir DIR] [--json]

Shows what the monitor has recorded in the data dir, without contacting any log: for each log,
the last verified checkpoint (tree size and age) and the key name it was signed under, how far
the scan got and the backlog, the last error and whether it is paused; the trust material last loaded ("trust root stale" when
its refresh failed and older material is in use); the number of watches and of new alerts.

Options:
${DATA_DIR_USAGE}
  --json                print one JSON object: {dataDir, trust, logs: [...], watches,
                        alerts: {new}, paused}

Exit codes: 0 shown, 1 the data dir cannot be opened, 2 usage error.`;

const FLAGS = { ...DATA_DIR_FLAGS, json: 'boolean' } as const;

export const statusCommand: Command = {
  path: ['status'],
  summary: 'Show each log, the trust material, watches and new alerts',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const status = await withDataDir(flags, io, (service) => service.monitoring.status());
    if (flags.json) printJson(io, status);
    else io.stdout.write(formatStatus(status, Date.now()));
    return EXIT.OK;
  },
};

/** The status for people, one block per log. */
export function formatStatus(status: StatusView, nowMs: number): string {
  const lines = [`data dir: ${status.dataDir}`, formatTrust(status.trust, nowMs)];
  if (status.logs.length === 0) lines.push('logs: none yet (run `vigil run`)');
  for (const log of status.logs) lines.push(...formatLog(log, nowMs));
  lines.push(`watches: ${status.watches}`, `alerts: ${status.alerts.new} new`);
  if (status.paused) lines.push('monitoring: paused');
  return `${lines.join('\n')}\n`;
}

function formatTrust(trust: TrustStateView | null, nowMs: number): string {
  if (trust === null) return 'trust: not loaded yet (run `vigil run`)';
  const refreshed =
    trust.refreshedAtMs === undefined ? '' : `, refreshed ${age(trust.refreshedAtMs, nowMs)}`;
  if (trust.state === 'fresh') return `trust: ${trust.source}${refreshed}`;
  const reason = trust.staleReason
    ? `: ${trust.staleReason.code}: ${safe(trust.staleReason.message, 300)}`
    : '';
  return `trust: TRUST ROOT STALE (${trust.source}${refreshed})${reason}`;
}

function formatLog(log: LogHealth, nowMs: number): string[] {
  const flags = [`v${log.apiVersion}`, log.state, ...(log.paused ? ['paused'] : [])];
  const lines = [`${safe(log.origin)} (${flags.join(', ')})`];
  lines.push(
    log.verifiedTreeSize === null || log.verifiedAtMs === null
      ? '  no verified checkpoint yet'
      : `  verified tree size ${log.verifiedTreeSize}, ${age(log.verifiedAtMs, nowMs)}`,
  );
  if (log.checkpointKeyName !== null) {
    lines.push(`  checkpoints signed as ${safe(log.checkpointKeyName)}`);
  }
  if (log.nextIndex !== null) {
    lines.push(`  scanned to index ${log.nextIndex}, backlog ${log.backlog ?? 'unknown'}`);
  }
  if (log.lastError) {
    lines.push(`  last error: ${log.lastError.code}: ${safe(log.lastError.message, 300)}`);
  }
  return lines;
}
