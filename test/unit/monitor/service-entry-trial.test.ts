// "Test against an entry" (watchlist:test-entry) and the rekor-monitor conversion
// (watchlist:from-rekor-monitor), on a real service with the shipped production trusted root and
// real production bundles.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MonitorService } from '../../../electron/monitor/service';
import { AppError } from '../../../electron/core/errors';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/bundles/${name}`, import.meta.url), 'utf8');
const SIGSTORE_JS = fixture('cli.sigstore-js-2.1.0-bundle-v0.1.json');
const PYTHON = fixture('sigstore-python.Python-3.12.5.tgz.sigstore.json');
const PRODUCTION_ROOT = new URL(
  '../../../electron/core/trust/seeds/trusted_root.production.json',
  import.meta.url,
).pathname;

let dir: string;
let service: MonitorService;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-trial-'));
  service = MonitorService.open({ dataDir: dir, trust: { trustedRootFile: PRODUCTION_ROOT } });
  await service.monitoring.loadTrust();
});
afterEach(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return undefined;
}

describe('entryTrial.test', () => {
  it('names the watch a real release signing matches, classified against its expectations', () => {
    service.watchlist.add({
      github: 'sigstore/sigstore-js',
      expect: { workflows: ['.github/workflows/release.yml'], refs: ['refs/tags/v*'] },
    });
    service.watchlist.add({ email: 'thomas@python.org' });
    const view = service.entryTrial.test(SIGSTORE_JS);
    expect(view.watchesTried).toBe(2);
    expect(view.entries).toHaveLength(1);
    const [entry] = view.entries;
    expect(entry).toMatchObject({ kind: 'intoto', logIndex: 33351527 });
    expect(entry!.signers[0]).toMatchObject({
      repository: 'https://github.com/sigstore/sigstore-js',
      ref: 'refs/heads/main',
      chain: 'trusted',
    });
    // Signed from refs/heads/main, and the watch expects tags: unexpected, and the reason says so.
    expect(entry!.matches).toEqual([
      expect.objectContaining({
        watch: 'github:sigstore/sigstore-js',
        watchEnabled: true,
        classification: 'unexpected',
        signerIndex: 0,
      }),
    ]);
    expect(entry!.matches[0]!.reason).toMatch(/refs\/heads\/main/);
  });

  it('tries switched-off watches too and says they are off', () => {
    service.watchlist.import(
      'version: 1\nwatches:\n  - email: thomas@python.org\n    enabled: false\n',
      'yaml',
      'merge',
    );
    const [entry] = service.entryTrial.test(PYTHON).entries;
    expect(entry!.matches).toEqual([
      expect.objectContaining({ watch: 'email:thomas@python.org', watchEnabled: false }),
    ]);
  });

  it('matches nothing when no watch names the signer, and lists who signed', () => {
    service.watchlist.add({ github: 'acme/widget' });
    const [entry] = service.entryTrial.test(PYTHON).entries;
    expect(entry!.matches).toEqual([]);
    expect(entry!.signers[0]!.sans).toEqual([{ type: 'email', value: 'thomas@python.org' }]);
  });

  it('refuses a checkpoint, text that is not an entry, and a malformed entry with our codes', () => {
    expect(codeOf(() => service.entryTrial.test('rekor.sigstore.dev - 1\n1\nAA==\n\n'))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => service.entryTrial.test('{"hello": 1}'))).toBe('INVALID_INPUT');
    expect(codeOf(() => service.entryTrial.test('{"cut": '))).toBe('INVALID_INPUT');
    const broken = JSON.parse(SIGSTORE_JS) as {
      verificationMaterial: { tlogEntries: { canonicalizedBody: string }[] };
    };
    broken.verificationMaterial.tlogEntries[0]!.canonicalizedBody = Buffer.from(
      '{"kind":"intoto","apiVersion":"0.0.2","spec":{}}',
    ).toString('base64');
    expect(codeOf(() => service.entryTrial.test(JSON.stringify(broken)))).toBe('ENTRY_MALFORMED');
    expect(codeOf(() => service.entryTrial.test(''))).toBe('INVALID_INPUT');
  });

  it('refuses before the trusted root is loaded', () => {
    const other = MonitorService.open({ dataDir: join(dir, 'other') });
    try {
      expect(codeOf(() => other.entryTrial.test(PYTHON))).toBe('INVALID_INPUT');
    } finally {
      other.close();
    }
  });
});

describe('watchlist.fromRekorMonitor', () => {
  it('converts a rekor-monitor config into watchlist YAML with notes, importing nothing', () => {
    const config = [
      'monitoredValues:',
      '  certIdentities:',
      '    - certSubject: https://github.com/acme/widget/.github/workflows/release.yml@.*',
      '      issuers: [https://token.actions.githubusercontent.com]',
      '  subjects: [someone]',
      '',
    ].join('\n');
    const { yaml, notes } = service.watchlist.fromRekorMonitor(config);
    expect(yaml).toMatch(/^version: 1/);
    expect(notes.some((n) => n.includes('subjects'))).toBe(true);
    expect(service.watchlist.list()).toEqual([]);
    const change = service.watchlist.import(yaml, 'yaml', 'merge');
    expect(change.added).toHaveLength(1);
  });

  it('says WATCHLIST_INVALID for text that is not a rekor-monitor config', () => {
    expect(codeOf(() => service.watchlist.fromRekorMonitor('watches: []\n'))).toBe(
      'WATCHLIST_INVALID',
    );
  });
});
