// An integrity failure is raised only on evidence that survives a second look: a checkpoint
// signature, a proof, a tile or an entry that contradicts a verified root is read once more, on
// fresh connections, before Vigil believes the log (not a proxy, a cache or a flipped bit on
// the way) is to blame. A first contradiction that a re-read clears is transient.
import { VerificationError } from '../../core/errors';

/**
 * Runs `read`. When it fails with a VerificationError, runs `reread` (the same read on fresh
 * connections) once: its result is returned if it verifies; if it fails verification too, that
 * second error is thrown, carrying the first attempt's code, message and evidence beside its
 * own (both are what the log sent). Any other failure of either read is thrown as is, so a
 * re-read that cannot get a well-formed answer is an operational error, not an integrity one.
 */
export async function confirmed<T>(read: () => Promise<T>, reread: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (first) {
    if (!(first instanceof VerificationError)) throw first;
    try {
      return await reread();
    } catch (second) {
      if (!(second instanceof VerificationError)) throw second;
      throw new VerificationError(
        second.code,
        second.message,
        {
          ...second.evidence,
          confirmedOnFreshConnection: true,
          firstAttempt: {
            code: first.code,
            message: first.message,
            ...(first.evidence && { evidence: first.evidence }),
          },
        },
        { cause: second },
      );
    }
  }
}
