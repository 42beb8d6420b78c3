// A shared "now" for relative times ("2 min ago"): one timer for the whole window, ticking every
// 30 s, so every time on screen ages together and nothing re-renders faster than it changes.

export interface ClockHost {
  readonly now: () => number;
  readonly setInterval: (fn: () => void, ms: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

export const CLOCK_TICK_MS = 30_000;

export class ClockState {
  nowMs = $state.raw(0);
  #host: ClockHost;
  #handle: unknown = null;

  constructor(host: ClockHost) {
    this.#host = host;
    this.nowMs = host.now();
  }

  /** Starts ticking; returns the stop function. */
  start(): () => void {
    this.#handle ??= this.#host.setInterval(() => (this.nowMs = this.#host.now()), CLOCK_TICK_MS);
    return () => {
      if (this.#handle !== null) this.#host.clearInterval(this.#handle);
      this.#handle = null;
    };
  }

  /** Reads the clock now (after an action, so "just now" is right at once). */
  tick(): void {
    this.nowMs = this.#host.now();
  }
}
