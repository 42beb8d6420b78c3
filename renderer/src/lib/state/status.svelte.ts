// The overview's state: log health, trust state and counts, and the monitoring controls.
import type { StatusView } from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

export class StatusState {
  status = $state.raw<StatusView | null>(null);
  error = $state.raw<ErrorView | null>(null);
  #api: Bridge;
  #inflight: Promise<void> | null = null;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Fetches the status; concurrent callers share the request in flight. */
  refresh(): Promise<void> {
    return (this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = null;
    }));
  }

  /** Checks every log now (when monitoring runs in the engine's process). */
  checkNow(): Promise<void> {
    return this.#control('monitor:check-now');
  }

  /** Pauses or resumes monitoring, then shows the new state. */
  setPaused(paused: boolean): Promise<void> {
    return this.#control(paused ? 'monitor:pause' : 'monitor:resume');
  }

  async #control(command: 'monitor:check-now' | 'monitor:pause' | 'monitor:resume') {
    const result = await this.#api.invoke(command);
    if (!result.ok) this.error = result.error;
    await this.refresh();
  }

  async #fetch(): Promise<void> {
    const result = await this.#api.invoke('status:get');
    if (result.ok) {
      this.status = result.value;
      this.error = null;
    } else this.error = result.error;
  }
}
