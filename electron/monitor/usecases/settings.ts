// Settings: the user settings (USER_SETTINGS), read with their defaults and changed one at a time
// (audited by the settings store).
import { InputError } from '../../core/errors';
import type { UseCaseContext } from './context';

/** Setting: when true, expected matches raise (info) alerts too; by default they are only recorded. */
export const ALERT_ON_EXPECTED = 'alerts.expected';

/** Settings a user may change, with what they mean and their defaults. */
export const USER_SETTINGS: Readonly<
  Record<string, { readonly summary: string; readonly default: boolean }>
> = {
  [ALERT_ON_EXPECTED]: {
    summary: 'alert on expected matches too (default: record them without alerting)',
    default: false,
  },
};

export class Settings {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** The user settings (USER_SETTINGS keys only) with their current values. */
  list(): Record<string, boolean> {
    return Object.fromEntries(
      Object.entries(USER_SETTINGS).map(([key, spec]) => {
        const value = this.#ctx.stores.settings.get(key);
        return [key, typeof value === 'boolean' ? value : spec.default];
      }),
    );
  }

  /** Changes one user setting (audited). Throws InputError for an unknown key or a bad value. */
  set(key: string, value: unknown): void {
    if (!Object.hasOwn(USER_SETTINGS, key)) {
      throw new InputError(
        'INVALID_INPUT',
        `unknown setting ${JSON.stringify(key)}; known: ${Object.keys(USER_SETTINGS).join(', ')}`,
      );
    }
    if (typeof value !== 'boolean') {
      throw new InputError('INVALID_INPUT', `setting ${key} takes true or false`);
    }
    this.#ctx.stores.settings.set(key, value, this.#ctx.now());
  }
}
