import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { age } from '../../../electron/cli/service-io';
import { openHarness, runCli, T0, type Harness } from '../monitor/service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

describe('vigil status', () => {
  it('says what is missing on a fresh data dir', async () => {
    const r = await runCli(['status', '--data-dir', h.dir]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(
      [
        `data dir: ${h.dir}`,
        'trust: not loaded yet (run `vigil run`)',
        'logs: none yet (run `vigil run`)',
        'watches: 0',
        'alerts: 0 new',
        '',
      ].join('\n'),
    );
  });

  it('shows each log with its checkpoint, backlog and last error, and the alert count', async () => {
    h.seed([{ watchName: 'github:acme/widget', classification: 'unexpected' }]);
    h.service.stores.logs.recordError(
      h.log.origin,
      { code: 'LOG_TIMEOUT', message: 'GET /checkpoint timed out\u001b[2J' },
      T0,
    );
    h.service.stores.logs.setPaused(h.log.origin, true);
    h.service.stores.logs.recordKeyName(h.log.origin, 'log.example:8080\u001b[2J', T0);
    const r = await runCli(['status', '--data-dir', h.dir]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toContain(
      [
        `${h.log.origin} (v2, active, paused)`,
        `  verified tree size 1, ${age(T0, Date.now())}`,
        '  checkpoints signed as log.example:8080\ufffd[2J',
        '  scanned to index 1, backlog 0',
        // The escape character of the log's message is not passed to the terminal.
        '  last error: LOG_TIMEOUT: GET /checkpoint timed out\ufffd[2J',
      ].join('\n'),
    );
    expect(r.stdout).toContain('alerts: 1 new\n');
  });

  it('flags a stale trust root', async () => {
    h.service.stores.settings.set(
      'trust.state',
      {
        source: 'tuf-cache',
        state: 'stale',
        staleReason: { code: 'TUF_UNREACHABLE', message: 'mirror unreachable' },
        refreshedAtMs: Date.now() - 3 * 86_400_000,
      },
      T0,
    );
    const r = await runCli(['status', '--data-dir', h.dir]);
    expect(r.stdout).toContain(
      'trust: TRUST ROOT STALE (tuf-cache, refreshed 3d ago): TUF_UNREACHABLE: mirror unreachable\n',
    );
  });

  it('prints the status view as one JSON object with --json', async () => {
    h.seed([{ watchName: 'github:acme/widget', classification: 'unexpected' }]);
    await h.service.monitoring.loadTrust();
    const r = await runCli(['status', '--data-dir', h.dir, '--json']);
    expect(r.code).toBe(EXIT.OK);
    expect(JSON.parse(r.stdout)).toEqual(h.service.monitoring.status());
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('is a usage error with an argument or an unknown flag', async () => {
    expect((await runCli(['status', 'now', '--data-dir', h.dir])).code).toBe(EXIT.USAGE);
    expect((await runCli(['status', '--log', 'x', '--data-dir', h.dir])).code).toBe(EXIT.USAGE);
  });

  it('prints usage with --help', async () => {
    const r = await runCli(['status', '--help']);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(/^Usage: vigil status /);
  });
});

describe('age', () => {
  it.each([
    { ms: 1_000_000, now: 1_030_000, want: 'just now' },
    { ms: 0, now: 5 * 60_000, want: '5m ago' },
    { ms: 0, now: 3 * 3_600_000 + 59_000, want: '3h ago' },
    { ms: 0, now: 2 * 86_400_000, want: '2d ago' },
    { ms: 600_000, now: 0, want: 'in the future' },
  ])('says $want for $ms at $now', ({ ms, now, want }) => {
    expect(age(ms, now)).toBe(want);
  });
});
