// Generic JSON webhook. The body is signed with HMAC-SHA256 so the receiver can check it came
// from this Vigil: header `X-Vigil-Signature-256: sha256=<hex>` over the exact body bytes, which
// include `sentAtMs` so a receiver can refuse replays.
import { createHmac } from 'node:crypto';
import type { AlertView } from '../../../../shared/domain';
import type { AlertChannel } from '../channel';
import { postBody, type FetchLike } from '../post';

export const SIGNATURE_HEADER = 'x-vigil-signature-256';

export interface WebhookChannelOptions {
  readonly name: string;
  readonly url: string;
  /** HMAC key; when absent the body is sent unsigned. */
  readonly secret?: string;
  readonly fetch?: FetchLike;
  readonly now: () => number;
}

/** `sha256=<hex HMAC-SHA256(secret, body)>`, the value of the signature header. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookPayload(alert: AlertView, sentAtMs: number): string {
  return JSON.stringify({ type: 'vigil.alert', version: 1, sentAtMs, alert });
}

export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  return {
    name: options.name,
    kind: 'webhook',
    maxBatch: 1,
    async send(alerts) {
      for (const alert of alerts) {
        const body = webhookPayload(alert, options.now());
        const headers: Record<string, string> = { 'x-vigil-event': 'alert' };
        if (options.secret !== undefined)
          headers[SIGNATURE_HEADER] = signWebhookBody(options.secret, body);
        await postBody(options.url, body, { fetch: options.fetch, headers });
      }
    },
  };
}
