// Keeps the screens current while the engine works: monitor events trigger the refreshes that
// matter for them (a match refreshes the inbox; a verified checkpoint, the overview).
import type { CatchUpView } from '../../../../shared/activity';
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
/** What changes the activity chart: a committed batch (progress) or match, a finished run. */
const ACTIVITY_EVENTS: ReadonlySet<MonitorEventType> = new Set([
  'scan.progress',
  'catchup.progress',
  'match',
  'summary',
]);

/**
 * Subscribes to `monitor:event` and refreshes `status` and, for new matches or integrity
 * failures, `alerts` and `matches`. Progress events refresh no list: the next verified
 * checkpoint will; they tell `activity` that its chart changed (it throttles) and hand the
 * catch-up's state to `catchUp`. Returns the unsubscribe function.
 */
export function followMonitorEvents(
  api: Bridge,
  states: {
    status: Refreshable;
    alerts: Refreshable;
    matches: Refreshable;
    activity?: { changed(): void };
    catchUp?: { progressed(view: CatchUpView): void };
  },
): () => void {
  return api.on('monitor:event', (event) => {
    if (STATUS_EVENTS.has(event.type)) void states.status.refresh();
    if (ACTIVITY_EVENTS.has(event.type)) states.activity?.changed();
    if (event.type === 'catchup.progress') states.catchUp?.progressed(event.catchUp);
    if (ALERT_EVENTS.has(event.type)) {
      void states.alerts.refresh();
      void states.matches.refresh();
    }
  });
}
