// A log's health as status shows it, from its stored row, latest checkpoint and scan cursor.
import type { LogHealth } from '../../../shared/domain';
import type { ScanCursor, StoredCheckpoint, StoredLog } from '../store/types';

/**
 * A log's health from its stored row, latest checkpoint and scan cursor. A retired log whose
 * every verified entry has been scanned is 'finished': nothing more will happen to it.
 */
export function toLogHealth(
  log: StoredLog,
  checkpoint: StoredCheckpoint | undefined,
  cursor: ScanCursor | undefined,
): LogHealth {
  const verifiedTreeSize = checkpoint?.treeSize ?? null;
  const nextIndex = cursor?.nextIndex ?? null;
  const backlog =
    verifiedTreeSize === null || nextIndex === null
      ? null
      : Math.max(0, verifiedTreeSize - nextIndex);
  return {
    origin: log.origin,
    apiVersion: log.apiVersion,
    state: log.state === 'retired' && backlog === 0 ? 'finished' : log.state,
    verifiedTreeSize,
    verifiedAtMs: checkpoint?.verifiedAtMs ?? null,
    nextIndex,
    backlog,
    lastError: log.lastError ? { code: log.lastError.code, message: log.lastError.message } : null,
    paused: log.paused,
    checkpointKeyName: log.checkpointKeyName ?? null,
  };
}
