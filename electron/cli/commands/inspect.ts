// `vigil inspect`: what an entry or bundle says about who signed it (kind, log index, every
// signer's identity) and what of it was verified, for the same inputs as `vigil verify`.
import { parseArgs } from '../args';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { readInputs, readTrustedRoot, type InputItem } from '../inputs';
import { AppError, toErrorView } from '../../core/errors';
import type { IdentifyTrust } from '../../core/identity/identify';
import type { SignerIdentity } from '../../core/identity/types';
import { describeTrustedLogs } from '../../core/trust/log-descriptor';
import type { TrustedRoot } from '../../core/trust/types';
import type { EntryInput } from '../../core/verify/entry-input';
import { entrySigners, type EntrySigners } from '../../core/verify/entry-signers';
import type { VerifyOptions } from '../../core/verify/verify';
import type { ErrorView } from '../../../shared/errors';
import { verificationText, verifyForView, type VerificationView } from '../entry-verification';

const USAGE = `Usage: vigil inspect [--trusted-root FILE] [--json] [--jsonl] FILE...

Prints, for each Rekor entry or bundle (the inputs of \`vigil verify\`; FILE may be - for
stdin), its kind, log index and every signer's identity: SANs, OIDC issuer, Fulcio
extensions, certificate and key SHA-256, validity, and whether the certificate chains to a
Fulcio CA of the trusted root. Every well-formed entry is shown whether it verifies or not;
its log proofs are checked as \`vigil verify\` checks them, and the output says what was
verified ("verification": ok, the checks that passed, proofRoot, the error).

Options:
  --trusted-root FILE   trusted_root.json whose Fulcio CAs and logs are trusted (default: the
                        shipped production root)
  --json                print one JSON object per entry instead of a table:
                        {"ok":true,"kind":"dsse","apiVersion":"0.0.1","logIndex":1,
                         "signers":[{"type":"x509","sans":[{"type":"uri","value":"..."}],
                         "issuer":"...","extensions":{"1.3.6.1.4.1.57264.1.12":{"name":"...",
                         "value":"..."}},"certSha256":"...","spkiSha256":"...",
                         "notBefore":"...","notAfter":"...","chain":"trusted"}],
                         "verification":{"ok":true,"checks":["signed-entry-timestamp"],
                         "proofRoot":"unsigned","origin":null},"input":"a.json"}
  --jsonl               each input line is one JSON value (as for verify); implies --json

Exit codes: 0 every input inspected (verified or not), 4 any input unreadable as an entry,
2 usage error, 1 trusted root unusable.`;

const FLAGS = { 'trusted-root': 'string', json: 'boolean', jsonl: 'boolean' } as const;

/** One signer in JSON output; hashes are lowercase hex, times ISO 8601. */
export interface SignerView {
  readonly type: 'x509' | 'publicKey';
  readonly sans: readonly { readonly type: string; readonly value: string }[];
  readonly issuer: string | null;
  readonly extensions: Readonly<Record<string, { readonly name: string; readonly value: string }>>;
  readonly certSha256: string | null;
  readonly spkiSha256: string;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly chain: 'trusted' | 'untrusted' | 'n/a';
}

/** An entry's body and signers, as inspect and match read them. */
export interface InspectedEntry extends EntrySigners {
  /** What of the entry's log proofs verified (the checks of `vigil verify`). */
  readonly verification: VerificationView;
}

/** The trust inspect and match run under: Fulcio CAs for identities, logs for proofs. */
export interface InspectTrust {
  readonly identify: IdentifyTrust;
  readonly verify: VerifyOptions;
}

/** The InspectTrust of a trusted root at `nowMs`. */
export function inspectTrust(trustedRoot: TrustedRoot, nowMs: number): InspectTrust {
  return {
    identify: trustedRoot,
    verify: { logs: describeTrustedLogs(trustedRoot, nowMs), nowMs },
  };
}

/**
 * Parses the entry body, identifies every signer against `trust.identify` and verifies the
 * entry's log proofs against `trust.verify`; a failed verification is reported in
 * `verification`, not thrown. Throws the body parser's VerificationError (ENTRY_MALFORMED,
 * CERTIFICATE_MALFORMED, KEY_MALFORMED).
 */
export function inspectEntry(entry: EntryInput, trust: InspectTrust): InspectedEntry {
  return {
    ...entrySigners(entry, trust.identify),
    verification: verifyForView(entry, trust.verify),
  };
}

/**
 * Runs `onEntry` for every entry of every input item, and `onError` for an item (or entry)
 * that is not an inspectable entry: unreadable, a checkpoint, or failing inspectEntry.
 */
