// Opens one GitHub issue per alert in a chosen repository. The token comes from the SecretStore
// port (OS keychain in the app, an environment variable in the CLI), never from the database.
// Each issue carries a marker naming its alert (log, index, watch), and the channel looks for
// it among the repository's issues with its label before opening one: an alert delivered again
// (a retry after a lost answer, or a new data dir, as in the reusable workflow after its cache
// expired) never opens a second issue.
import type { AlertView } from '../../../../shared/domain';
import { AppError, InputError } from '../../../core/errors';
import type { AlertChannel, SecretStore } from '../channel';
import { headline, locator } from '../format';
import { getBody, postBody, type FetchLike } from '../post';

export interface GitHubIssueChannelOptions {
  readonly name: string;
  /** owner/repo */
  readonly repo: string;
  /** Key of the token in the SecretStore. */
  readonly tokenSecret: string;
  readonly secrets: SecretStore;
  /** https://api.github.com, or a GitHub Enterprise API root. */
  readonly apiUrl?: string;
  readonly labels?: readonly string[];
  readonly fetch?: FetchLike;
}

const REPO = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
/** Issues read per page, and pages read at most, when looking for an alert's issue. */
const PER_PAGE = 100;
const MAX_PAGES = 20;

export function isGitHubRepo(repo: string): boolean {
  return REPO.test(repo);
}

/**
 * What makes two deliveries the same alert: its kind and where it points (log and index for a
 * match, with the watch), never its database ID, which a new data dir starts again.
 */
export function alertKey(alert: AlertView): string {
  const where = [alert.origin ?? '', alert.logIndex ?? '', alert.watch ?? ''].join(' ');
  return alert.kind === 'match' ? `match ${where}` : `${alert.kind} ${where} ${alert.title}`;
}

/** The marker an issue body carries: an HTML comment, invisible on GitHub. */
export function issueMarker(alert: AlertView): string {
  const key = alertKey(alert).replace(/--+/g, '-').replace(/[<>]/g, '');
  return `<!-- vigil-alert: ${key} -->`;
}

export function issuePayload(alert: AlertView, labels: readonly string[]): string {
  const where = locator(alert);
  const body = [
    alert.body,
    '',
    where ? `Log entry: \`${where}\`` : undefined,
    `Raised: ${new Date(alert.raisedAtMs).toISOString()}`,
    '',
    '_Opened by Vigil. Triage the alert in Vigil to stop re-alerting._',
    issueMarker(alert),
  ]
    .filter((line) => line !== undefined)
    .join('\n');
  return JSON.stringify({ title: headline(alert), body, labels });
}

export function createGitHubIssueChannel(options: GitHubIssueChannelOptions): AlertChannel {
  if (!isGitHubRepo(options.repo)) {
    throw new InputError('CONFIG_INVALID', `github repo "${options.repo}" is not owner/repo`);
  }
  const api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const labels = options.labels ?? ['vigil'];
  const headers = (token: string) => ({
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
  });

  /** The markers of the repository's issues (open or closed) that have the first label. */
  async function openedMarkers(token: string): Promise<Set<string>> {
    const markers = new Set<string>();
    const label = encodeURIComponent(labels[0] ?? 'vigil');
    for (let page = 1; page <= MAX_PAGES; page++) {
      const url = `${api}/repos/${options.repo}/issues?labels=${label}&state=all&per_page=${PER_PAGE}&page=${page}`;
      const text = await getBody(url, { fetch: options.fetch, headers: headers(token) });
      let issues: unknown;
      try {
        issues = JSON.parse(text);
      } catch {
        issues = undefined;
      }
      if (!Array.isArray(issues)) {
        throw new AppError('CHANNEL_FAILED', `GitHub answered the issue list with no list`);
      }
      for (const issue of issues) {
        const body = (issue as { body?: unknown } | null)?.body;
        if (typeof body !== 'string') continue;
        for (const m of body.matchAll(/<!-- vigil-alert: [^>]*-->/g)) markers.add(m[0]);
      }
      if (issues.length < PER_PAGE) break;
    }
    return markers;
  }

  const open = (alert: AlertView, token: string) =>
    postBody(`${api}/repos/${options.repo}/issues`, issuePayload(alert, labels), {
      fetch: options.fetch,
      headers: headers(token),
    });

  // Read once per channel, then kept current with what this channel opens.
  let known: Promise<Set<string>> | undefined;

  return {
    name: options.name,
    kind: 'github-issue',
    maxBatch: 1,
    async send(alerts) {
      const token = await options.secrets.get(options.tokenSecret);
      if (!token) {
        throw new AppError('CHANNEL_FAILED', `no GitHub token in secret "${options.tokenSecret}"`);
      }
      // A test notification (id 0, see testAlert) opens an issue every time it is asked for.
      if (alerts.every((a) => a.id === 0)) {
        for (const alert of alerts) await open(alert, token);
        return;
      }
      known ??= openedMarkers(token);
      let opened: Set<string>;
      try {
        opened = await known;
      } catch (err) {
        known = undefined;
        throw err;
      }
      for (const alert of alerts) {
        const marker = issueMarker(alert);
        if (opened.has(marker)) continue;
        await open(alert, token);
        opened.add(marker);
      }
    },
  };
}
