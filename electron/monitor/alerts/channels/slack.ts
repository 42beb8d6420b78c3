// Slack incoming webhook. Alerts are batched into one message (up to maxBatch) so a backfill that
// finds many matches does not flood the channel.
import type { AlertView } from '../../../../shared/domain';
import type { AlertChannel } from '../channel';
import { headline, locator } from '../format';
import { postBody, type FetchLike } from '../post';

/** Most alerts in one Slack message: a backfill becomes a few messages, not hundreds. */
export const SLACK_MAX_BATCH = 20;

export interface SlackChannelOptions {
  readonly name: string;
  /** The incoming-webhook URL; it is a secret. */
  readonly url: string;
  readonly fetch?: FetchLike;
}

/** Slack's mrkdwn treats &, <, > specially; identity strings are attacker-controlled. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackPayload(alerts: readonly AlertView[]): string {
  const lines = alerts.map((a) => {
    const where = locator(a);
    return `*${escapeMrkdwn(headline(a))}*\n${escapeMrkdwn(a.body)}${where ? `\n_${escapeMrkdwn(where)}_` : ''}`;
  });
  const text =
    alerts.length === 1 ? lines[0]! : `Vigil: ${alerts.length} alerts\n\n${lines.join('\n\n')}`;
  return JSON.stringify({ text });
}

export function createSlackChannel(options: SlackChannelOptions): AlertChannel {
  return {
    name: options.name,
    kind: 'slack',
    maxBatch: SLACK_MAX_BATCH,
    async send(alerts) {
      if (alerts.length === 0) return;
      await postBody(options.url, slackPayload(alerts), { fetch: options.fetch });
    },
  };
}
