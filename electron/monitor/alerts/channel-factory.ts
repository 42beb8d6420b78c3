// Builds the AlertChannel of a stored channel config, looking its secrets up only when it sends:
// a secret added or rotated later is picked up by the next attempt without a restart.
import { AppError } from '../../core/errors';
import type { ChannelConfig } from '../store/types';
import { testAlert, type AlertChannel, type Notifier, type SecretStore } from './channel';
import { isHttpUrl, validateChannelConfig } from './channel-config';
import { createDesktopChannel } from './channels/desktop';
import { createGitHubIssueChannel } from './channels/github-issue';
import { SLACK_MAX_BATCH, createSlackChannel } from './channels/slack';
import { createWebhookChannel } from './channels/webhook';
import type { FetchLike } from './post';

/** What channels need from their host. */
export interface ChannelDeps {
  readonly notifier: Notifier;
  readonly secrets: SecretStore;
  /** Defaults to the global fetch. */
  readonly fetch?: FetchLike;
  /** Epoch ms; stamps webhook bodies (`sentAtMs`). */
  readonly now: () => number;
}

/**
 * The AlertChannel for a stored channel config (see validateChannelConfig for the shapes).
 * Throws InputError CONFIG_INVALID for an invalid config. Secrets are read from `deps.secrets`
 * at every send; a missing one makes that send throw AppError CHANNEL_FAILED, so the outbox
 * retries and, if it stays missing, disables the channel saying which secret is missing. A
 * webhook that names a secret is never sent unsigned. Ignores `config.enabled`: whether to
 * send is the outbox's decision (a "send test" goes to disabled channels too).
 */
export function createChannel(config: ChannelConfig, deps: ChannelDeps): AlertChannel {
  const settings = validateChannelConfig(config.kind, config.config);
  const { name } = config;
  switch (settings.kind) {
    case 'desktop':
      return createDesktopChannel(name, deps.notifier);
    case 'webhook': {
      const { url, secretName } = settings;
      const build = (secret?: string) =>
        createWebhookChannel({ name, url, secret, fetch: deps.fetch, now: deps.now });
      if (secretName === undefined) return build();
      return withSecret(
        name,
        'webhook',
        1,
        () => readSecret(deps.secrets, secretName, 'webhook HMAC key'),
        build,
      );
    }
    case 'slack': {
      const { urlSecret } = settings;
      const readUrl = async () => {
        const url = await readSecret(deps.secrets, urlSecret, 'Slack webhook URL');
        // Never echo the value: it is the credential.
        if (!isHttpUrl(url)) {
          throw new AppError(
            'CHANNEL_FAILED',
            `secret "${urlSecret}" does not hold an http(s) URL`,
          );
        }
        return url;
      };
      return withSecret(name, 'slack', SLACK_MAX_BATCH, readUrl, (url) =>
        createSlackChannel({ name, url, fetch: deps.fetch }),
      );
    }
    case 'github-issue':
      return createGitHubIssueChannel({
        name,
        repo: settings.repo,
        tokenSecret: settings.tokenSecret,
        secrets: deps.secrets,
        apiUrl: settings.apiUrl,
        labels: settings.labels,
        fetch: deps.fetch,
      });
  }
}

/**
 * Sends the test alert (testAlert) through `channel` and resolves when it was delivered;
 * throws what the channel throws (FetchError, AppError CHANNEL_FAILED). Records nothing: the
 * caller reports the outcome (the "send test" command).
 */
export function sendTest(channel: AlertChannel, nowMs: number): Promise<void> {
  return channel.send([testAlert(nowMs)]);
}

/** A channel whose real sender is built, per send, from a secret read just before. */
function withSecret(
  name: string,
  kind: AlertChannel['kind'],
  maxBatch: number,
  read: () => Promise<string>,
  build: (secret: string) => AlertChannel,
): AlertChannel {
  return {
    name,
    kind,
    maxBatch,
    async send(alerts) {
      await build(await read()).send(alerts);
    },
  };
}

async function readSecret(secrets: SecretStore, key: string, what: string): Promise<string> {
  const value = await secrets.get(key);
  if (value === undefined || value === '') {
    throw new AppError('CHANNEL_FAILED', `no ${what} in secret "${key}"`);
  }
  return value;
}
