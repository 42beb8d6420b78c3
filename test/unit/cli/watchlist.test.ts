import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRekorMonitorConfig } from '../../../electron/core/watch/rekor-monitor';
import { parseWatchlist } from '../../../electron/core/watch/watchlist';
import { runVigil } from '../core/watch/cli-run';

const WATCHLISTS = new URL('../../fixtures/watchlists/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vigil-watchlist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vigil watchlist check', () => {
  it('lists the watches of a valid watchlist', async () => {
    const r = await runVigil(['watchlist', 'check', `${WATCHLISTS}common.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('common.yaml: valid, 6 watches\n');
    expect(r.stdout).toContain(
      '  sigstore-js releases (github; expects workflows, refs, triggers)\n',
    );
    expect(r.stdout).toContain(
      '  email:william@yossarian.net (email; no expectations: alerts on every use)\n',
    );
    expect(r.stdout).toMatch(
      /oid:1\.3\.6\.1\.4\.1\.57264\.1\.9=.* \(oid; no expectations: alerts on every use, only on rekor\.sigstore\.dev\)/,
    );
  });

  it('reports every problem with its path and exits 1', async () => {
    const path = `${WATCHLISTS}invalid.yaml`;
    const r = await runVigil(['watchlist', 'check', path]);
    expect(r.code).toBe(1);
    const problems = r.stderr.trim().split('\n');
    expect(problems[0]).toBe(
      `${path}: watches[0].github: want "owner/repo", got "https://github.com/acme/widget"`,
    );
    expect(problems).toContain(
      `${path}: watches[4].expect.refs[0]: want a full ref like refs/heads/main or refs/tags/v*, got "main"`,
    );
    expect(problems.at(-1)).toBe(`${path}: 6 problems`);
  });

  it('reads .json files as strict JSON', async () => {
    const path = join(dir, 'w.json');
    writeFileSync(path, 'version: 1\nwatches: []\n');
    const r = await runVigil(['watchlist', 'check', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/: json: /);
  });

  it('fails with FILE_UNREADABLE for a missing file', async () => {
    const r = await runVigil(['watchlist', 'check', join(dir, 'missing.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FILE_UNREADABLE: cannot read .*missing\.yaml: ENOENT/);
  });

  it.each([[[]], [['a.yaml', 'b.yaml']]])('is a usage error with files %j', async (files) => {
    expect((await runVigil(['watchlist', 'check', ...files])).code).toBe(2);
  });
});

describe('vigil watchlist import-rekor-monitor', () => {
  it('prints the converted watchlist and the notes', async () => {
    const path = `${WATCHLISTS}rekor-monitor.yaml`;
    const r = await runVigil(['watchlist', 'import-rekor-monitor', path]);
    expect(r.code).toBe(0);
    const want = importRekorMonitorConfig(readFileSync(path, 'utf8'));
    expect(parseWatchlist(r.stdout)).toEqual(want.watchlist);
    expect(r.stderr).toBe(want.notes.map((n) => `note: ${n}\n`).join(''));
  });

  it('fails with WATCHLIST_INVALID for a config without monitoredValues', async () => {
    const r = await runVigil(['watchlist', 'import-rekor-monitor', `${WATCHLISTS}common.yaml`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/WATCHLIST_INVALID: monitoredValues: missing/);
  });
});
