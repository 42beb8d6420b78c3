// Runs a job per log every interval, jittered so many clients do not hit a log in lockstep,
// with per-log exponential backoff after failures. Pause, resume and "check now" act at once.
// Only one run of a given log is ever in flight.

export interface SchedulerOptions {
  /** Base interval between runs of one log. */
  readonly intervalMs: number;
  /** Fraction of the interval added or removed at random (default 0.1). */
  readonly jitter?: number;
  /** Longest wait after repeated failures (default 1 hour, and at least intervalMs). */
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

/** The job for one log: resolves true on success, false on failure (it must not throw). */
export type LogJob = (key: string) => Promise<boolean>;

export interface LogSchedule {
  readonly key: string;
  readonly running: boolean;
  readonly failures: number;
  /** When the next run is due (epoch-relative to the timer; undefined while running or paused). */
  readonly nextInMs: number | undefined;
}

export class Scheduler {
  readonly #options: Required<Omit<SchedulerOptions, 'maxBackoffMs'>> & { maxBackoffMs: number };
  readonly #job: LogJob;
  readonly #logs = new Map<
    string,
    { running: boolean; failures: number; timer: unknown; again: boolean; nextInMs?: number }
  >();
  #paused = false;
  #stopped = false;

  constructor(job: LogJob, options: SchedulerOptions) {
    this.#job = job;
    this.#options = {
      intervalMs: options.intervalMs,
      jitter: options.jitter ?? 0.1,
      maxBackoffMs: Math.max(options.maxBackoffMs ?? 3_600_000, options.intervalMs),
      random: options.random ?? Math.random,
      setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
    };
  }

  /** Follows exactly `keys`: new ones run now, removed ones stop being scheduled. */
  setLogs(keys: readonly string[]): void {
    for (const key of [...this.#logs.keys()]) {
      if (!keys.includes(key)) {
        this.#options.clearTimer(this.#logs.get(key)!.timer);
        this.#logs.delete(key);
      }
    }
    for (const key of keys) {
      if (!this.#logs.has(key)) {
        this.#logs.set(key, { running: false, failures: 0, timer: undefined, again: false });
        this.#schedule(key, 0);
      }
    }
  }

  /** Runs every log now (or as soon as its current run ends). */
  checkNow(): void {
    for (const key of this.#logs.keys()) this.#runSoon(key);
  }

  pause(): void {
    this.#paused = true;
    for (const state of this.#logs.values()) {
      this.#options.clearTimer(state.timer);
      state.timer = undefined;
      state.nextInMs = undefined;
    }
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const key of this.#logs.keys()) this.#runSoon(key);
  }

  get paused(): boolean {
    return this.#paused;
  }

  stop(): void {
    this.#stopped = true;
    this.pause();
  }

  status(): LogSchedule[] {
    return [...this.#logs].map(([key, s]) => ({
      key,
      running: s.running,
      failures: s.failures,
      nextInMs: s.nextInMs,
    }));
  }

  /** The wait after a run: the interval, doubled per consecutive failure up to the cap, jittered. */
  delayAfter(failures: number): number {
    const base = Math.min(this.#options.intervalMs * 2 ** failures, this.#options.maxBackoffMs);
    const spread = base * this.#options.jitter;
    return Math.max(0, Math.round(base - spread + 2 * spread * this.#options.random()));
  }

  #runSoon(key: string): void {
    const state = this.#logs.get(key);
    if (!state) return;
    if (state.running) state.again = true;
    else this.#schedule(key, 0);
  }

  #schedule(key: string, ms: number): void {
    const state = this.#logs.get(key);
    if (!state || this.#paused || this.#stopped) return;
    this.#options.clearTimer(state.timer);
    state.nextInMs = ms;
    state.timer = this.#options.setTimer(() => void this.#run(key), ms);
  }

  async #run(key: string): Promise<void> {
    const state = this.#logs.get(key);
    if (!state || state.running || this.#paused || this.#stopped) return;
    state.running = true;
    state.timer = undefined;
    state.nextInMs = undefined;
    let ok = false;
    try {
      ok = await this.#job(key);
    } catch {
      ok = false;
    }
    state.running = false;
    state.failures = ok ? 0 : state.failures + 1;
    if (state.again) {
      state.again = false;
      this.#schedule(key, 0);
    } else {
      this.#schedule(key, this.delayAfter(state.failures));
    }
  }
}
