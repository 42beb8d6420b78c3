// A followed log's state in one line, and its last error in words, for the Overview's cards.
// Pure: tested in test/unit/renderer/log-line.test.ts.
import type { LogHealth } from '../../../../shared/domain';
import type { ErrorCode, ErrorView } from '../../../../shared/errors';
import { formatCount, formatDuration } from '../format';

/**
 * Log health as the status DTO carries it; `catchUpEtaSeconds` (how long until the backlog is
 * scanned, at the recent scan rate) is read when the engine sends it.
 */
export type CardHealth = LogHealth & { readonly catchUpEtaSeconds?: number | null };

/** After the checkpoint's age: what the scan is doing, e.g. `12,345 entries behind · ~6 min`. */
export function scanLine(log: CardHealth): string {
  if (log.paused) return 'paused';
  if (log.state === 'finished') return 'frozen shard, read to its end';
  if (log.state === 'retired') return 'retired: following it to its final size';
  if (log.backlog === null) return 'waiting for its first checkpoint';
  if (log.backlog === 0) return 'caught up';
  const eta = log.catchUpEtaSeconds;
  const when =
    eta === null || eta === undefined ? '' : ` · caught up in ${formatDuration(eta * 1000)}`;
  return `${formatCount(log.backlog)} ${log.backlog === 1 ? 'entry' : 'entries'} behind${when}`;
}

const WORDS: Partial<Record<ErrorCode, string>> = {
  LOG_UNREACHABLE: 'The log could not be reached',
  LOG_TIMEOUT: 'The log did not answer in time',
  LOG_HTTP_STATUS: 'The log answered with an error',
  LOG_RATE_LIMITED: 'The log asked Vigil to slow down',
  RESPONSE_TOO_LARGE: 'The log sent an answer too large to accept',
  RESPONSE_MALFORMED: 'The log keeps sending answers that do not parse',
  TUF_UNREACHABLE: 'The trust root could not be refreshed',
  NOTE_BAD_SIGNATURE: "The log's checkpoint signature is wrong",
  NOTE_UNTRUSTED: "The checkpoint is not signed by the log's key",
  CHECKPOINT_WRONG_ORIGIN: 'The checkpoint names another log',
  CONSISTENCY_PROOF_INVALID: 'The log is not consistent with what Vigil verified before',
  TREE_SIZE_REGRESSED: 'The log went back to a smaller tree',
  INCLUSION_PROOF_INVALID: 'An entry could not be proven in the log',
  ENTRY_MISMATCH: 'The log served an entry that differs from its tree',
  DB_LOCKED: 'The data folder is busy in another process',
};

/** `The log could not be reached: connect ECONNREFUSED 127.0.0.1:3000`. */
export function errorInWords(error: ErrorView): string {
  const words = WORDS[error.code];
  return words ? `${words}: ${error.message}` : `${error.message} (${error.code})`;
}
