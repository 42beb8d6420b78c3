import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testAlert, type AlertChannel } from '../../../../electron/monitor/alerts/channel';
import { validateChannelConfig } from '../../../../electron/monitor/alerts/channel-config';
import {
  createChannel,
  sendTest,
  type ChannelDeps,
} from '../../../../electron/monitor/alerts/channel-factory';
import { SIGNATURE_HEADER } from '../../../../electron/monitor/alerts/channels/webhook';
import { AppError, InputError } from '../../../../electron/core/errors';
import type { AlertView } from '../../../../shared/domain';
import type { ChannelKind, JsonValue } from '../../../../electron/monitor/store/types';
import { startReceiver, type Receiver } from './receiver';

describe('validateChannelConfig', () => {
  it.each([
    { kind: 'desktop', json: {}, want: { kind: 'desktop' } },
    {
      kind: 'webhook',
      json: { url: 'https://hooks.example.test/v', secretName: 'ops/hmac' },
      want: { kind: 'webhook', url: 'https://hooks.example.test/v', secretName: 'ops/hmac' },
    },
    {
      kind: 'webhook',
      json: { url: 'http://10.0.0.1:8080/' },
      want: { kind: 'webhook', url: 'http://10.0.0.1:8080/' },
    },
    {
      kind: 'slack',
      json: { urlSecret: 'SLACK_URL' },
      want: { kind: 'slack', urlSecret: 'SLACK_URL' },
    },
    {
      kind: 'github-issue',
      json: {
        repo: 'acme/widget',
        tokenSecret: 'gh',
        apiUrl: 'https://ghe.example.test/api/v3',
        labels: ['vigil', 'security'],
      },
      want: {
        kind: 'github-issue',
        repo: 'acme/widget',
        tokenSecret: 'gh',
        apiUrl: 'https://ghe.example.test/api/v3',
        labels: ['vigil', 'security'],
      },
    },
  ])('accepts a $kind config $json', ({ kind, json, want }) => {
    expect(validateChannelConfig(kind, json)).toEqual(want);
  });

  it.each([
    { desc: 'an unknown kind', kind: 'email', json: {}, message: /kind "email" is unknown/ },
    {
      desc: 'a non-object config',
      kind: 'desktop',
      json: [],
      message: /want a JSON object, got an array/,
    },
    { desc: 'a null config', kind: 'desktop', json: null, message: /got null/ },
    {
      desc: 'an unknown key',
      kind: 'desktop',
      json: { sound: true },
      message: /unknown key "sound"/,
    },
    { desc: 'a missing url', kind: 'webhook', json: {}, message: /missing key "url"/ },
    {
      desc: 'a non-http url',
      kind: 'webhook',
      json: { url: 'file:///etc/passwd' },
      message: /http or https URL/,
    },
    {
      desc: 'a relative url',
      kind: 'webhook',
      json: { url: '/hook' },
      message: /http or https URL/,
    },
    {
      desc: 'credentials in the url',
      kind: 'webhook',
      json: { url: 'https://u:p@x.test/' },
      message: /without user or password/,
    },
    {
      desc: 'a url in a slack config',
      kind: 'slack',
      json: { url: 'https://hooks.slack.com/services/T/B/x' },
      message: /unknown key "url"/,
    },
    {
      desc: 'a secret name with spaces',
      kind: 'slack',
      json: { urlSecret: 'my secret' },
      message: /urlSecret must name a secret/,
    },
    {
      desc: 'an empty secret name',
      kind: 'webhook',
      json: { url: 'https://x.test/', secretName: '' },
      message: /secretName must name a secret/,
    },
    {
      desc: 'a repo without owner',
      kind: 'github-issue',
      json: { repo: 'widget', tokenSecret: 'gh' },
      message: /repo must be owner\/repo/,
    },
    {
      desc: 'a token in the config',
      kind: 'github-issue',
      json: { repo: 'a/b', tokenSecret: 'gh', token: 'ghp_x' },
      message: /unknown key "token"/,
    },
    {
      desc: 'a label that is not a string',
      kind: 'github-issue',
      json: { repo: 'a/b', tokenSecret: 'gh', labels: [1] },
      message: /labels must be/,
    },
    {
      desc: 'too many labels',
      kind: 'github-issue',
      json: { repo: 'a/b', tokenSecret: 'gh', labels: Array(11).fill('x') },
      message: /labels must be/,
    },
  ])('refuses $desc', ({ kind, json, message }) => {
    const run = () => validateChannelConfig(kind, json);
    expect(run).toThrowCode('CONFIG_INVALID');
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
  });
});

