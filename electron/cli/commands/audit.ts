// `vigil audit verify`: re-checks the audit log's hash chain in the data dir's database.
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { encodeHex } from '../../core/bytes';
import { databasePath, resolveDataDir } from '../../monitor/paths';
import { AuditChainBrokenError, verifyAuditChain } from '../../monitor/store/audit-chain';
import { openDatabase } from '../../monitor/store/open';

const USAGE = `Usage: vigil audit verify [--data-dir DIR] [--json]

Re-computes the hash chain of the audit log, row by row, and reports the first broken row.
Opens the database read-only; it is safe to run while the app is monitoring.

Options:
  --data-dir DIR  the data dir (default: $VIGIL_DATA_DIR, else the app's user-data folder)
  --json          print one JSON object: {"intact":true,"events":N,"head":{"seq":N,"hash":HEX}}
                  or {"intact":false,"brokenAtSeq":N,"reason":TEXT}

The head (last seq and hash) is printed so it can be recorded elsewhere: removing the newest
rows leaves a valid chain, and only a recorded head shows it.

Exit codes: 0 chain intact, 4 chain broken, 1 database missing, locked or unreadable.`;

const FLAGS = { 'data-dir': 'string', json: 'boolean' } as const;

export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  summary: 'Check that the audit log has not been altered (its hash chain)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const dataDir = resolveDataDir({
      ...(flags['data-dir'] === undefined ? {} : { dataDir: flags['data-dir'] }),
      env: io.env,
      platform: process.platform,
    });
    const db = openDatabase(databasePath(dataDir), { readonly: true });
    try {
      const report = verifyAuditChain(db, {
        progressEvery: 100_000,
        onProgress: ({ checked, total }) => {
          if (!flags.json) io.stderr.write(`checked ${checked} of ${total} events\n`);
        },
      });
      const head = report.head && { seq: report.head.seq, hash: encodeHex(report.head.hash) };
      if (flags.json) {
        io.stdout.write(
          `${JSON.stringify({ intact: true, events: report.count, head: head ?? null })}\n`,
        );
      } else {
        io.stdout.write(
          head
            ? `audit chain intact: ${report.count} events, head seq ${head.seq} hash ${head.hash}\n`
            : 'audit chain intact: no events yet\n',
        );
      }
      return EXIT.OK;
    } catch (err) {
      if (!(err instanceof AuditChainBrokenError)) throw err;
      if (flags.json) {
        io.stdout.write(
          `${JSON.stringify({ intact: false, brokenAtSeq: err.seq, reason: err.reason })}\n`,
        );
      } else {
        io.stderr.write(`vigil audit verify: ${err.code}: ${err.message}\n`);
      }
      // A broken chain means the record of what the log did was altered: an integrity failure.
      return EXIT.VERIFICATION_FAILED;
    } finally {
      db.close();
    }
  },
};
