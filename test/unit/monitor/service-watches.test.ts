import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWatchlist } from '../../../electron/core/watch/watchlist';
import { notPlainJson, openHarness, type Harness } from './service-harness';

const COMMON = readFileSync(
  new URL('../../fixtures/watchlists/common.yaml', import.meta.url),
  'utf8',
);

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

const names = () => h.service.watchlist.list().map((w) => w.name);
const auditKinds = () => h.service.audit.page({ limit: 500 }).events.map((e) => e.kind);

describe('MonitorService.addWatch', () => {
  it('adds a watchlist item and returns its view with the item in file form', () => {
    const view = h.service.watchlist.add({
      github: 'acme/widget',
      expect: { workflows: ['.github/workflows/release.yml'], refs: ['refs/tags/v*'] },
    });
    expect(view).toEqual({
      name: 'github:acme/widget',
      kind: 'github',
      target: 'acme/widget',
      enabled: true,
      item: {
        github: 'acme/widget',
        name: 'github:acme/widget',
        expect: { workflows: ['.github/workflows/release.yml'], refs: ['refs/tags/v*'] },
      },
      createdAtMs: h.clock.nowMs,
    });
    expect(notPlainJson(view)).toBeUndefined();
    expect(auditKinds()).toContain('watch.added');
  });

  it('round-trips every kind through its view item', () => {
    h.service.watchlist.import(COMMON, 'yaml', 'replace');
    const views = h.service.watchlist.list();
    const other = openHarness();
    try {
      for (const v of views) other.service.watchlist.add(v.item);
      expect(other.service.watchlist.list().map(({ createdAtMs: _, ...w }) => w)).toEqual(
        views.map(({ createdAtMs: _, ...w }) => w),
      );
    } finally {
      other.close();
    }
  });

  it.each([
    { desc: 'github', item: { github: 'acme/widget' }, target: 'acme/widget' },
    { desc: 'email', item: { email: 'a@example.com' }, target: 'a@example.com' },
    {
      desc: 'san glob',
      item: { san: 'https://github.com/acme/*' },
      target: 'https://github.com/acme/*',
    },
    {
      desc: 'oid',
      item: { oid: '1.3.6.1.4.1.57264.1.9', value: 'v' },
      target: '1.3.6.1.4.1.57264.1.9=v',
    },
    { desc: 'key', item: { key: 'AB'.repeat(32) }, target: 'ab'.repeat(32) },
  ])('shows the $desc target in one line', ({ item, target }) => {
    expect(h.service.watchlist.add(item).target).toBe(target);
  });

  it('reports every problem of an invalid item under "watch"', () => {
    const add = () =>
      h.service.watchlist.add({ github: 'https://github.com/acme', enabled: 'yes' });
    expect(add).toThrowCode('WATCHLIST_INVALID');
    expect(add).toThrow(/^watch\.github: want "owner\/repo".*; watch\.enabled: want true or false/);
    expect(h.service.watchlist.list()).toEqual([]);
  });

  it.each([null, 'github: acme/widget', [], 42])('rejects item %j', (item) => {
    expect(() => h.service.watchlist.add(item)).toThrowCode('WATCHLIST_INVALID');
  });

  it('refuses a second watch with the same name', () => {
    h.service.watchlist.add({ github: 'acme/widget' });
    expect(() => h.service.watchlist.add({ github: 'acme/widget', enabled: false })).toThrowCode(
      'INVALID_INPUT',
    );
  });
});

describe('MonitorService.removeWatch', () => {
  it('removes a watch and audits it', () => {
    h.service.watchlist.add({ email: 'a@example.com' });
    h.service.watchlist.remove('email:a@example.com');
    expect(names()).toEqual([]);
    expect(auditKinds()).toContain('watch.removed');
  });

  it('throws NOT_FOUND for an unknown watch and INVALID_INPUT for a non-string', () => {
    expect(() => h.service.watchlist.remove('nope')).toThrowCode('NOT_FOUND');
    expect(() => h.service.watchlist.remove(7 as never)).toThrowCode('INVALID_INPUT');
  });
});

describe('MonitorService.importWatchlist', () => {
  it('replaces the watchlist with the file', () => {
    h.service.watchlist.add({ github: 'old/repo' });
    const change = h.service.watchlist.import(COMMON, 'yaml', 'replace');
    expect(change.removed).toEqual(['github:old/repo']);
    expect(change.added).toHaveLength(6);
    expect(names()).not.toContain('github:old/repo');
  });

  it('merges: adds new watches, updates same-named ones, keeps the rest', () => {
    h.service.watchlist.add({ github: 'old/repo' });
    h.service.watchlist.add({ email: 'william@yossarian.net' });
    const change = h.service.watchlist.import(COMMON, 'yaml', 'merge');
    expect(change).toEqual({
      added: expect.arrayContaining(['sigstore-js releases']) as string[],
      changed: ['email:william@yossarian.net'],
      removed: [],
    });
    expect(change.added).toHaveLength(5);
    expect(names()).toContain('github:old/repo');
    expect(h.service.watchlist.import(COMMON, 'yaml', 'merge')).toEqual({
      added: [],
      changed: [],
      removed: [],
    });
  });

  it('changes nothing when the file is invalid', () => {
    h.service.watchlist.add({ github: 'old/repo' });
    expect(() =>
      h.service.watchlist.import('version: 1\nwatches:\n  - github: x\n', 'yaml', 'replace'),
    ).toThrowCode('WATCHLIST_INVALID');
    expect(names()).toEqual(['github:old/repo']);
  });

  it('requires strict JSON for the json format', () => {
    expect(() =>
      h.service.watchlist.import('version: 1\nwatches: []\n', 'json', 'merge'),
    ).toThrowCode('WATCHLIST_INVALID');
  });

  it.each([
    { desc: 'an unknown format', args: ['version: 1\nwatches: []\n', 'toml', 'merge'] },
    { desc: 'an unknown mode', args: ['version: 1\nwatches: []\n', 'yaml', 'append'] },
    { desc: 'empty text', args: ['', 'yaml', 'merge'] },
    { desc: 'text over 1 MiB', args: [' '.repeat(2 ** 20 + 1), 'yaml', 'merge'] },
  ])('rejects $desc with INVALID_INPUT', ({ args }) => {
    const [text, format, mode] = args as [string, 'yaml', 'merge'];
    expect(() => h.service.watchlist.import(text, format, mode)).toThrowCode('INVALID_INPUT');
  });
});

describe('MonitorService.exportWatchlist', () => {
  it.each(['yaml', 'json'] as const)(
    'writes a %s file that parses back to the watchlist',
    (format) => {
      const imported = parseWatchlist(COMMON, 'yaml');
      h.service.watchlist.import(COMMON, 'yaml', 'replace');
      const text = h.service.watchlist.export(format);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect([...parseWatchlist(text, format).watches].sort(byName)).toEqual(
        [...imported.watches].sort(byName),
      );
    },
  );

  it('rejects an unknown format', () => {
    expect(() => h.service.watchlist.export('xml' as never)).toThrowCode('INVALID_INPUT');
  });
});
