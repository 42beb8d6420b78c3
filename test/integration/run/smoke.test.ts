import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { createTestCa, DEFAULT_LEAF_NOT_BEFORE_MS, entryBodyFor } from '../../support/cert-factory';
import { startFakeLog, type FakeLog } from '../../support/fake-log/index';
import { writeFakeTrustedRoot } from '../../support/fake-trust';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), env: {} });
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
    err,
  };
}

let log: FakeLog | undefined;
afterEach(async () => {
  await log?.close();
  log = undefined;
});

describe('vigil run --once', () => {
  it('finds planted signings on Rekor v1 and v2 and exits 3', async () => {
    log = await startFakeLog({
      v1: (url) => ({
        host: new URL(url).host,
        integratedTime: () => DEFAULT_LEAF_NOT_BEFORE_MS / 1000 + 60,
      }),
      v2: (url) => ({ origin: new URL(url).host, prefix: '/v2' }),
    });
    const ca = createTestCa();
    const workflow = (path: string, ref: string) =>
      ca.issueLeaf({
        sans: [{ type: 'uri', value: `https://github.com/acme/widget/${path}@${ref}` }],
        extensions: {
          '1.3.6.1.4.1.57264.1.8': GITHUB_ISSUER,
          '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/widget',
          '1.3.6.1.4.1.57264.1.14': ref,
          '1.3.6.1.4.1.57264.1.18': `https://github.com/acme/widget/${path}@${ref}`,
          '1.3.6.1.4.1.57264.1.20': 'push',
        },
      });
    log.v1.grow(300);
    log.v1.append([
      entryBodyFor(
        workflow('.github/workflows/release.yml', 'refs/tags/v1.0.0'),
        'hashedrekord@0.0.1',
      ),
    ]);
    log.v1.grow(20);
    log.v1.append([
      entryBodyFor(workflow('.github/workflows/evil.yml', 'refs/heads/x'), 'intoto@0.0.2'),
    ]);
    log.v2.grow(300);
    log.v2.append([
      entryBodyFor(workflow('.github/workflows/evil.yml', 'refs/heads/x'), 'hashedrekord@0.0.2'),
    ]);
    log.v2.grow(5);

    const dir = mkdtempSync(join(tmpdir(), 'vigil-run-'));
    const trustedRoot = writeFakeTrustedRoot(dir, log, ca);
    const watchlist = join(dir, 'watchlist.yaml');
    writeFileSync(
      watchlist,
      'version: 1\nwatches:\n  - github: acme/widget\n    expect:\n      workflows: [.github/workflows/release.yml]\n      refs: [refs/tags/v*]\n',
    );
    const args = [
      'run',
      '--once',
      '--json',
      '--data-dir',
      join(dir, 'data'),
      '--trusted-root',
      trustedRoot,
    ];
    const first = await run([...args, '--watchlist', watchlist, '--from-index', '0']);
    expect(first.err).toBe('');
    const matches = first.lines.filter((l) => l['type'] === 'match');
    expect(matches.map((m) => [m['logIndex'], m['classification']]).sort()).toEqual([
      [300, 'expected'],
      [300, 'unexpected'],
      [321, 'unexpected'],
    ]);
    expect(first.code).toBe(3);

    // A second pass finds nothing new and exits clean.
    log.v1.grow(10);
    const second = await run(args);
    expect(second.lines.filter((l) => l['type'] === 'match')).toEqual([]);
    expect(second.code).toBe(0);
  });
});
