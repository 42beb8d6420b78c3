import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import {
  githubSigner,
  jsonLines,
  openHarness,
  runCli,
  T0,
  type Harness,
} from '../monitor/service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.service.watchlist.add({ github: 'acme/widget', expect: { refs: ['refs/heads/main'] } });
  // Alert 1: an unexpected signing from a tag; alert 2: the log misbehaved.
  h.seed([
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ ref: 'refs/tags/v9.9.9' }),
      reason: 'ref refs/tags/v9.9.9 is not expected',
    },
  ]);
  h.service.stores.alerts.raise({
    kind: 'log-inconsistent',
    dedupeKey: 'inconsistent|4',
    origin: h.log.origin,
    summary: 'root hash at tree size 4 differs',
    atMs: T0 + 1,
  });
});
afterEach(() => h.close());

const alerts = (...args: string[]) => runCli(['alerts', ...args, '--data-dir', h.dir]);

describe('vigil alerts list', () => {
  it('lists alerts newest first with their body for people', async () => {
    const r = await alerts('list');
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toMatch(
      new RegExp(
        `^#2 \\[CRITICAL\\] log ${h.log.origin} is inconsistent ${h.log.origin} \\(new, raised `,
      ),
    );
    expect(r.stdout).toContain('#1 [HIGH] unexpected signing for github:acme/widget');
    expect(r.stdout).toContain('  ref: refs/tags/v9.9.9\n');
  });

  it('prints AlertView lines with --json, filtered by --state', async () => {
    await alerts('ack', '2');
    const r = await alerts('list', '--json', '--state', 'new');
    expect(jsonLines(r.stdout)).toEqual([
      expect.objectContaining({ id: 1, kind: 'match', matchId: 1, state: 'new', logIndex: 0 }),
    ]);
  });

  it('is a usage error with an unknown state', async () => {
    expect((await alerts('list', '--state', 'dismissed')).code).toBe(EXIT.USAGE);
  });
});

describe('vigil alerts ack', () => {
  it('acknowledges the alert', async () => {
    expect(await alerts('ack', '2')).toMatchObject({
      code: EXIT.OK,
      stdout: 'alert 2 acknowledged\n',
    });
    expect(h.service.alerts.list({ state: 'acknowledged' }).alerts.map((a) => a.id)).toEqual([2]);
  });

  it('exits 1 for an unknown alert and 2 for a malformed ID', async () => {
    const missing = await alerts('ack', '9');
    expect(missing.code).toBe(EXIT.OPERATIONAL);
    expect(missing.stderr).toBe('vigil alerts ack: NOT_FOUND: alert 9 not found\n');
    for (const id of ['0', '1.0', '-1', '0x1', '99999999999999999']) {
      expect((await alerts('ack', id)).code).toBe(EXIT.USAGE);
    }
    expect((await alerts('ack')).code).toBe(EXIT.USAGE);
  });
});

describe('vigil alerts expect', () => {
  it('marks the signing expected and says what its watch learnt', async () => {
    const r = await alerts('expect', '1');
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(
      'alert 1 marked expected\nwatch github:acme/widget now also expects ref refs/tags/v9.9.9\n',
    );
    expect(h.service.watchlist.list()[0]!.item.expect).toEqual({
      refs: ['refs/heads/main', 'refs/tags/v9.9.9'],
    });
  });

  it('refuses a log alert', async () => {
    const r = await alerts('expect', '2');
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toMatch(/INVALID_INPUT: alert 2 is a log-inconsistent alert/);
  });
});

describe('vigil alerts note', () => {
  it('saves and removes the note of a match alert, on its match', async () => {
    expect((await alerts('note', '1', 'Alice cut v9.9.9 by hand')).stdout).toBe(
      'note saved on alert 1\n',
    );
    expect(h.service.matches.get(1).note).toBe('Alice cut v9.9.9 by hand');
    expect((await alerts('list')).stdout).toContain('  note: Alice cut v9.9.9 by hand\n');
    expect((await alerts('note', '1', '')).stdout).toBe('note removed from alert 1\n');
    expect(h.service.matches.get(1)).not.toHaveProperty('note');
  });

  it('saves the note of a log alert', async () => {
    expect((await alerts('note', '2', 'the log operator knows')).stdout).toBe(
      'note saved on alert 2\n',
    );
    const listed = jsonLines((await alerts('list', '--json')).stdout);
    expect(listed).toContainEqual(
      expect.objectContaining({ id: 2, note: 'the log operator knows' }),
    );
  });

  it('is a usage error without the text', async () => {
    expect((await alerts('note', '1')).code).toBe(EXIT.USAGE);
  });
});
