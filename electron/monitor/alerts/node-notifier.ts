// The CLI's Notifier: OS notifications through node-notifier (the Electron app uses its own
// Notification instead). A machine without a notification daemon makes notify() reject, and
// the outbox then retries and finally disables the channel, saying why.
import type { AlertView } from '../../../shared/domain';
import { AppError } from '../../core/errors';
import type { Notifier } from './channel';
import { headline, locator } from './format';

export function createNodeNotifier(): Notifier {
  return {
    async notify(alert: AlertView) {
      const where = locator(alert);
      // Loaded on first use: most commands never notify.
      const { default: notifier } = await import('node-notifier');
      return new Promise<void>((resolve, reject) => {
        notifier.notify(
          {
            title: headline(alert),
            message: where ? `${alert.body}\n${where}` : alert.body,
            wait: false,
          },
          (err) => {
            if (err)
              reject(new AppError('CHANNEL_FAILED', `desktop notification failed: ${err.message}`));
            else resolve();
          },
        );
      });
    },
  };
}
