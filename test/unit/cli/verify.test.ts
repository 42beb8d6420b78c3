// `vigil verify` end to end through main(), with in-memory streams; one test runs the real
// launcher in a child process.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../../support/cli';
import {
  CHECKPOINT_RECORDS,
  CONFORMANCE,
  ENTRY_RECORDS,
  FIXTURES,
  STAGING_ROOT,
  tamperNoteSignature,
  toTransparencyLogEntryJson,
} from '../core/verify/realdata';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUNDLES = `${FIXTURES}bundles/`;

interface Run {
  readonly code: number;
  readonly lines: Record<string, unknown>[];
  readonly stderr: string;
}

async function run(args: string[], stdin = ''): Promise<Run> {
  const result = await runCli(['verify', ...args], { stdin });
  return { code: result.code, lines: jsonLines(result.stdout), stderr: result.stderr };
}

const TEMP_DIR = mkdtempSync(join(tmpdir(), 'vigil-verify-'));
afterAll(() => rmSync(TEMP_DIR, { recursive: true, force: true }));

function tempFile(name: string, content: string): string {
  writeFileSync(join(TEMP_DIR, name), content);
  return join(TEMP_DIR, name);
}

const production = CHECKPOINT_RECORDS.find((r) => r.environment === 'production')!;
const staging = CHECKPOINT_RECORDS.find((r) => r.environment === 'staging')!;

