// Rekor v1 sharding (sigstore/rekor pkg/sharding; FORMATS.md §1.4): the log is a sequence of
// frozen inactive shards followed by one active shard, and a global (virtual) index is the sum
// of the inactive shards' sizes before the entry's shard plus its shard-local index.
import { InputError } from '../../core/errors';

/** One shard as /api/v1/log describes it. Nothing here is verified. */
export interface ShardInfo {
  /** Trillian tree ID, a decimal string (it can exceed 2^53). */
  readonly treeId: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  /** The shard's checkpoint as a signed note; verify it before trusting anything above. */
  readonly signedTreeHead: string;
  /** First line of `signedTreeHead`, unverified (`<host> - <treeId>` on rekor.sigstore.dev). */
  readonly origin?: string;
}

/** `GET /api/v1/log`, parsed. `inactive` is oldest first, as the server lists it. */
export interface RekorV1LogInfo {
  readonly active: ShardInfo;
  readonly inactive: readonly ShardInfo[];
}

/** Where a shard's entries sit in the global index space. */
export interface ShardOffset {
  readonly treeId: string;
  /** Global index of the shard's entry 0. */
  readonly offset: number;
  /** Shard size as of the LogInfo (the active shard keeps growing). */
  readonly treeSize: number;
  readonly active: boolean;
}

/** A global index resolved to its shard. */
export interface ShardLocation {
  readonly treeId: string;
  readonly shardIndex: number;
}

/** Every shard with its global offset, oldest first, the active shard last. */
export function shardOffsets(logInfo: RekorV1LogInfo): ShardOffset[] {
  const out: ShardOffset[] = [];
  let offset = 0;
  for (const shard of logInfo.inactive) {
    out.push({ treeId: shard.treeId, offset, treeSize: shard.treeSize, active: false });
    offset += shard.treeSize;
  }
  out.push({
    treeId: logInfo.active.treeId,
    offset,
    treeSize: logInfo.active.treeSize,
    active: true,
  });
  return out;
}

/**
 * Resolves a global index to (tree ID, shard-local index), like rekor's ResolveVirtualIndex.
 * An index past every inactive shard falls in the active shard even beyond its size as of
 * `logInfo`, since the active shard grows; comparing with a verified tree size is the caller's
 * job. Requires a safe non-negative integer (InputError otherwise).
 */
export function globalToShard(logInfo: RekorV1LogInfo, globalIndex: number): ShardLocation {
  requireIndex(globalIndex);
  let offset = 0;
  for (const shard of logInfo.inactive) {
    if (globalIndex < offset + shard.treeSize) {
      return { treeId: shard.treeId, shardIndex: globalIndex - offset };
    }
    offset += shard.treeSize;
  }
  return { treeId: logInfo.active.treeId, shardIndex: globalIndex - offset };
}

/** Throws InputError unless `index` is an integer in [0, 2^53-1]. */
export function requireIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new InputError('INVALID_INPUT', `log index ${index}, want an integer in [0, 2^53-1]`);
  }
}
