// `vigil verify`: offline verification of checkpoints, Rekor entries and Sigstore bundles against
// trust material (the shipped production trusted root unless --trusted-root is given).
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { readInputs, readTrustedRoot } from '../inputs';
import { parseVerifierKey } from '../../core/tlog/note-verifiers';
import { describeTrustedLogs } from '../../core/trust/log-descriptor';
import {
  verifyInput,
  type ProofRoot,
  type VerifyOptions,
  type VerifyResult,
} from '../../core/verify/verify';
import type { ErrorView } from '../../../shared/errors';

const USAGE = `Usage: vigil verify [--trusted-root FILE] [--witness-key VKEY]... [--jsonl] FILE...

Verifies signed checkpoints, Rekor v1 LogEntry JSON, Sigstore bundles (v0.1-v0.3) and
TransparencyLogEntry JSON offline, against the logs of a trusted root. FILE may be - for stdin.

Options:
  --trusted-root FILE   trusted_root.json to trust (default: the shipped production root)
  --witness-key VKEY    also verify cosignatures by this witness (C2SP vkey); repeatable
  --jsonl               each input line is one JSON value: an entry or bundle object, or a
                        string holding checkpoint note text

Prints one JSON object per checkpoint or entry:
  {"ok":true,"type":"entry","origin":"...","logIndex":1,"treeSize":2,"checks":[...],
   "proofRoot":"checkpoint","input":"a.json"}
proofRoot says what signs the root of the entry's inclusion proof: "checkpoint" (a verified
signed checkpoint), "unsigned" (the proof came without a checkpoint, as in old Rekor v1 entries
and v0.1 bundles: the entry is then vouched for by its signed entry timestamp alone), or null
(no inclusion proof).
Exit codes: 0 all verified, 4 any input failed (malformed included), 2 usage error,
1 trusted root or witness key unusable.`;

const FLAGS = { 'trusted-root': 'string', 'witness-key': 'multi', jsonl: 'boolean' } as const;

export const verifyCommand: Command = {
  path: ['verify'],
  summary: 'Verify checkpoints, entries and bundles offline against a trusted root',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length === 0) throw new UsageError('no input files (use - for stdin)');
    const nowMs = Date.now();
    const options: VerifyOptions = {
      logs: describeTrustedLogs(await readTrustedRoot(flags['trusted-root']), nowMs),
      witnessKeys: (flags['witness-key'] ?? []).map(parseVerifierKey),
      nowMs,
    };
    let allOk = true;
    for await (const item of readInputs(positionals, {
      jsonl: flags.jsonl ?? false,
      stdin: io.stdin,
    })) {
      const lines =
        'error' in item
          ? [failureLine(item.error, item.name)]
          : item.inputs.map((input) => resultLine(verifyInput(input, options), item.name));
      for (const line of lines) {
        allOk &&= line.ok;
        io.stdout.write(`${JSON.stringify(line)}\n`);
      }
    }
    return allOk ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  },
};

/** One output line. Unknown values are null so every line has the same keys. */
interface ResultLine {
  readonly ok: boolean;
  readonly type: 'checkpoint' | 'entry' | null;
  readonly origin: string | null;
  readonly logIndex: number | null;
  readonly treeSize: number | null;
  readonly checks: readonly string[];
  readonly proofRoot: ProofRoot | null;
  readonly witnesses?: readonly string[];
  readonly error?: ErrorView;
  readonly input: string;
}

function resultLine(result: VerifyResult, input: string): ResultLine {
  return {
    ok: result.ok,
    type: result.type,
    origin: result.origin ?? null,
    logIndex: result.logIndex ?? null,
    treeSize: result.treeSize ?? null,
    checks: result.checks,
    proofRoot: result.proofRoot ?? null,
    ...(result.witnesses && { witnesses: result.witnesses }),
    ...(result.error && { error: result.error }),
    input,
  };
}

function failureLine(error: ErrorView, input: string): ResultLine {
  return {
    ok: false,
    type: null,
    origin: null,
    logIndex: null,
    treeSize: null,
    checks: [],
    proofRoot: null,
    error,
    input,
  };
}
