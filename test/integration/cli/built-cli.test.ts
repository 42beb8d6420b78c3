// The `vigil` command as it ships: package.json's bin is the built out/main/vigil.js (made by
// `npm run build`, and by `npm install` through `prepare`), run by plain Node with no
// TypeScript loader, matching on the built worker thread.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import type { FakeLog } from '../../../electron/demo/fake-log/index';
import {
  EVIL,
  Planter,
  WATCHLIST_YAML,
  WIDGET,
  matchKeysOf,
  parseJsonLines,
  startNamedFakeLog,
  writeTrustedRootFor,
  writeWatchlist,
} from '../../support/run-helpers';

const ROOT = join(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const BUILT = join(ROOT, pkg.bin['vigil'] ?? 'missing');
const OUT = join(ROOT, 'out/main');

/** Newest modification time of the .ts sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

// A stale build would test yesterday's code: say so rather than pass or fail on it.
beforeAll(() => {
  let built: number;
  try {
    built = statSync(BUILT).mtimeMs;
  } catch {
    throw new Error(`${pkg.bin['vigil']} is missing: run \`npm run build\` (npm test does)`);
  }
  if (built < newestSource(join(ROOT, 'electron'))) {
    throw new Error(`${pkg.bin['vigil']} is older than electron/: run \`npm run build\``);
  }
});

const run = (args: readonly string[]) =>
  promisify(execFile)(process.execPath, [BUILT, ...args], {
    cwd: tmpdir(),
    env: { PATH: process.env['PATH'] ?? '' },
  });

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

describe('the built vigil command', () => {
  it('is what package.json installs, built by npm install, without a TypeScript runtime', () => {
    expect(pkg.bin).toEqual({ vigil: 'out/main/vigil.js' });
    expect(pkg.scripts['prepare']).toBe('electron-vite build');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(readFileSync(BUILT, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const file of readdirSync(OUT, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      expect(readFileSync(join(OUT, file), 'utf8'), file).not.toMatch(
        /(from |import\(|require\()["']tsx[/"']/,
      );
    }
  });

  it('prints its version and help', async () => {
    expect((await run(['--version'])).stdout).toBe(`${pkg.version}\n`);
    const help = (await run(['--help'])).stdout;
    expect(help).toContain(`vigil ${pkg.version}`);
    expect(help).toMatch(/^ {2}run +/m);
  });

  it('verifies a real production entry with the trusted root shipped inside it', async () => {
    const file = join(
      ROOT,
      'test/fixtures/realdata/rekor-v1/api-log-entry/jar-entry.production.json',
    );
    const { stdout } = await run(['verify', file]);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, type: 'entry' });
  });

  it('runs a monitoring pass and reports a planted signing through its built matching worker', async () => {
    log = await startNamedFakeLog();
    const ca = createTestCa();
    const p = new Planter(log, ca);
    const dir = mkdtempSync(join(tmpdir(), 'vigil-built-'));
    const base = ['run', '--once', '--json', '--data-dir', join(dir, 'data')];
    const trust = ['--trusted-root', writeTrustedRootFor(dir, [log], ca)];
    log.v1.grow(5);
    log.v2.grow(5);
    const first = await run([
      ...base,
      ...trust,
      '--watchlist',
      writeWatchlist(dir, WATCHLIST_YAML),
    ]);
    expect(matchKeysOf(parseJsonLines(first.stdout))).toEqual([]);

    p.v1('hashedrekord@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    p.v2(EVIL, 'trusted', [WIDGET, 'unexpected']);
    const second = await run([...base, ...trust]).then(
      () => expect.unreachable('an unexpected signing exits 3'),
      (err: { code: number; stdout: string }) => err,
    );
    expect(second.code).toBe(3);
    expect(matchKeysOf(parseJsonLines(second.stdout)).sort()).toEqual([...p.expected].sort());
  });
});
