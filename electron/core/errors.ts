// Error classes with closed code unions (shared/errors.ts). "The log misbehaved"
// (VerificationError) is kept apart from "the log was unreachable" (FetchError).
import type {
  ErrorCode,
  FetchCode,
  InputCode,
  StorageCode,
  VerificationCode,
} from '../../shared/errors';

/** Material that shows a log misbehaved: checkpoints, proofs, entries, as text or hex. */
export type Evidence = Readonly<Record<string, unknown>>;

export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name: string = this.constructor.name;
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The log served data that fails verification. Security-relevant: audit it, maybe alert. */
export class VerificationError extends AppError<VerificationCode> {
  constructor(
    code: VerificationCode,
    message: string,
    readonly evidence?: Evidence,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** We could not obtain data. Operational: retry later, surface as log status. */
export class FetchError extends AppError<FetchCode> {
  constructor(
    code: FetchCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** The local database is corrupt, locked, or from a newer build. */
export class StorageError extends AppError<StorageCode> {}

/** User, file or IPC input failed validation. */
export class InputError extends AppError<InputCode> {}

/** Converts anything thrown into a code + message for a boundary; non-AppErrors become INTERNAL. */
export function toErrorView(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
