// Ports and the channel interface through which alerts leave Vigil. The Electron shell and the
// CLI supply the Notifier and SecretStore implementations; the engine never imports electron.
import type { AlertView } from '../../../shared/domain';

/**
 * Shows an OS notification for an alert; where the host can (the Electron app), clicking it opens
 * the alert. Rejects when the notification could not be shown.
 */
export interface Notifier {
  notify(alert: AlertView): Promise<void>;
}

/** Where tokens (GitHub) and webhook secrets live: the OS keychain in the app, env vars in the CLI. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
}

export type ChannelKind = 'desktop' | 'webhook' | 'slack' | 'github-issue';

/** One configured destination for alerts. */
export interface AlertChannel {
  /** Unique, user-chosen (e.g. "desktop", "ops-webhook"). */
  readonly name: string;
  readonly kind: ChannelKind;
  /** How many alerts one send() may carry (Slack batches; the others send one at a time). */
  readonly maxBatch: number;
  /** Delivers the alerts, or throws (FetchError, AppError CHANNEL_FAILED). */
  send(alerts: readonly AlertView[]): Promise<void>;
}

/** The alert a "send test" command delivers through a channel. */
export function testAlert(nowMs: number): AlertView {
  return {
    id: 0,
    kind: 'health',
    severity: 'info',
    title: 'Vigil test notification',
    body: 'This is a test from Vigil. If you can read it, this channel works.',
    raisedAtMs: nowMs,
    state: 'new',
  };
}
