import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertView } from '../../../../shared/domain';
import { createGitHubIssueChannel } from '../../../../electron/monitor/alerts/channels/github-issue';
import { createSlackChannel } from '../../../../electron/monitor/alerts/channels/slack';
import {
  SIGNATURE_HEADER,
  createWebhookChannel,
} from '../../../../electron/monitor/alerts/channels/webhook';
import { createDesktopChannel } from '../../../../electron/monitor/alerts/channels/desktop';

interface Received {
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let base: string;
let received: Received[];
let status: number;
let listed: unknown[];

beforeEach(async () => {
  received = [];
  status = 200;
  listed = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.statusCode = status;
      // The GitHub issue channel lists issues (GET) before it opens one.
      res.end(req.method === 'GET' ? JSON.stringify(listed) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const alert = (over: Partial<AlertView> = {}): AlertView => ({
  id: 7,
  kind: 'match',
  severity: 'high',
  title: 'unexpected signing as github:acme/widget',
  body: 'workflow .github/workflows/evil.yml at refs/heads/x',
  origin: 'log2025-1.rekor.sigstore.dev',
  logIndex: 42,
  watch: 'github:acme/widget',
  classification: 'unexpected',
  raisedAtMs: 1_700_000_000_000,
  state: 'new',
  ...over,
});

describe('webhook channel', () => {
  it('signs the exact body with HMAC-SHA256 when a secret is set', async () => {
    const channel = createWebhookChannel({
      name: 'ops',
      url: `${base}/hook`,
      secret: 's3cret',
      now: () => 5,
    });
    await channel.send([alert()]);
    expect(received).toHaveLength(1);
    const got = received[0]!;
    const want = `sha256=${createHmac('sha256', 's3cret').update(got.body).digest('hex')}`;
    expect(got.headers[SIGNATURE_HEADER]).toBe(want);
    expect(JSON.parse(got.body)).toMatchObject({
      type: 'vigil.alert',
      sentAtMs: 5,
      alert: { id: 7, logIndex: 42 },
    });
  });

  it('throws a FetchError with the status when the receiver fails', async () => {
    status = 503;
    const channel = createWebhookChannel({ name: 'ops', url: `${base}/hook`, now: () => 5 });
    await expect(channel.send([alert()])).rejects.toMatchObject({
      code: 'LOG_HTTP_STATUS',
      status: 503,
    });
  });

  it('does not reveal the webhook path in error messages', async () => {
    status = 500;
    const channel = createWebhookChannel({
      name: 'ops',
      url: `${base}/T000/B000/secret-token`,
      now: () => 5,
    });
    const err: unknown = await channel.send([alert()]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('secret-token');
  });
});

describe('slack channel', () => {
  it('batches several alerts into one message and escapes mrkdwn control characters', async () => {
    const channel = createSlackChannel({ name: 'team', url: `${base}/slack` });
    await channel.send([alert({ body: '<!channel> & co' }), alert({ id: 8, logIndex: 43 })]);
    expect(received).toHaveLength(1);
    const text = (JSON.parse(received[0]!.body) as { text: string }).text;
    expect(text).toContain('2 alerts');
    expect(text).toContain('&lt;!channel&gt; &amp; co');
    expect(text).toContain('#43');
  });
});

describe('github issue channel', () => {
  it('opens an issue with the token from the secret store', async () => {
    const channel = createGitHubIssueChannel({
      name: 'gh',
      repo: 'acme/security',
      tokenSecret: 'gh-token',
      secrets: { get: async (k) => (k === 'gh-token' ? 'tok123' : undefined) },
      apiUrl: base,
    });
    await channel.send([alert()]);
    expect(received[0]!.url).toBe(
      '/repos/acme/security/issues?labels=vigil&state=all&per_page=100&page=1',
    );
    expect(received[1]!.url).toBe('/repos/acme/security/issues');
    expect(received[1]!.headers.authorization).toBe('Bearer tok123');
    const issue = JSON.parse(received[1]!.body) as {
      title: string;
      body: string;
      labels: string[];
    };
    expect(issue.title).toBe('[HIGH] unexpected signing as github:acme/widget');
    expect(issue.body).toContain('log2025-1.rekor.sigstore.dev #42');
    expect(issue.labels).toEqual(['vigil']);
  });

  it('opens no second issue for an alert that already has one, even from another data dir', async () => {
    const gh = () =>
      createGitHubIssueChannel({
        name: 'gh',
        repo: 'acme/security',
        tokenSecret: 'gh-token',
        secrets: { get: async () => 'tok123' },
        apiUrl: base,
      });
    const first = gh();
    await first.send([alert()]);
    const opened = received.filter((r) => r.url === '/repos/acme/security/issues');
    expect(opened).toHaveLength(1);
    // The same alert again on this channel, then from a fresh data dir (another ID).
    await first.send([alert()]);
    listed = [{ number: 1, body: (JSON.parse(opened[0]!.body) as { body: string }).body }];
    await gh().send([alert({ id: 99 })]);
    expect(received.filter((r) => r.url === '/repos/acme/security/issues')).toHaveLength(1);
    // Another entry is another alert.
    await gh().send([alert({ id: 100, logIndex: 43 })]);
    expect(received.filter((r) => r.url === '/repos/acme/security/issues')).toHaveLength(2);
  });

  it('fails clearly when GitHub answers the issue list with something else', async () => {
    listed = { message: 'Bad credentials' } as unknown as unknown[];
    const channel = createGitHubIssueChannel({
      name: 'gh',
      repo: 'acme/security',
      tokenSecret: 'gh-token',
      secrets: { get: async () => 'tok123' },
      apiUrl: base,
    });
    await expect(channel.send([alert()])).rejects.toMatchObject({ code: 'CHANNEL_FAILED' });
    expect(received.filter((r) => r.url === '/repos/acme/security/issues')).toHaveLength(0);
  });

  it('fails clearly when the token is missing', async () => {
    const channel = createGitHubIssueChannel({
      name: 'gh',
      repo: 'acme/security',
      tokenSecret: 'gh-token',
      secrets: { get: async () => undefined },
      apiUrl: base,
    });
    await expect(channel.send([alert()])).rejects.toMatchObject({ code: 'CHANNEL_FAILED' });
    expect(received).toHaveLength(0);
  });

  it('refuses a repository that is not owner/repo', () => {
    expect(() =>
      createGitHubIssueChannel({
        name: 'gh',
        repo: 'acme/security/../x',
        tokenSecret: 't',
        secrets: { get: async () => 't' },
      }),
    ).toThrowCode('CONFIG_INVALID');
  });
});

describe('desktop channel', () => {
  it('hands every alert to the notifier port', async () => {
    const seen: number[] = [];
    const channel = createDesktopChannel('desktop', { notify: async (a) => void seen.push(a.id) });
    await channel.send([alert(), alert({ id: 9 })]);
    expect(seen).toEqual([7, 9]);
  });
});
