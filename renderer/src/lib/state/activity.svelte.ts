// The Overview's activity chart: the range shown and its data. Scans report progress per batch;
// the chart follows them at most once every few seconds, so a fast scan does not flood the
// engine with queries (each is a read of at most 744 aggregate rows).
import type { ActivityRange, ActivityView } from '../../../../shared/activity';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

/** Least time between two refreshes caused by engine events. */
export const ACTIVITY_REFRESH_MS = 5_000;

export interface ActivityHost {
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
}

export class ActivityState {
  range = $state<ActivityRange>('24h');
  view = $state.raw<ActivityView | null>(null);
  error = $state.raw<ErrorView | null>(null);
  #api: Bridge;
  #host: ActivityHost;
  #pending = false;

  constructor(api: Bridge, host: ActivityHost) {
    this.#api = api;
    this.#host = host;
  }

  /** Shows `range`, fetching its data. */
  show(range: ActivityRange): Promise<void> {
    this.range = range;
    return this.refresh();
  }

  async refresh(): Promise<void> {
    const range = this.range;
    const result = await this.#api.invoke('activity:get', { range });
    if (range !== this.range) return; // a newer range was chosen meanwhile
    if (result.ok) {
      this.view = result.value;
      this.error = null;
    } else this.error = result.error;
  }

  /** A scan committed something: refresh soon, once for every burst of events. */
  changed(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#host.setTimeout(() => {
      this.#pending = false;
      void this.refresh();
    }, ACTIVITY_REFRESH_MS);
  }
}
