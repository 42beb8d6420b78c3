// Custom matchers shared by every test file.
import { expect } from 'vitest';
import { AppError } from '../../electron/core/errors';

interface CodeMatchers<R = unknown> {
  /** Passes when the function throws an AppError (any subclass) with exactly this code. */
  toThrowCode(code: string): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends CodeMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends CodeMatchers {}
}

expect.extend({
  toThrowCode(received: unknown, code: string) {
    if (typeof received !== 'function') {
      return { pass: false, message: () => 'toThrowCode expects a function' };
    }
    try {
      (received as () => unknown)();
    } catch (err) {
      const pass = err instanceof AppError && err.code === code;
      return {
        pass,
        message: () =>
          pass
            ? `expected not to throw code ${code}`
            : `expected AppError with code ${code}, got ${
                err instanceof AppError ? `${err.name}(${err.code}): ${err.message}` : String(err)
              }`,
      };
    }
    return { pass: false, message: () => `expected to throw code ${code}, but nothing was thrown` };
  },
});