export async function forEachEntry(
  items: AsyncIterable<InputItem>,
  trust: InspectTrust,
  onEntry: (entry: InspectedEntry, input: string) => void,
  onError: (error: ErrorView, input: string) => void,
): Promise<void> {
  for await (const item of items) {
    if ('error' in item) {
      onError(item.error, item.name);
      continue;
    }
    for (const input of item.inputs) {
      if (input.type === 'checkpoint') {
        onError(
          {
            code: 'INVALID_INPUT',
            message: 'a checkpoint names no signers: want an entry or bundle',
          },
          item.name,
        );
        continue;
      }
      let inspected: InspectedEntry;
      try {
        inspected = inspectEntry(input.entry, trust);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        onError(toErrorView(err), item.name);
        continue;
      }
      onEntry(inspected, item.name);
    }
  }
}

/** The JSON view of one identity. */
export function toSignerView(identity: SignerIdentity): SignerView {
  if (identity.type === 'publicKey') {
    return {
      type: 'publicKey',
      sans: [],
      issuer: null,
      extensions: {},
      certSha256: null,
      spkiSha256: identity.spkiSha256Hex,
      notBefore: null,
      notAfter: null,
      chain: 'n/a',
    };
  }
  return {
    type: 'x509',
    sans: identity.sans.map((s) => ({ type: s.type, value: s.value })),
    issuer: identity.issuer ?? null,
    extensions: Object.fromEntries(
      Object.entries(identity.extensions).map(([oid, e]) => [
        oid,
        { name: e.name, value: e.value },
      ]),
    ),
    certSha256: identity.certSha256Hex,
    spkiSha256: identity.spkiSha256Hex,
    notBefore: isoTime(identity.notBeforeMs),
    notAfter: isoTime(identity.notAfterMs),
    chain: identity.chain,
  };
}

export const inspectCommand: Command = {
  path: ['inspect'],
  summary: "Show an entry's kind, log index and every signer's identity",
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(args, FLAGS);
    if (positionals.length === 0) throw new UsageError('no input files (use - for stdin)');
    const json = (flags.json ?? false) || (flags.jsonl ?? false);
    const trust = inspectTrust(await readTrustedRoot(flags['trusted-root']), Date.now());
    let allOk = true;
    await forEachEntry(
      readInputs(positionals, { jsonl: flags.jsonl ?? false, stdin: io.stdin }),
      trust,
      (entry, input) => {
        io.stdout.write(
          json ? `${JSON.stringify(entryLine(entry, input))}\n` : entryTable(entry, input),
        );
      },
      (error, input) => {
        allOk = false;
        if (json) io.stdout.write(`${JSON.stringify(failureLine(error, input))}\n`);
        else io.stderr.write(`${input}: ${error.code}: ${error.message}\n`);
      },
    );
    return allOk ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  },
};

function entryLine(entry: InspectedEntry, input: string) {
  return {
    ok: true,
    kind: entry.kind,
    apiVersion: entry.apiVersion,
    logIndex: entry.logIndex,
    signers: entry.identities.map(toSignerView),
    verification: entry.verification,
    input,
  };
}

function failureLine(error: ErrorView, input: string) {
  return {
    ok: false,
    kind: null,
    apiVersion: null,
    logIndex: null,
    signers: [],
    verification: null,
    error,
    input,
  };
}

function entryTable(entry: InspectedEntry, input: string): string {
  const lines = [
    `${input}: ${entry.kind} ${entry.apiVersion}, log index ${entry.logIndex}`,
    `  ${verificationText(entry.verification)}`,
  ];
  if (entry.identities.length === 0) lines.push('  no signers');
  entry.identities.forEach((identity, i) => {
    const v = toSignerView(identity);
    lines.push(
      `  signer ${i}: ${v.type === 'x509' ? 'certificate' : 'public key'}, chain ${v.chain}`,
    );
    const rows: [string, string][] = [
      ...v.sans.map((s): [string, string] => [`SAN (${s.type})`, s.value]),
      ...(v.issuer === null ? [] : [['issuer', v.issuer] as [string, string]]),
      ...(v.notBefore === null
        ? []
        : [['valid', `${v.notBefore} to ${v.notAfter}`] as [string, string]]),
      ...(v.certSha256 === null ? [] : [['cert SHA-256', v.certSha256] as [string, string]]),
      ['key SHA-256', v.spkiSha256],
      ...Object.entries(v.extensions).map(([oid, e]): [string, string] => [
        `${e.name} (${oid.replace('1.3.6.1.4.1.57264.', '')})`,
        e.value,
      ]),
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, value] of rows) lines.push(`    ${k.padEnd(width)}  ${value}`);
  });
  return `${lines.join('\n')}\n`;
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
