// The engine's Notifier port as OS notifications: one per alert, and clicking it opens that alert
// in the app.
import { Notification } from 'electron';
import type { AlertView } from '../../shared/domain';
import type { Notifier } from '../monitor/alerts/channel';

/**
 * A Notifier that shows `alert.title` / `alert.body` as an OS notification and calls `onClick`
 * with the alert's id when the user clicks it. Where the OS has no notifications it shows
 * nothing and resolves: the alert is still in the app's inbox.
 */
export function createElectronNotifier(onClick: (alertId: number) => void): Notifier {
  // Keep shown notifications referenced: a collected Notification loses its click handler.
  const shown = new Set<Notification>();
  return {
    async notify(alert: AlertView): Promise<void> {
      if (!Notification.isSupported()) return;
      const notification = new Notification({
        title: alert.title,
        body: alert.body,
        urgency: alert.severity === 'critical' || alert.severity === 'high' ? 'critical' : 'normal',
      });
      shown.add(notification);
      notification.on('click', () => onClick(alert.id));
      notification.on('close', () => shown.delete(notification));
      notification.show();
    },
  };
}
