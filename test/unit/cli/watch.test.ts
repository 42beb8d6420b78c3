import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { parseWatchlist } from '../../../electron/core/watch/watchlist';
import { jsonLines, openHarness, runCli, type Harness } from '../monitor/service-harness';

const COMMON = new URL('../../fixtures/watchlists/common.yaml', import.meta.url).pathname;

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

const watch = (...args: string[]) => runCli(['watch', ...args, '--data-dir', h.dir]);

describe('vigil watch add', () => {
  it('adds a github watch with expectations', async () => {
    const r = await watch(
      'add',
      '--github',
      'acme/widget',
      '--expect-workflow',
      '.github/workflows/release.yml',
      '--expect-ref',
      'refs/tags/v*',
      '--expect-ref',
      'refs/heads/main',
      '--expect-trigger',
      'push',
    );
    expect(r).toMatchObject({
      code: EXIT.OK,
      stdout: 'added github:acme/widget (github acme/widget; expects workflows, refs, triggers)\n',
    });
    expect(h.service.watchlist.list()[0]!.item).toEqual({
      github: 'acme/widget',
      name: 'github:acme/widget',
      expect: {
        workflows: ['.github/workflows/release.yml'],
        refs: ['refs/tags/v*', 'refs/heads/main'],
        triggers: ['push'],
      },
    });
  });

  it.each([
    {
      desc: 'an email watch with issuers',
      args: ['--email', 'a@example.com', '--issuer', 'https://accounts.google.com'],
      item: { email: 'a@example.com', issuers: ['https://accounts.google.com'] },
    },
    {
      desc: 'a san watch with an issuer pattern',
      args: ['--san', 'https://ci.example/*', '--issuer', 'https://issuer.example'],
      item: { san: 'https://ci.example/*', issuer: 'https://issuer.example' },
    },
    {
      desc: 'an oid watch',
      args: ['--oid', '1.3.6.1.4.1.57264.1.9', '--value', 'v1'],
      item: { oid: '1.3.6.1.4.1.57264.1.9', value: 'v1' },
    },
    {
      desc: 'a named, disabled key watch on one log',
      args: [
        '--key',
        'ab'.repeat(32),
        '--name',
        'release key',
        '--disabled',
        '--origin',
        'log.example',
      ],
      item: { key: 'ab'.repeat(32), name: 'release key', enabled: false, origins: ['log.example'] },
    },
    {
      desc: 'a gitlab watch',
      args: ['--gitlab', 'group/sub/project'],
      item: { gitlab: 'group/sub/project' },
    },
  ])('adds $desc', async ({ args, item }) => {
    const r = await watch('add', '--json', ...args);
    expect(r.code).toBe(EXIT.OK);
    expect(jsonLines(r.stdout)[0]!.item).toMatchObject(item);
    expect(h.service.watchlist.list()).toHaveLength(1);
  });

  it.each([
    { desc: 'no identity', args: [] },
    { desc: 'two identities', args: ['--github', 'a/b', '--email', 'a@b.c'] },
    { desc: '--oid without --value', args: ['--oid', '1.3.6.1.4.1.57264.1.9'] },
    { desc: '--value without --oid', args: ['--github', 'a/b', '--value', 'x'] },
    { desc: '--issuer on a github watch', args: ['--github', 'a/b', '--issuer', 'https://x'] },
    { desc: 'an invalid repository', args: ['--github', 'https://github.com/a/b'] },
    { desc: 'a ref that is not a full ref', args: ['--github', 'a/b', '--expect-ref', 'main'] },
  ])('is a usage error with $desc, and adds nothing', async ({ args }) => {
    const r = await watch('add', ...args);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/^vigil watch add: .*\n\nUsage: vigil watch add/);
    expect(h.service.watchlist.list()).toEqual([]);
  });

  it('exits 1 when the name is taken', async () => {
    await watch('add', '--github', 'a/b');
    const r = await watch('add', '--github', 'a/b');
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toBe('vigil watch add: INVALID_INPUT: watch "github:a/b" already exists\n');
  });
});

describe('vigil watch list and remove', () => {
  it('lists watches, as JSON lines too, and removes one', async () => {
    await watch('import', COMMON);
    const list = await watch('list');
    expect(list.stdout.split('\n')).toContain(
      'sigstore-js releases (github sigstore/sigstore-js; expects workflows, refs, triggers)',
    );
    expect(jsonLines((await watch('list', '--json')).stdout)).toHaveLength(6);

    expect((await watch('remove', 'sigstore-js releases')).stdout).toBe(
      'removed watch sigstore-js releases\n',
    );
    expect(jsonLines((await watch('list', '--json')).stdout)).toHaveLength(5);
    expect((await watch('remove', 'sigstore-js releases')).code).toBe(EXIT.OPERATIONAL);
  });

  it('says so when there are no watches', async () => {
    expect(await watch('list')).toEqual({ code: EXIT.OK, stdout: '', stderr: 'no watches\n' });
  });
});

describe('vigil watch import', () => {
  it('replaces the stored watchlist, or merges into it with --merge', async () => {
    await watch('add', '--github', 'old/repo');
    const merged = await watch('import', COMMON, '--merge');
    expect(merged.stderr).toBe('watchlist: 6 added, 0 changed, 0 removed\n');
    const replaced = await watch('import', COMMON);
    expect(replaced.stdout).toBe('removed github:old/repo\n');
    expect(replaced.stderr).toBe('watchlist: 0 added, 0 changed, 1 removed\n');
  });

  it('lists every problem of an invalid file, exits 1 and changes nothing', async () => {
    await watch('add', '--github', 'old/repo');
    const path = join(h.dir, 'bad.yaml');
    writeFileSync(path, 'version: 1\nwatches:\n  - github: nope\n  - email: nobody\n');
    const r = await watch('import', path);
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toContain(`${path}: watches[0].github: want "owner/repo", got "nope"\n`);
    expect(r.stderr).toContain(`${path}: watches[1].email: `);
    expect(r.stderr).toContain(`${path}: invalid, nothing imported\n`);
    expect(h.service.watchlist.list().map((w) => w.name)).toEqual(['github:old/repo']);
  });

  it('exits 1 for a missing file and 2 without one', async () => {
    const r = await watch('import', join(h.dir, 'missing.yaml'));
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toMatch(/FILE_UNREADABLE: cannot read .*missing\.yaml: ENOENT/);
    expect((await watch('import')).code).toBe(EXIT.USAGE);
  });
});

describe('vigil watch export', () => {
  it.each([
    { format: 'yaml' as const, args: [] },
    { format: 'json' as const, args: ['--json'] },
  ])(
    'prints a $format watchlist that parses back to the imported one',
    async ({ format, args }) => {
      await watch('import', COMMON);
      const r = await watch('export', ...args);
      expect(r.code).toBe(EXIT.OK);
      const names = (text: string, f: 'yaml' | 'json') =>
        parseWatchlist(text, f)
          .watches.map((w) => w.name)
          .sort();
      expect(names(r.stdout, format)).toEqual(names(readFileSync(COMMON, 'utf8'), 'yaml'));
    },
  );
});
