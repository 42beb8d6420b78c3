// `vigil verify`, `vigil inspect` and `vigil match` on old Rekor v1 evidence: the four real
// production entries whose inclusion proof has no checkpoint (test/fixtures/realdata), as
// LogEntry files (Rekor's responses before sigstore/rekor#1015), TransparencyLogEntry lines
// and real v0.1 bundles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVigil } from '../core/watch/cli-run';
import {
  CONFORMANCE,
  FIXTURES,
  oldV1Records,
  toLogEntryJson,
  toTransparencyLogEntryJson,
  type EntryRecord,
} from '../core/verify/realdata';

const OLD = oldV1Records();
const dir = mkdtempSync(join(tmpdir(), 'vigil-old-v1-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function writeJson(name: string, json: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** One LogEntry file per old entry, as an old Rekor served it (proof, SET, no checkpoint). */
const logEntryFiles = OLD.map((r) => writeJson(`${r.logIndex}.json`, toLogEntryJson(r)));

/** The LogEntry of `r` without its SET: nothing vouches for it. */
function withoutSet(r: EntryRecord): string {
  const json = structuredClone(toLogEntryJson(r)) as Json;
  delete (Object.values(json)[0] as Json).verification.signedEntryTimestamp;
  return writeJson(`${r.logIndex}-no-set.json`, json);
}

const PYTHON_V01_BUNDLE = `${FIXTURES}bundles/sigstore-python.Python-3.12.5.tgz.sigstore.json`;
const ROOT_CERT_V01_BUNDLE = `${CONFORMANCE}bundle-with-root-cert_fail/bundle.sigstore.json`;
const WRONG_ROOTHASH = `${CONFORMANCE}checkpoint-wrong-roothash_fail/bundle.sigstore.json`;

const SET_ONLY = {
  ok: true,
  checks: ['signed-entry-timestamp'],
  proofRoot: 'unsigned',
  origin: null,
};

const UNSIGNED_TEXT =
  "verified: signed entry timestamp (the inclusion proof's root is signed by no checkpoint)";

describe('vigil verify on old Rekor v1 evidence', () => {
  it('accepts the four real LogEntry files on their SETs, saying no checkpoint signs the proof', async () => {
    const r = await runVigil(['verify', ...logEntryFiles]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(
      OLD.map((e, i) => ({
        ok: true,
        type: 'entry',
        origin: null,
        logIndex: e.logIndex,
        treeSize: null,
        checks: ['signed-entry-timestamp'],
        proofRoot: 'unsigned',
        input: logEntryFiles[i],
      })),
    );
  });

  it('accepts them as TransparencyLogEntry lines with a null checkpoint', async () => {
    const stdin = OLD.map((e) => JSON.stringify(toTransparencyLogEntryJson(e, 'null'))).join('\n');
    const r = await runVigil(['verify', '--jsonl', '-'], stdin);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.logIndex, l.ok, l.proofRoot])).toEqual(
      OLD.map((e) => [e.logIndex, true, 'unsigned']),
    );
  });

  it('accepts the real v0.1 bundles whose proof has no checkpoint', async () => {
    const r = await runVigil(['verify', PYTHON_V01_BUNDLE, ROOT_CERT_V01_BUNDLE]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.logIndex, l.checks, l.proofRoot])).toEqual([
      [118981923, ['signed-entry-timestamp'], 'unsigned'],
      [19808100, ['signed-entry-timestamp'], 'unsigned'],
    ]);
  });

  it('refuses an entry with neither a SET nor a checkpoint, and exits 4', async () => {
    const file = withoutSet(OLD[0]!);
    const r = await runVigil(['verify', file, logEntryFiles[1]!]);
    expect(r.code).toBe(4);
    expect(r.lines[0]).toMatchObject({
      ok: false,
      checks: [],
      proofRoot: 'unsigned',
      error: { code: 'ENTRY_UNVERIFIABLE' },
      input: file,
    });
    expect(r.lines[1]).toMatchObject({ ok: true });
  });

  it('still refuses a checkpoint that contradicts its proof (checkpoint-wrong-roothash_fail)', async () => {
    const r = await runVigil(['verify', WRONG_ROOTHASH]);
    expect(r.code).toBe(4);
    expect(r.lines).toEqual([
      expect.objectContaining({
        ok: false,
        logIndex: 27246492,
        checks: ['checkpoint-signature'],
        error: expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID' }),
      }),
    ]);
  });
});

