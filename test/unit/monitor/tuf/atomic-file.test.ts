import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../electron/monitor/tuf/atomic-file';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces an existing file and leaves no temporary file beside it', async () => {
    const path = join(dir, 'last-good.json');
    await writeFile(path, 'old contents, longer than the new ones');

    await writeFileAtomic(path, 'new');

    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['last-good.json']);
  });

  it('writes bytes exactly', async () => {
    const path = join(dir, 'bytes');
    const bytes = new Uint8Array([0, 255, 10, 13]);

    await writeFileAtomic(path, bytes);

    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
  });

  it('throws and creates nothing when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'file'), 'x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes its temporary file when the rename fails', async () => {
    // A directory in the target's place makes rename(2) fail after the temporary file is written.
    const path = join(dir, 'target');
    await writeFile(join(dir, 'other'), 'x');
    await mkdir(path);
    await writeFile(join(path, 'child'), 'keeps the directory non-empty');

    await expect(writeFileAtomic(path, 'new')).rejects.toBeInstanceOf(Error);

    expect((await readdir(dir)).sort()).toEqual(['other', 'target']);
  });
});
