// `vigil demo` as a newcomer runs it: nothing to configure, and at the default pace an
// unexpected signing of the sample watch is alerted within 60 seconds; the look-alike never
// matches, and the temporary data dir is gone afterwards.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../../../electron/monitor/paths';
import { runCli } from '../../support/cli';
import { withStores } from '../../support/run-helpers';

async function until<T>(what: string, deadlineMs: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`no ${what} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('vigil demo', () => {
  it('shows an unexpected signing within 60 seconds, and serves the interface', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-demo-test-'));
    const dataDir = join(dir, 'data');
    const controller = new AbortController();
    let url: string | undefined;
    const started = Date.now();
    const run = runCli(['demo', '--data-dir', dataDir], {
      signal: controller.signal,
      onLine: (line) => {
        if (line.trim().startsWith('http://127.0.0.1:')) url = line.trim();
      },
    });
    try {
      const match = await until('unexpected alert', 60_000, () =>
        existsSync(databasePath(dataDir))
          ? withStores(dataDir, (s) => {
              const found = s.matches.page({
                watchName: 'github:acme/widget',
                classification: 'unexpected',
              }).matches[0];
              const alerted = s.alerts
                .list({ limit: 500 })
                .alerts.some((a) => a.matchId === found?.id);
              return found && alerted ? found : undefined;
            })
          : undefined,
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(match.reason).toContain('deploy.yml');
      const page = await fetch(url ?? 'missing url');
      expect(page.status).toBe(200);
      // The look-alike acme/widget-extra is signed every few ticks but is never a match.
      withStores(dataDir, (s) => {
        const reasons = s.matches.page({ limit: 500 }).matches.map((m) => m.reason);
        expect(reasons.join('\n')).not.toContain('widget-extra');
      });
    } finally {
      controller.abort();
    }
    const result = await run;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('demo: signed NOT EXPECTED');
  }, 90_000);

  it('deletes its temporary data dir on exit', async () => {
    const controller = new AbortController();
    const run = runCli(['demo', '--tick', '1s'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 1500);
    const result = await run;
    const dataDir = /state in (\S+) \(deleted on exit\)/.exec(result.stderr)?.[1];
    expect(dataDir).toBeDefined();
    expect(existsSync(dataDir!)).toBe(false);
    expect(result.code).toBe(0);
  });

  it('refuses a tick too short to be useful', async () => {
    const result = await runCli(['demo', '--tick', '10ms']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tick 10ms');
  });
});