describe('vigil inspect on old Rekor v1 evidence', () => {
  it('reads the four real entries, with their signers and what was verified', async () => {
    const r = await runVigil(['inspect', '--json', ...logEntryFiles]);
    expect(r.code).toBe(0);
    expect(
      r.lines.map((l) => [
        l.logIndex,
        (l.signers as { certSha256: string }[]).map((s) => s.certSha256),
        l.verification,
      ]),
    ).toEqual(OLD.map((e) => [e.logIndex, [(e as Json).signers[0].sha256Hex], SET_ONLY]));
  });

  it('says in its table what was verified', async () => {
    const r = await runVigil(['inspect', logEntryFiles[0]!]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^[^\\n]+: hashedrekord 0\\.0\\.1, log index 12299864\\n {2}${escape(UNSIGNED_TEXT)}\\n {2}signer 0:`,
      ),
    );
  });

  it('reads entries that do not verify, and says why', async () => {
    const noSet = withoutSet(OLD[3]!);
    const r = await runVigil(['inspect', '--json', noSet, WRONG_ROOTHASH]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.ok, l.logIndex, (l.signers as unknown[]).length])).toEqual([
      [true, 118981923, 1],
      [true, 27246492, 1],
    ]);
    expect(r.lines.map((l) => l.verification)).toEqual([
      {
        ok: false,
        checks: [],
        proofRoot: 'unsigned',
        origin: null,
        error: expect.objectContaining({ code: 'ENTRY_UNVERIFIABLE' }),
      },
      {
        ok: false,
        checks: ['checkpoint-signature'],
        proofRoot: null,
        origin: 'rekor.sigstore.dev - 2605736670972794746',
        error: expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID' }),
      },
    ]);
    const table = await runVigil(['inspect', WRONG_ROOTHASH]);
    expect(table.stdout).toMatch(
      /\n {2}NOT VERIFIED: INCLUSION_PROOF_INVALID: .* \(passed: checkpoint signature\)\n/,
    );
  });
});

describe('vigil match on old Rekor v1 evidence', () => {
  const watchlist = writeJson('watchlist.json', {
    version: 1,
    watches: [
      { email: 'alex.cameron@trailofbits.com' },
      { email: 'a@tny.town' },
      { github: 'sigstore-conformance/extremely-dangerous-public-oidc-beacon' },
      { email: 'thomas@python.org' },
    ],
  });

  it('matches each of the four real entries and says what was verified', async () => {
    const r = await runVigil(['match', '--watchlist', watchlist, '--json', ...logEntryFiles]);
    // No watch has expectations: every match is unexpected.
    expect(r.code).toBe(3);
    expect(
      r.lines.map((l) => [
        l.logIndex,
        (l.matches as { watch: string; classification: string }[]).map((m) => m.watch),
        l.verification,
      ]),
    ).toEqual([
      [12299864, ['email:alex.cameron@trailofbits.com'], SET_ONLY],
      [19808100, ['email:a@tny.town'], SET_ONLY],
      [27246492, ['github:sigstore-conformance/extremely-dangerous-public-oidc-beacon'], SET_ONLY],
      [118981923, ['email:thomas@python.org'], SET_ONLY],
    ]);
  });

  it('matches an entry that does not verify, and says so in text output', async () => {
    const r = await runVigil(['match', '--watchlist', watchlist, withoutSet(OLD[1]!)]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(
      /^[^\n]+: log index 19808100:\n {2}NOT VERIFIED: ENTRY_UNVERIFIABLE: [^\n]+\n {2}UNEXPECTED {2}email:a@tny\.town: /,
    );
    const ok = await runVigil(['match', '--watchlist', watchlist, logEntryFiles[1]!]);
    expect(ok.stdout).toContain(`\n  ${UNSIGNED_TEXT}\n`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
