// Keeps the screens current while the engine works: monitor events trigger the refreshes that
// matter for them (a match refreshes the inbox; a verified checkpoint, the overview).
import type { MonitorEventType } from '../../../../shared/events';
import type { Bridge } from '../../../../shared/ipc/contract';

export interface Refreshable {
  refresh(): Promise<void>;
}

const STATUS_EVENTS: ReadonlySet<MonitorEventType> = new Set([
  'checkpoint.verified',
  'consistency.failed',
  'error',
  'trust.loaded',
  'summary',
  'match',
]);
const ALERT_EVENTS: ReadonlySet<MonitorEventType> = new Set(['match', 'consistency.failed']);

/**
 * Subscribes to `monitor:event` and refreshes `status` and, for new matches or integrity
 * failures, `alerts` and `matches`. Progress events refresh nothing: the next verified
 * checkpoint will. Returns the unsubscribe function.
 */
export function followMonitorEvents(
  api: Bridge,
  states: { status: Refreshable; alerts: Refreshable; matches: Refreshable },
): () => void {
  return api.on('monitor:event', (event) => {
    if (STATUS_EVENTS.has(event.type)) void states.status.refresh();
    if (ALERT_EVENTS.has(event.type)) {
      void states.alerts.refresh();
      void states.matches.refresh();
    }
  });
}
