import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cachedTargetPath,
  commitLastGood,
  readLastGood,
  tufCacheDir,
  tufCacheLayout,
} from '../../../../electron/monitor/tuf/tuf-cache';

let dir: string;
let staged: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tuf-cache-'));
  staged = join(dir, 'staged');
  await mkdir(staged);
  await writeFile(join(staged, 'root.json'), '{"root":2}');
  await writeFile(join(staged, 'timestamp.json'), '{"timestamp":7}');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cacheDir = () => join(dir, 'cache');
const targets = (root: string) =>
  new Map([
    ['trusted_root.json', Buffer.from(root)],
    ['signing_config.v0.2.json', Buffer.from('{"sc":1}')],
  ]);

describe('tufCacheDir', () => {
  it.each([
    { mirror: 'https://tuf-repo-cdn.sigstore.dev', want: 'tuf-repo-cdn.sigstore.dev' },
    { mirror: 'https://tuf-repo-cdn.sigstore.dev/', want: 'tuf-repo-cdn.sigstore.dev' },
    { mirror: 'http://127.0.0.1:8080/repo', want: '127.0.0.1%3A8080' },
  ])('puts $mirror under tuf/$want', ({ mirror, want }) => {
    expect(tufCacheDir('/data', mirror)).toBe(join('/data', 'tuf', want));
  });
});

describe('commitLastGood', () => {
  it('makes the targets and metadata readable as the last good state', async () => {
    await commitLastGood(cacheDir(), staged, targets('{"tr":1}'), 1234);

    const lastGood = await readLastGood(cacheDir());

    expect(lastGood?.refreshedAtMs).toBe(1234);
    expect(Object.fromEntries(lastGood?.targets ?? [])).toEqual(
      Object.fromEntries(targets('{"tr":1}')),
    );
    expect((await readdir(tufCacheLayout(cacheDir()).metadataDir)).sort()).toEqual([
      'root.json',
      'timestamp.json',
    ]);
  });

  it('removes target files the new state no longer names and leaves no temporary files', async () => {
    await commitLastGood(cacheDir(), staged, targets('{"tr":1}'), 1);
    await commitLastGood(cacheDir(), staged, targets('{"tr":2}'), 2);

    const files = await readdir(tufCacheLayout(cacheDir()).targetsDir);

    expect(files).toHaveLength(2);
    expect(files.some((f) => f.startsWith('.'))).toBe(false);
    expect((await readLastGood(cacheDir()))?.targets.get('trusted_root.json')?.toString()).toBe(
      '{"tr":2}',
    );
  });
});

describe('readLastGood', () => {
  it('returns undefined when nothing was ever committed', async () => {
    expect(await readLastGood(cacheDir())).toBeUndefined();
  });

  it.each([
    { desc: 'not json', text: '{' },
    { desc: 'missing refreshedAtMs', text: '{"targets":{}}' },
    { desc: 'fractional refreshedAtMs', text: '{"refreshedAtMs":1.5,"targets":{}}' },
    { desc: 'targets not an object', text: '{"refreshedAtMs":1,"targets":[]}' },
    { desc: 'uppercase hash', text: `{"refreshedAtMs":1,"targets":{"a":"${'A'.repeat(64)}"}}` },
    { desc: 'short hash', text: '{"refreshedAtMs":1,"targets":{"a":"abcd"}}' },
  ])('returns undefined when last-good.json is $desc', async ({ text }) => {
    await mkdir(cacheDir(), { recursive: true });
    await writeFile(tufCacheLayout(cacheDir()).lastGoodFile, text);

    expect(await readLastGood(cacheDir())).toBeUndefined();
  });

  it('returns undefined when a named target file no longer matches its hash', async () => {
    await commitLastGood(cacheDir(), staged, targets('{"tr":1}'), 1);
    const [file] = (await readdir(tufCacheLayout(cacheDir()).targetsDir)).filter((f) =>
      f.endsWith('trusted_root.json'),
    );
    await writeFile(join(tufCacheLayout(cacheDir()).targetsDir, file!), '{"tr":666}');

    expect(await readLastGood(cacheDir())).toBeUndefined();
  });

  it('returns undefined when a named target file is missing', async () => {
    await commitLastGood(cacheDir(), staged, targets('{"tr":1}'), 1);
    const hash = 'e'.repeat(64);
    await writeFile(
      tufCacheLayout(cacheDir()).lastGoodFile,
      JSON.stringify({ refreshedAtMs: 1, targets: { 'trusted_root.json': hash } }),
    );

    expect(await readLastGood(cacheDir())).toBeUndefined();
    expect(cachedTargetPath(cacheDir(), 'trusted_root.json', hash)).toContain(
      `${hash}.trusted_root.json`,
    );
  });
});
