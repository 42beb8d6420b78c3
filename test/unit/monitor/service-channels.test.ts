import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors';
import { signWebhookBody } from '../../../electron/monitor/alerts/channels/webhook';
import { startReceiver, type Receiver } from './alerts/receiver';
import { notPlainJson, openHarness, type Harness } from './service-harness';

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

describe('MonitorService.addChannel', () => {
  it('adds an enabled channel whose view names its secret but holds no value', () => {
    h.env.VIGIL_SECRET_HOOK_KEY = 'hmac-key-value';
    const view = h.service.channels.add({
      name: 'ops',
      kind: 'webhook',
      config: { url: `${receiver.base}/hook`, secretName: 'hook-key' },
    });
    expect(view).toEqual({
      name: 'ops',
      kind: 'webhook',
      enabled: true,
      settings: { url: `${receiver.base}/hook`, secretName: 'hook-key' },
      consecutiveFailures: 0,
    });
    expect(JSON.stringify(h.service.channels.list())).not.toContain('hmac-key-value');
    expect(notPlainJson(h.service.channels.list())).toBeUndefined();
    expect(h.service.audit.page({ kind: 'channel.configured' }).events).toHaveLength(1);
  });

  it.each([
    { desc: 'an unknown config key', config: { url: 'https://x.example', token: 's3cret' } },
    { desc: 'a URL with a password', config: { url: 'https://u:p@x.example' } },
    { desc: 'a non-http URL', config: { url: 'file:///etc/passwd' } },
    { desc: 'a missing URL', config: {} },
  ])('rejects a webhook config with $desc as CONFIG_INVALID', ({ config }) => {
    const add = () =>
      h.service.channels.add({
        name: 'ops',
        kind: 'webhook',
        config: config as Record<string, string>,
      });
    expect(add).toThrowCode('CONFIG_INVALID');
    expect(h.service.channels.list()).toEqual([]);
  });

  it.each([
    { desc: 'a name with a space', channel: { name: 'my hook', kind: 'desktop', config: {} } },
    { desc: 'an empty name', channel: { name: '', kind: 'desktop', config: {} } },
    { desc: 'an unknown kind', channel: { name: 'x', kind: 'email', config: {} } },
    { desc: 'an extra key', channel: { name: 'x', kind: 'desktop', config: {}, enabled: false } },
    { desc: 'a non-object', channel: 'desktop' },
  ])('rejects $desc with INVALID_INPUT', ({ channel }) => {
    expect(() => h.service.channels.add(channel as never)).toThrowCode('INVALID_INPUT');
  });

  it('refuses a name already in use', () => {
    h.service.channels.add({ name: 'desk', kind: 'desktop', config: {} });
    expect(() =>
      h.service.channels.add({ name: 'desk', kind: 'slack', config: { urlSecret: 'slack-url' } }),
    ).toThrowCode('INVALID_INPUT');
    expect(h.service.channels.list()[0]!.kind).toBe('desktop');
  });

  it('shows a stored config that no longer validates, without failing the list', () => {
    h.service.stores.channels.upsert({ name: 'old', kind: 'slack', config: {}, enabled: true }, 1);
    expect(h.service.channels.list()).toEqual([
      expect.objectContaining({
        name: 'old',
        settings: {},
        configProblem: 'slack channel config: missing key "urlSecret"',
      }),
    ]);
  });
});

describe('MonitorService.setChannelEnabled and removeChannel', () => {
  it('disables, enables and removes a channel, auditing each', () => {
    h.service.channels.add({ name: 'desk', kind: 'desktop', config: {} });
    expect(h.service.channels.setEnabled('desk', false)).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by user',
    });
    expect(h.service.channels.setEnabled('desk', true)).not.toHaveProperty('disabledReason');
    h.service.channels.remove('desk');
    expect(h.service.channels.list()).toEqual([]);
    const kinds = h.service.audit.page().events.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['channel.disabled', 'channel.enabled', 'channel.removed']),
    );
  });

  it('throws NOT_FOUND for an unknown channel and INVALID_INPUT for a non-boolean', () => {
    expect(() => h.service.channels.remove('nope')).toThrowCode('NOT_FOUND');
    expect(() => h.service.channels.setEnabled('nope', true)).toThrowCode('NOT_FOUND');
    h.service.channels.add({ name: 'desk', kind: 'desktop', config: {} });
    expect(() => h.service.channels.setEnabled('desk', 'false' as never)).toThrowCode(
      'INVALID_INPUT',
    );
  });
});

describe('MonitorService.testChannel', () => {
  it('POSTs a signed test alert to a webhook, with the key from its secret', async () => {
    h.env.VIGIL_SECRET_HOOK_KEY = 'hmac-key-value';
    h.service.channels.add({
      name: 'ops',
      kind: 'webhook',
      config: { url: `${receiver.base}/hook`, secretName: 'hook-key' },
    });
    await h.service.channels.test('ops');
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.url).toBe('/hook');
    expect(got.headers['x-vigil-signature-256']).toBe(signWebhookBody('hmac-key-value', got.body));
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'vigil.alert',
      alert: { kind: 'health', title: 'Vigil test notification' },
    });
  });

  it('sends to a disabled channel too, and records no audit event', async () => {
    h.service.channels.add({ name: 'ops', kind: 'webhook', config: { url: receiver.base } });
    h.service.channels.setEnabled('ops', false);
    const head = h.service.stores.audit.head();
    await h.service.channels.test('ops');
    expect(receiver.received).toHaveLength(1);
    expect(h.service.stores.audit.head()).toEqual(head);
  });

  it('shows the desktop test through the notifier', async () => {
    h.service.channels.add({ name: 'desk', kind: 'desktop', config: {} });
    await h.service.channels.test('desk');
    expect(h.notified).toEqual([expect.objectContaining({ kind: 'health' })]);
  });

  it('fails with CHANNEL_FAILED naming a missing secret, and sends nothing unsigned', async () => {
    h.service.channels.add({
      name: 'ops',
      kind: 'webhook',
      config: { url: receiver.base, secretName: 'hook-key' },
    });
    const failure = h.service.channels.test('ops');
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({
      code: 'CHANNEL_FAILED',
      message: 'no webhook HMAC key in secret "hook-key"',
    });
    expect(receiver.received).toEqual([]);
  });

  it('fails with the HTTP status when the receiver refuses', async () => {
    receiver.failNext(500);
    h.service.channels.add({ name: 'ops', kind: 'webhook', config: { url: receiver.base } });
    await expect(h.service.channels.test('ops')).rejects.toMatchObject({ code: 'LOG_HTTP_STATUS' });
  });

  it('never echoes a Slack webhook URL held in a secret', async () => {
    const secretUrl = `${receiver.base}/services/T000/B000/XXXXSECRET`;
    h.env.VIGIL_SECRET_SLACK_URL = secretUrl;
    receiver.failNext(403);
    h.service.channels.add({ name: 'chat', kind: 'slack', config: { urlSecret: 'slack-url' } });
    const err = await h.service.channels.test('chat').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'LOG_HTTP_STATUS' });
    expect((err as Error).message).not.toContain('XXXXSECRET');
  });

  it('throws NOT_FOUND for an unknown channel', async () => {
    await expect(h.service.channels.test('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