describe('vigil verify', () => {
  it('prints one ok line per bundle entry and exits 0 under the shipped production root', async () => {
    const files = [
      'sigstore-go.bundle-provenance.json',
      'sigstore-java.bundle.dsse.rekor-v2.sigstore.json',
      'sigstore-java.jar-entry.logentry.json',
      'cli.sigstore-js-2.1.0-bundle-v0.1.json',
      'cosign.oci-attestation.sigstore.json',
    ].map((f) => BUNDLES + f);
    const { code, lines } = await run(files);
    expect(code).toBe(0);
    expect(lines.map((l) => [l.ok, l.type, l.input])).toEqual(files.map((f) => [true, 'entry', f]));
    expect(lines[1]).toEqual({
      ok: true,
      type: 'entry',
      origin: 'log2025-1.rekor.sigstore.dev',
      logIndex: 4855114,
      treeSize: 4855115,
      checks: ['checkpoint-signature', 'inclusion-proof'],
      proofRoot: 'checkpoint',
      input: files[1],
    });
  });

  it('verifies staging material under --trusted-root', async () => {
    const files = [
      'sigstore-java.bundle-with-rekor-v2-entry.staging.sigstore.json',
      'sigstore-java.entry.staging.logentry.json',
    ].map((f) => BUNDLES + f);
    const { code, lines } = await run(['--trusted-root', STAGING_ROOT, ...files]);
    expect(code).toBe(0);
    expect(lines.map((l) => l.ok)).toEqual([true, true]);
  });

  it('reports a checkpoint file and stdin', async () => {
    const file = tempFile('checkpoint.txt', production.signedNote);
    const { code, lines } = await run([file, '-'], production.signedNote);
    expect(code).toBe(0);
    expect(lines).toEqual(
      [file, '-'].map((input) => ({
        ok: true,
        type: 'checkpoint',
        origin: production.origin,
        logIndex: null,
        treeSize: production.treeSize,
        checks: ['checkpoint-signature'],
        proofRoot: null,
        input,
      })),
    );
  });

  it('reads --jsonl: one result per line, in order, strings as checkpoints', async () => {
    const entry = ENTRY_RECORDS.find((r) => r.environment === 'production' && r.rekorApi === 'v2')!;
    const text = [
      JSON.stringify(production.signedNote),
      '',
      JSON.stringify(toTransparencyLogEntryJson(entry)),
      JSON.stringify(tamperNoteSignature(production.signedNote)),
      '{"not": "an entry"}',
      '{',
    ].join('\n');
    const { code, lines } = await run(['--jsonl', '-'], text);
    expect(code).toBe(4);
    expect(
      lines.map((l) => [l.input, l.ok, (l.error as { code?: string } | undefined)?.code]),
    ).toEqual([
      ['-:1', true, undefined],
      ['-:3', true, undefined],
      ['-:4', false, 'NOTE_BAD_SIGNATURE'],
      ['-:5', false, 'INVALID_INPUT'],
      ['-:6', false, 'INVALID_INPUT'],
    ]);
  });

  it('reads a real JSON Lines file of two bundles', async () => {
    const { code, lines } = await run([
      '--jsonl',
      `${BUNDLES}cli.sigstore-js-2.1.0_with_2_bundles.jsonl`,
    ]);
    expect(code).toBe(0);
    expect(lines.map((l) => l.ok)).toEqual([true, true]);
  });

  it('exits 4 with a failure line for failed, malformed and unreadable inputs', async () => {
    const files = [
      `${CONFORMANCE}set-invalid-signature_fail/bundle.sigstore.json`,
      `${CONFORMANCE}bundle-malformed-json_fail/bundle.sigstore.json`,
      tempFile('staging.txt', staging.signedNote),
      join(TEMP_DIR, 'does-not-exist.json'),
      `${BUNDLES}sigstore-go.bundle-provenance.json`,
    ];
    const { code, lines } = await run(files);
    expect(code).toBe(4);
    expect(lines.map((l) => (l.error as { code: string } | undefined)?.code ?? 'ok')).toEqual([
      'SET_INVALID',
      'INVALID_INPUT',
      'LOG_UNKNOWN',
      'FILE_UNREADABLE',
      'ok',
    ]);
    expect(lines[3]).toMatchObject({ ok: false, type: null, origin: null, checks: [] });
  });

  it('verifies witness cosignatures given with --witness-key', async () => {
    const witnessed = CHECKPOINT_RECORDS.find((r) => r.signatureLines.length === 4)!;
    const vkey = 'witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv';
    const { code, lines } = await run(
      ['--trusted-root', STAGING_ROOT, '--witness-key', vkey, '-'],
      witnessed.signedNote,
    );
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({
      checks: ['checkpoint-signature', 'witness-cosignature'],
      witnesses: ['witness.stagemole.eu'],
    });
  });

  it.each([
    { desc: 'no input files', args: [] },
    { desc: 'an unknown flag', args: ['--offline', 'x'] },
    { desc: '--trusted-root without a value', args: ['--trusted-root'] },
  ])('exits 2 for $desc', async ({ args }) => {
    const { code, lines, stderr } = await run(args);
    expect(code).toBe(2);
    expect(lines).toEqual([]);
    expect(stderr).toContain('Usage: vigil verify');
  });

  it.each([
    {
      desc: 'an unreadable trusted root',
      root: join(TEMP_DIR, 'no-root.json'),
      code: 'FILE_UNREADABLE',
    },
    {
      desc: 'a malformed trusted root',
      root: `${CONFORMANCE}trust-root-tlog-missing-validity-start_fail/trusted_root.json`,
      code: 'TRUSTED_ROOT_MALFORMED',
    },
    { desc: 'a trusted root that is not JSON', root: `${CONFORMANCE}a.txt`, code: 'INVALID_INPUT' },
  ])('exits 1 for $desc', async ({ root, code }) => {
    const result = await run([
      '--trusted-root',
      root,
      `${BUNDLES}sigstore-go.bundle-provenance.json`,
    ]);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([]);
    expect(result.stderr).toContain(code);
  });

  it('exits 1 for a malformed --witness-key', async () => {
    const result = await run(['--witness-key', 'nope', '-'], production.signedNote);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KEY_MALFORMED');
  });
});

describe('vigil verify (real process)', () => {
  it('runs through electron/cli/vigil.mjs with the shipped trusted root', async () => {
    const file = `${BUNDLES}sigstore-java.jar-entry.logentry.json`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['electron/cli/vigil.mjs', 'verify', file],
      { cwd: ROOT },
    );
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      type: 'entry',
      origin: 'rekor.sigstore.dev - 3904496407287907110',
      logIndex: 3120029,
      treeSize: 4163431,
      checks: ['checkpoint-signature', 'inclusion-proof', 'signed-entry-timestamp'],
      proofRoot: 'checkpoint',
      input: file,
    });
  });
});
