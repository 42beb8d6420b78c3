// The JSON config of each channel kind, as stored in the channels table and typed in settings.
// Configs name secrets but never hold them: webhook HMAC keys, Slack webhook URLs and GitHub
// tokens live in the SecretStore (the OS keychain in the app, environment variables in the CLI).
import { InputError } from '../../core/errors';
import type { ChannelKind } from './channel';
import { isGitHubRepo } from './channels/github-issue';

/** A validated channel config. */
export type ChannelSettings =
  | { readonly kind: 'desktop' }
  | {
      readonly kind: 'webhook';
      /** Where the signed JSON is POSTed (http or https). */
      readonly url: string;
      /** SecretStore key of the HMAC-SHA256 key; without one the body is sent unsigned. */
      readonly secretName?: string;
    }
  | {
      readonly kind: 'slack';
      /** SecretStore key of the incoming-webhook URL (the URL itself is a credential). */
      readonly urlSecret: string;
    }
  | {
      readonly kind: 'github-issue';
      /** owner/repo where issues are opened. */
      readonly repo: string;
      /** SecretStore key of a token that may create issues in `repo`. */
      readonly tokenSecret: string;
      /** API root for GitHub Enterprise; default https://api.github.com. */
      readonly apiUrl?: string;
      /** Labels for new issues; default ["vigil"]. */
      readonly labels?: readonly string[];
    };

const KEYS: Readonly<Record<ChannelKind, { required: string[]; optional: string[] }>> = {
  desktop: { required: [], optional: [] },
  webhook: { required: ['url'], optional: ['secretName'] },
  slack: { required: ['urlSecret'], optional: [] },
  'github-issue': { required: ['repo', 'tokenSecret'], optional: ['apiUrl', 'labels'] },
};

// Secret names become keychain entries or environment variable names: keep them plain.
const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const MAX_URL_CHARS = 2048;
const MAX_LABELS = 10;
const MAX_LABEL_CHARS = 50;

/**
 * Validates the stored JSON config of a channel of `kind`, strictly: it must be an object with
 * exactly the keys its kind allows (desktop {}, webhook {url, secretName?}, slack {urlSecret},
 * github-issue {repo, tokenSecret, apiUrl?, labels?}), URLs must be http(s) without user or
 * password, secret names plain ASCII. Throws InputError CONFIG_INVALID naming the problem.
 * Does not look the secrets up: a missing secret fails the channel's sends instead.
 */
export function validateChannelConfig(kind: string, json: unknown): ChannelSettings {
  if (!Object.hasOwn(KEYS, kind)) {
    throw new InputError(
      'CONFIG_INVALID',
      `channel kind ${JSON.stringify(kind)} is unknown, want desktop, webhook, slack or github-issue`,
    );
  }
  const k = kind as ChannelKind;
  const fail = (why: string) => new InputError('CONFIG_INVALID', `${k} channel config: ${why}`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw fail(
      `want a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`,
    );
  }
  const obj = json as Readonly<Record<string, unknown>>;
  const { required, optional } = KEYS[k];
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw fail(`unknown key ${JSON.stringify(key)}`);
    }
  }
  for (const key of required) if (!Object.hasOwn(obj, key)) throw fail(`missing key "${key}"`);

  const secretName = (key: string): string => {
    const value = obj[key];
    if (typeof value !== 'string' || !SECRET_NAME.test(value)) {
      throw fail(
        `${key} must name a secret (1-128 of A-Z a-z 0-9 . _ : / -, starting alphanumeric)`,
      );
    }
    return value;
  };
  const url = (key: string): string => {
    const value = obj[key];
    if (typeof value !== 'string' || !isHttpUrl(value)) {
      throw fail(`${key} must be an http or https URL without user or password`);
    }
    return value;
  };

  switch (k) {
    case 'desktop':
      return { kind: k };
    case 'webhook':
      return {
        kind: k,
        url: url('url'),
        ...(Object.hasOwn(obj, 'secretName') && { secretName: secretName('secretName') }),
      };
    case 'slack':
      return { kind: k, urlSecret: secretName('urlSecret') };
    case 'github-issue': {
      const repo = obj.repo;
      if (typeof repo !== 'string' || !isGitHubRepo(repo)) throw fail('repo must be owner/repo');
      return {
        kind: k,
        repo,
        tokenSecret: secretName('tokenSecret'),
        ...(Object.hasOwn(obj, 'apiUrl') && { apiUrl: url('apiUrl') }),
        ...(Object.hasOwn(obj, 'labels') && { labels: labels(obj.labels, fail) }),
      };
    }
  }
}

/**
 * True for an absolute http: or https: URL of at most 2048 characters with no user or password
 * (credentials in a config would be secrets stored in the database).
 */
export function isHttpUrl(text: string): boolean {
  if (text.length > MAX_URL_CHARS || !URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === ''
  );
}

function labels(value: unknown, fail: (why: string) => InputError): string[] {
  const ok =
    Array.isArray(value) &&
    value.length <= MAX_LABELS &&
    value.every(
      (l) =>
        typeof l === 'string' &&
        l.length > 0 &&
        l.length <= MAX_LABEL_CHARS &&
        // eslint-disable-next-line no-control-regex -- control characters are what is refused
        !/[\u0000-\u001f\u007f]/.test(l),
    );
  if (!ok) {
    throw fail(
      `labels must be at most ${MAX_LABELS} strings of 1-${MAX_LABEL_CHARS} printable characters`,
    );
  }
  return [...(value as string[])];
}
