// The first run's catch-up: where the first watch starts (from now, the last 24 hours or 7
// days) and the progress of scanning that period again, from the engine's catchup.progress
// events.
import type { CatchUpSince, CatchUpView } from '../../../../shared/activity';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

export class CatchUpState {
  view = $state.raw<CatchUpView | null>(null);
  error = $state.raw<ErrorView | null>(null);
  #api: Bridge;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** The engine's last catch-up, if any (after a reload). */
  async load(): Promise<void> {
    const result = await this.#api.invoke('catchup:get');
    if (result.ok) this.view = result.value;
    else this.error = result.error;
  }

  /** Starts a catch-up; false (with `error`) when the engine refused. */
  async start(since: CatchUpSince): Promise<boolean> {
    const result = await this.#api.invoke('catchup:start', { since });
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.error = null;
    // A progress event may already have brought a newer state than the plan.
    if (this.view?.startedAtMs !== result.value.startedAtMs || this.view.scanned === 0) {
      this.view = result.value;
    }
    return true;
  }

  /** A catchup.progress event: the whole state after a batch. */
  progressed(view: CatchUpView): void {
    this.view = view;
  }
}
