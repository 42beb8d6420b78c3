// A fake GitHub REST API on 127.0.0.1 for the reusable workflow's test: the issue endpoints the
// github-issue channel uses (list by label, create), with the token checked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

export interface FakeGitHub {
  readonly url: string;
  readonly issues: FakeIssue[];
  close(): Promise<void>;
}

export async function startFakeGitHub(repo: string, token: string): Promise<FakeGitHub> {
  const issues: FakeIssue[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`)
        return reply(401, { message: 'Bad credentials' });
      if (url.pathname !== `/repos/${repo}/issues`) return reply(404, { message: 'Not Found' });
      if (req.method === 'POST') {
        const { title, body, labels } = JSON.parse(Buffer.concat(chunks).toString()) as FakeIssue;
        const issue = { number: issues.length + 1, title, body, labels };
        issues.push(issue);
        return reply(201, {
          ...issue,
          html_url: `https://github.com/${repo}/issues/${issue.number}`,
        });
      }
      const label = url.searchParams.get('labels');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const matching = issues.filter((i) => label === null || i.labels.includes(label));
      return reply(200, matching.slice((page - 1) * perPage, page * perPage));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    issues,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
