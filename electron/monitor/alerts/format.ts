// Plain-text renderings of an alert shared by the channels.
import type { AlertView } from '../../../shared/domain';

/** "[HIGH] unexpected signing as github:acme/widget" style headline. */
export function headline(alert: AlertView): string {
  return `[${alert.severity.toUpperCase()}] ${alert.title}`;
}

/** Where the entry can be looked at: log origin and index. */
export function locator(alert: AlertView): string | undefined {
  if (alert.origin === undefined) return undefined;
  return alert.logIndex === undefined ? alert.origin : `${alert.origin} #${alert.logIndex}`;
}
