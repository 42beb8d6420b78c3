import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_SIGNER } from './store/fixtures';
import { notPlainJson, openHarness, runCli, type Harness } from './service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.seed([
    { watchName: 'github:acme/widget', classification: 'unexpected' },
    { watchName: 'key:release', classification: 'untrusted', signer: KEY_SIGNER },
  ]);
});
afterEach(() => h.close());

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Asserts that the manifest lists exactly `files`, each with its real size and digest. */
function expectManifestOf(manifest: string, files: readonly { path: string }[]) {
  const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as {
    files: { path: string; sha256: string; bytes: number }[];
  };
  const dir = join(manifest, '..');
  expect(parsed.files.map((f) => join(dir, f.path))).toEqual(files.map((f) => f.path));
  for (const f of parsed.files) {
    expect(f.sha256).toBe(sha256(join(dir, f.path)));
    expect(f.bytes).toBe(readFileSync(join(dir, f.path)).length);
  }
}

describe('MonitorService.exportData', () => {
  it('writes matches.csv and a manifest with its digest', async () => {
    const dir = join(h.dir, 'out-csv');
    const progress: number[] = [];
    const result = await h.service.exports.write({ format: 'csv', dir }, (n) => progress.push(n));
    expect(result.manifest).toBe(join(dir, 'manifest.json'));
    expect(result.files).toEqual([
      {
        path: join(dir, 'matches.csv'),
        bytes: expect.any(Number),
        sha256Hex: sha256(join(dir, 'matches.csv')),
      },
    ]);
    expect(readFileSync(join(dir, 'matches.csv'), 'utf8').split('\r\n')).toHaveLength(4);
    expect(progress).toEqual([1, 2]);
    expectManifestOf(result.manifest, result.files);
    expect(notPlainJson(result)).toBeUndefined();
  });

  it('writes vigil.jsonl with the matches then the audit log', async () => {
    const dir = join(h.dir, 'out-jsonl');
    const result = await h.service.exports.write({ format: 'jsonl', dir });
    const lines = readFileSync(result.files[0]!.path, 'utf8').trim().split('\n');
    const types = lines.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types.slice(0, 2)).toEqual(['match', 'match']);
    expect(types.slice(2).every((t) => t === 'audit-event')).toBe(true);
    expect(types.length - 2).toBe(h.service.stores.audit.head()!.seq);
    expectManifestOf(result.manifest, result.files);
  });

  it('writes one evidence file per match, loading the trust material for the log IDs', async () => {
    const dir = join(h.dir, 'out-evidence');
    const result = await h.service.exports.write({ format: 'evidence', dir });
    expect(result.files.map((f) => f.path)).toEqual([
      join(dir, 'match-1.json'),
      join(dir, 'match-2.json'),
    ]);
    expectManifestOf(result.manifest, result.files);
    expect(h.service.monitoring.status().trust).toMatchObject({ source: 'file' });
  });

  it("writes one match's evidence, which vigil verify re-checks offline", async () => {
    const dir = join(h.dir, 'out-one');
    const result = await h.service.exports.writeMatchEvidence(2, dir);
    expect(result.files.map((f) => f.path)).toEqual([join(dir, 'match-2.json')]);
    expectManifestOf(result.manifest, result.files);
    const r = await runCli(['verify', '--trusted-root', h.trustedRootFile, result.files[0]!.path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses an unknown match with NOT_FOUND and a bad id with INVALID_INPUT', async () => {
    const dir = join(h.dir, 'out-none');
    await expect(h.service.exports.writeMatchEvidence(99, dir)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    await expect(h.service.exports.writeMatchEvidence(-1, dir)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('removes a stale manifest before exporting', async () => {
    const dir = join(h.dir, 'out-again');
    await h.service.exports.write({ format: 'csv', dir });
    const again = await h.service.exports.write({ format: 'jsonl', dir });
    const manifest = JSON.parse(readFileSync(again.manifest, 'utf8')) as { files: unknown[] };
    expect(manifest.files).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'matches.csv', 'vigil.jsonl']);
  });

  it('fails with FILE_UNWRITABLE when the directory is a file', async () => {
    const file = join(h.dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(h.service.exports.write({ format: 'csv', dir: file })).rejects.toMatchObject({
      code: 'FILE_UNWRITABLE',
    });
  });

  it.each([
    { desc: 'a relative dir', request: { format: 'csv', dir: 'out' } },
    { desc: 'a dir with NUL', request: { format: 'csv', dir: '/tmp/a\u0000b' } },
    { desc: 'an unknown format', request: { format: 'xlsx', dir: '/tmp/x' } },
    { desc: 'an extra key', request: { format: 'csv', dir: '/tmp/x', overwrite: true } },
  ])('rejects $desc with INVALID_INPUT and writes nothing', async ({ request }) => {
    await expect(h.service.exports.write(request as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(existsSync('/tmp/x/manifest.json')).toBe(false);
  });
});
