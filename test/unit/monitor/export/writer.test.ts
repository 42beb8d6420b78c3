import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChunks } from '../../../../electron/monitor/export/writer';
import { writeManifest } from '../../../../electron/monitor/export/manifest';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-writer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeChunks', () => {
  it('writes the chunks and reports their size, hash and count', async () => {
    const path = join(dir, 'out.txt');
    const progress: number[] = [];
    async function* chunks() {
      yield 'a,b\r\n';
      yield 'é\r\n';
    }
    const file = await writeChunks(path, chunks(), (n) => progress.push(n));
    const bytes = await readFile(path);
    expect(bytes.toString('utf8')).toBe('a,b\r\né\r\n');
    expect(file).toEqual({
      path,
      bytes: 9,
      records: 2,
      sha256Hex: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(progress).toEqual([1, 2]);
  });

  it.each([
    { desc: 'before the first chunk', before: 0 },
    { desc: 'after some chunks', before: 3 },
  ])(
    'removes the partial file and keeps the old one when the source fails $desc',
    async ({ before }) => {
      const path = join(dir, 'out.txt');
      await writeFile(path, 'previous export');
      function* chunks() {
        for (let i = 0; i < before; i++) yield `line ${i}\n`;
        throw new Error('source failed');
      }
      await expect(writeChunks(path, chunks())).rejects.toThrow('source failed');
      expect(await readdir(dir)).toEqual(['out.txt']);
      expect(await readFile(path, 'utf8')).toBe('previous export');
    },
  );

  it('counts each record of a page chunk, and skips an empty page', async () => {
    const path = join(dir, 'out.csv');
    const progress: number[] = [];
    const chunks = ['h\r\n', ['a\r\n', 'b\r\n', 'c\r\n'], [], ['d\r\n']];
    const file = await writeChunks(path, chunks, (n) => progress.push(n));
    expect(await readFile(path, 'utf8')).toBe('h\r\na\r\nb\r\nc\r\nd\r\n');
    expect(file.records).toBe(5);
    expect(file.bytes).toBe(15);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });

  it('counts records without a progress callback', async () => {
    const file = await writeChunks(join(dir, 'out.txt'), [['a\n', 'b\n'], 'c\n']);
    expect(file.records).toBe(3);
  });

  it('rejects when the directory does not exist', async () => {
    await expect(writeChunks(join(dir, 'missing', 'out.txt'), ['x'])).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('writeManifest', () => {
  it('writes valid JSON listing the files in order', async () => {
    const files = [
      { path: 'a.csv', sha256: '00'.repeat(32), bytes: 1 },
      { path: 'b.jsonl', sha256: '11'.repeat(32), bytes: 2 },
    ];
    await writeManifest(dir, 7, files);
    expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual({
      format: 'vigil-export-manifest/v1',
      createdAtMs: 7,
      files,
    });
  });
});
