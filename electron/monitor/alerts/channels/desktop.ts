// OS notifications through the Notifier port (Electron's Notification in the app, node-notifier
// in the CLI). One notification per alert.
import type { AlertChannel, Notifier } from '../channel';

export function createDesktopChannel(name: string, notifier: Notifier): AlertChannel {
  return {
    name,
    kind: 'desktop',
    maxBatch: 1,
    async send(alerts) {
      for (const alert of alerts) await notifier.notify(alert);
    },
  };
}
