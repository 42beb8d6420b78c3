// Toasts: short confirmations of what an action did ("3 alerts acknowledged"), and failures that
// need no place on a screen of their own. Each closes itself after a while; errors stay until
// closed, since a failure read too late is a failure missed.
import type { ErrorView } from '../../../../shared/errors';

export type ToastTone = 'ok' | 'info' | 'error';

export interface Toast {
  readonly id: number;
  readonly tone: ToastTone;
  readonly text: string;
}

export interface ToastHost {
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
}

export const TOAST_MS = 6000;
/** At most this many at once: the oldest go first. */
export const MAX_TOASTS = 4;

export class ToastsState {
  toasts = $state.raw<readonly Toast[]>([]);
  #host: ToastHost;
  #next = 1;

  constructor(host: ToastHost) {
    this.#host = host;
  }

  show(text: string, tone: ToastTone = 'ok'): number {
    const id = this.#next++;
    this.toasts = [...this.toasts, { id, tone, text }].slice(-MAX_TOASTS);
    if (tone !== 'error') this.#host.setTimeout(() => this.dismiss(id), TOAST_MS);
    return id;
  }

  /** A failed command, in words: its message and its code. */
  error(error: ErrorView): number {
    return this.show(`${error.message} (${error.code})`, 'error');
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
