import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { secretEnvName } from '../../../electron/cli/service-io';
import { signWebhookBody } from '../../../electron/monitor/alerts/channels/webhook';
import { envSecretStore } from '../../../electron/monitor/alerts/env-secret-store';
import { startReceiver, type Receiver } from '../monitor/alerts/receiver';
import { jsonLines, openHarness, runCli, type Harness } from '../monitor/service-harness';

let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  h = openHarness();
  receiver = await startReceiver();
});
afterEach(async () => {
  h.close();
  await receiver.close();
});

const channels = (args: string[], env: Record<string, string> = {}) =>
  runCli(['channels', ...args, '--data-dir', h.dir], env);

describe('vigil channels add', () => {
  it('adds a signed webhook and says where its secret is read from', async () => {
    const r = await channels([
      'add',
      'ops',
      '--kind',
      'webhook',
      '--url',
      `${receiver.base}/hook`,
      '--secret',
      'hook.key',
    ]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.stdout).toBe(
      `added ops (webhook; to ${receiver.base}/hook; secret hook.key; enabled)\n`,
    );
    expect(r.stderr).toBe('secret "hook.key" is read from VIGIL_SECRET_HOOK_KEY\n');
  });

  it.each([
    {
      desc: 'slack',
      args: ['chat', '--kind', 'slack', '--secret', 'slack-url'],
      settings: { urlSecret: 'slack-url' },
    },
    {
      desc: 'github-issue',
      args: [
        'gh',
        '--kind',
        'github-issue',
        '--repo',
        'acme/widget',
        '--token-secret',
        'gh-token',
        '--label',
        'security',
        '--api-url',
        'https://ghe.example/api/v3',
      ],
      settings: {
        repo: 'acme/widget',
        tokenSecret: 'gh-token',
        labels: ['security'],
        apiUrl: 'https://ghe.example/api/v3',
      },
    },
    { desc: 'desktop', args: ['desk', '--kind', 'desktop'], settings: {} },
  ])('adds a $desc channel', async ({ args, settings }) => {
    const r = await channels(['add', ...args, '--json']);
    expect(r.code).toBe(EXIT.OK);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ enabled: true, settings });
  });

  it.each([
    { desc: 'no --kind', args: ['ops'] },
    { desc: 'an unknown kind', args: ['ops', '--kind', 'email'] },
    {
      desc: 'a Slack URL on the command line',
      args: ['ops', '--kind', 'slack', '--url', 'https://hooks.slack.com/x'],
    },
    {
      desc: '--repo on a webhook',
      args: ['ops', '--kind', 'webhook', '--url', 'https://x.example', '--repo', 'a/b'],
    },
    { desc: 'a webhook without --url', args: ['ops', '--kind', 'webhook'] },
    {
      desc: 'a URL with a password',
      args: ['ops', '--kind', 'webhook', '--url', 'https://u:p@x.example'],
    },
    { desc: 'no name', args: ['--kind', 'desktop'] },
  ])('is a usage error with $desc, and adds nothing', async ({ args }) => {
    expect((await channels(['add', ...args])).code).toBe(EXIT.USAGE);
    expect(h.service.channels.list()).toEqual([]);
  });

  it('names the environment variable envSecretStore reads', async () => {
    const store = envSecretStore({ [secretEnvName('gh-token.v2')]: 'value' });
    expect(await store.get('gh-token.v2')).toBe('value');
  });
});

describe('vigil channels list, enable, disable, remove', () => {
  it('shows the state changes, never a secret value', async () => {
    const env = { VIGIL_SECRET_GH_TOKEN: 'ghp_secretvalue' };
    await channels(
      [
        'add',
        'gh',
        '--kind',
        'github-issue',
        '--repo',
        'acme/widget',
        '--token-secret',
        'gh-token',
      ],
      env,
    );
    expect((await channels(['disable', 'gh'])).stdout).toBe(
      'disabled gh (github-issue; issues in acme/widget; secret gh-token; disabled: disabled by user)\n',
    );
    expect((await channels(['enable', 'gh'])).stdout).toMatch(/^enabled gh \(.*; enabled\)\n$/);
    const list = await channels(['list', '--json'], env);
    expect(jsonLines(list.stdout)).toEqual([
      expect.objectContaining({ name: 'gh', enabled: true }),
    ]);
    expect(list.stdout).not.toContain('ghp_secretvalue');
    expect((await channels(['remove', 'gh'])).stdout).toBe('removed channel gh\n');
    expect(await channels(['list'])).toEqual({
      code: EXIT.OK,
      stdout: '',
      stderr: 'no channels\n',
    });
  });

  it('exits 1 for an unknown channel', async () => {
    const r = await channels(['enable', 'nope']);
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toBe('vigil channels enable: NOT_FOUND: channel "nope" not found\n');
  });
});

describe('vigil channels test', () => {
  it('delivers a signed test alert to a loopback webhook, with the key from VIGIL_SECRET_*', async () => {
    await channels([
      'add',
      'ops',
      '--kind',
      'webhook',
      '--url',
      `${receiver.base}/hook`,
      '--secret',
      'hook-key',
    ]);
    const r = await channels(['test', 'ops'], { VIGIL_SECRET_HOOK_KEY: 'k3y' });
    expect(r).toEqual({ code: EXIT.OK, stdout: 'test alert delivered through ops\n', stderr: '' });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.headers['x-vigil-signature-256']).toBe(signWebhookBody('k3y', got.body));
    expect(JSON.parse(got.body)).toMatchObject({ alert: { kind: 'health' } });
  });

  it('exits 1 naming the missing secret, and sends nothing', async () => {
    await channels([
      'add',
      'ops',
      '--kind',
      'webhook',
      '--url',
      receiver.base,
      '--secret',
      'hook-key',
    ]);
    const r = await channels(['test', 'ops']);
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toBe(
      'vigil channels test: CHANNEL_FAILED: no webhook HMAC key in secret "hook-key"\n',
    );
    expect(receiver.received).toEqual([]);
  });

  it('exits 1 with the status when the receiver refuses', async () => {
    receiver.failNext(503);
    await channels(['add', 'ops', '--kind', 'webhook', '--url', receiver.base]);
    const r = await channels(['test', 'ops']);
    expect(r.code).toBe(EXIT.OPERATIONAL);
    expect(r.stderr).toMatch(
      /^vigil channels test: LOG_HTTP_STATUS: POST http:\/\/127\.0\.0\.1:\d+\/…: status 503\n$/,
    );
  });
});