describe('createChannel', () => {
  let receiver: Receiver;
  let notified: AlertView[];
  const secrets = new Map<string, string>();
  const deps = (): ChannelDeps => ({
    notifier: { notify: async (a) => void notified.push(a) },
    secrets: { get: async (k) => secrets.get(k) },
    now: () => 1_700_000_000_000,
  });
  const channel = (kind: ChannelKind, config: JsonValue): AlertChannel =>
    createChannel({ name: 'c', kind, config, enabled: true }, deps());

  beforeEach(async () => {
    receiver = await startReceiver();
    notified = [];
    secrets.clear();
  });
  afterEach(() => receiver.close());

  it('throws CONFIG_INVALID for a stored config that does not validate', () => {
    expect(() => channel('webhook', { url: 42 })).toThrowCode('CONFIG_INVALID');
  });

  it('never sends a webhook unsigned when its secret is missing', async () => {
    const c = channel('webhook', { url: `${receiver.base}/h`, secretName: 'hmac' });
    const sent = c.send([testAlert(1)]);
    await expect(sent).rejects.toBeInstanceOf(AppError);
    await expect(sent).rejects.toMatchObject({ code: 'CHANNEL_FAILED' });
    expect(receiver.received).toHaveLength(0);
  });

  it('reads a rotated secret at the next send', async () => {
    const c = channel('webhook', { url: `${receiver.base}/h`, secretName: 'hmac' });
    secrets.set('hmac', 'one');
    await c.send([testAlert(1)]);
    secrets.set('hmac', 'two');
    await c.send([testAlert(1)]);
    const [a, b] = receiver.received.map((r) => r.headers[SIGNATURE_HEADER]);
    expect(a).not.toBe(b);
  });

  it('refuses a Slack secret that is not a URL without echoing it', async () => {
    secrets.set('slack', 'xoxb-not-a-url');
    const sent = channel('slack', { urlSecret: 'slack' }).send([testAlert(1)]);
    await expect(sent).rejects.toMatchObject({
      code: 'CHANNEL_FAILED',
      message: 'secret "slack" does not hold an http(s) URL',
    });
  });

  it('opens a GitHub issue with the token from the secret store', async () => {
    secrets.set('gh', 'ghp_test');
    const c = channel('github-issue', {
      repo: 'acme/widget',
      tokenSecret: 'gh',
      apiUrl: receiver.base,
    });
    await sendTest(c, 5);
    expect(receiver.received).toMatchObject([
      { url: '/repos/acme/widget/issues', headers: { authorization: 'Bearer ghp_test' } },
    ]);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      title: '[INFO] Vigil test notification',
      labels: ['vigil'],
    });
  });
});

describe('sendTest', () => {
  it('delivers the test alert through the channel', async () => {
    const notified: AlertView[] = [];
    const c = createChannel(
      { name: 'desktop', kind: 'desktop', config: {}, enabled: false },
      {
        notifier: { notify: async (a) => void notified.push(a) },
        secrets: { get: async () => undefined },
        now: () => 0,
      },
    );
    await sendTest(c, 1_700_000_000_000);
    expect(notified).toEqual([testAlert(1_700_000_000_000)]);
  });
});
