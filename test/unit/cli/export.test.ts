import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { openHarness, runCli, type Harness } from '../monitor/service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.seed([
    { watchName: 'github:acme/widget', classification: 'unexpected' },
    { watchName: 'github:acme/widget', classification: 'expected' },
  ]);
});
afterEach(() => h.close());

const exportTo = (...args: string[]) => runCli(['export', '--data-dir', h.dir, ...args]);

/** The manifest's files, each checked against the file's real SHA-256. */
function checkedManifest(path: string): string[] {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
    files: { path: string; sha256: string }[];
  };
  for (const f of manifest.files) {
    const bytes = readFileSync(join(path, '..', f.path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
  }
  return manifest.files.map((f) => f.path);
}

describe('vigil export', () => {
  it.each([
    { format: 'csv', files: ['matches.csv'] },
    { format: 'jsonl', files: ['vigil.jsonl'] },
  ])('writes $format and prints the manifest path', async ({ format, files }) => {
    const out = join(h.dir, `out-${format}`);
    const r = await exportTo('--format', format, '--out', out);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(`${join(out, 'manifest.json')}\n`);
    expect(r.stderr).toMatch(new RegExp(`^exported 1 file\\(s\\), \\d+ bytes into ${out}\\n$`));
    expect(checkedManifest(join(out, 'manifest.json'))).toEqual(files);
  });

  it('resolves a relative --out against the working directory', async () => {
    const out = relative(process.cwd(), join(h.dir, 'rel'));
    const r = await exportTo('--format', 'csv', '--out', out);
    expect(r.stdout).toBe(`${join(h.dir, 'rel', 'manifest.json')}\n`);
  });

  it('writes the evidence bundle with the trust material from --trusted-root', async () => {
    const out = join(h.dir, 'evidence');
    const r = await exportTo(
      '--format',
      'evidence',
      '--out',
      out,
      '--trusted-root',
      h.trustedRootFile,
    );
    expect(r.code).toBe(EXIT.OK);
    expect(checkedManifest(join(out, 'manifest.json'))).toEqual(['match-1.json', 'match-2.json']);
  });

  it('exits 1 when the directory cannot be written', async () => {
    const r = await exportTo('--format', 'csv', '--out', join(h.trustedRootFile, 'sub'));
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toMatch(/^vigil export: FILE_UNWRITABLE: cannot export to /);
  });

  it.each([
    { desc: 'no --format', args: ['--out', '/tmp/x'] },
    { desc: 'an unknown format', args: ['--format', 'xml', '--out', '/tmp/x'] },
    { desc: 'no --out', args: ['--format', 'csv'] },
    { desc: 'a positional', args: ['--format', 'csv', '--out', '/tmp/x', 'extra'] },
  ])('is a usage error with $desc', async ({ args }) => {
    expect((await exportTo(...args)).code).toBe(EXIT.USAGE);
  });
});
