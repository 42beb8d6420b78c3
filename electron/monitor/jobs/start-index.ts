// Where a scan starts on a tree Vigil has not scanned before: at the head by default (watch only
// what is new), or where the user asked to backfill from (--from-index, --since).
import type { FollowedTree } from './tree';

export type StartAt =
  | { readonly kind: 'head' }
  /** A global log index (Rekor v1: the virtual index across shards). */
  | { readonly kind: 'index'; readonly logIndex: number }
  | { readonly kind: 'time'; readonly sinceMs: number };

export interface StartDecision {
  /** Tree-local index to start at, 0..treeSize. */
  readonly index: number;
  /** Said to the user when the request could not be honoured exactly. */
  readonly warning?: string;
}

/**
 * The tree-local index to start scanning `tree` (of verified size `treeSize`) at. For a time,
 * binary-searches the entries' integrated times (about log2(treeSize) requests); a tree whose
 * entries carry no time (Rekor v2) starts at the head, with a warning.
 */
export async function startIndex(
  tree: FollowedTree,
  treeSize: number,
  at: StartAt,
): Promise<StartDecision> {
  switch (at.kind) {
    case 'head':
      return { index: treeSize };
    case 'index':
      return { index: Math.max(0, Math.min(treeSize, at.logIndex - tree.indexOffset)) };
    case 'time': {
      if (!tree.entryTimeMs) {
        return {
          index: treeSize,
          warning: `${tree.origin}: entries carry no time, so --since cannot place a start; starting at the head (use --from-index to backfill)`,
        };
      }
      // First index whose entry was integrated at or after sinceMs; integrated times grow with
      // the index (Rekor assigns both as it integrates).
      let lo = 0;
      let hi = treeSize;
      while (lo < hi) {
        const mid = lo + Math.floor((hi - lo) / 2);
        if ((await tree.entryTimeMs(mid)) < at.sinceMs) lo = mid + 1;
        else hi = mid;
      }
      return { index: lo };
    }
  }
}

const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Parses `--since`: a duration back from now (`90m`, `12h`, `7d`, `2w`) or an ISO 8601 date or
 * date-time (`2026-11-01`, `2026-11-01T12:00:00Z`). Returns epoch ms, or undefined if neither.
 */
export function parseSince(text: string, nowMs: number): number | undefined {
  const m = DURATION.exec(text);
  if (m) return nowMs - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses an interval like `--interval 5m` into ms (at least one second). */
export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms >= 1000 ? ms : undefined;
}
