// Opens one GitHub issue per alert in a chosen repository. The token comes from the SecretStore
// port (OS keychain in the app, an environment variable in the CLI), never from the database.
import type { AlertView } from '../../../../shared/domain';
import { AppError, InputError } from '../../../core/errors';
import type { AlertChannel, SecretStore } from '../channel';
import { headline, locator } from '../format';
import { postBody, type FetchLike } from '../post';

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

export function isGitHubRepo(repo: string): boolean {
  return REPO.test(repo);
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
  return {
    name: options.name,
    kind: 'github-issue',
    maxBatch: 1,
    async send(alerts) {
      const token = await options.secrets.get(options.tokenSecret);
      if (!token) {
        throw new AppError('CHANNEL_FAILED', `no GitHub token in secret "${options.tokenSecret}"`);
      }
      for (const alert of alerts) {
        await postBody(
          `${api}/repos/${options.repo}/issues`,
          issuePayload(alert, options.labels ?? ['vigil']),
          {
            fetch: options.fetch,
            headers: {
              authorization: `Bearer ${token}`,
              accept: 'application/vnd.github+json',
              'x-github-api-version': '2022-11-28',
            },
          },
        );
      }
    },
  };
}
