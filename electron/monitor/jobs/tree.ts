// One Merkle tree the monitor follows: a Rekor v2 log, or one shard of a Rekor v1 log. The jobs
// (check-log, scan-log) work on this interface; the readers behind it differ per API version.
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import type { NoteVerifier } from '../../core/tlog/note';

/** An entry read from a tree, already proven to be in a verified checkpoint's tree. */
export interface ScannedEntry {
  /** Tree-local index (v1: shard-local; v2: the log index). */
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
  /** Rekor v1 integrated time; Rekor v2 entries carry none. */
  readonly integratedTimeMs?: number;
  /** The inclusion proof, when reading the entry yielded one (Rekor v1). */
  readonly evidence?: InclusionEvidence;
}

/** An inclusion proof and the signed checkpoint it reaches: the evidence stored with a match. */
export interface InclusionEvidence {
  readonly hashes: readonly Uint8Array[];
  readonly treeSize: number;
  readonly signedNote: string;
}

/**
 * Every method that reads the log throws FetchError when it cannot get usable answers (answers
 * that do not parse included, once the HTTP client's retries are spent), and VerificationError
 * only for a contradiction that persisted when read again on fresh connections.
 */
export interface FollowedTree {
  /** The checkpoint origin (v1: `<host> - <treeID>`). */
  readonly origin: string;
  readonly apiVersion: 1 | 2;
  /** Global log index of the tree's entry 0 (v1 shards after the first; 0 otherwise). */
  readonly indexOffset: number;
  readonly readUrl: string;
  /** True for a frozen v1 shard or a v2 shard past its validity: follow it to its final size. */
  readonly retired: boolean;
  /** The verifier of this tree's checkpoints (to re-open stored notes). */
  readonly logKey: NoteVerifier;
  /** Fetches the newest checkpoint and verifies its signature (not its consistency). */
  fetchCheckpoint(): Promise<VerifiedCheckpoint>;
  /**
   * Fetches (v1) or computes from tiles (v2) a proof that the tree of size `older.treeSize` is a
   * prefix of `newer`'s, verifies it, and returns it as evidence. Throws VerificationError
   * CONSISTENCY_PROOF_INVALID (with the proof as evidence) when it does not verify.
   */
  proveConsistency(
    older: { readonly treeSize: number; readonly rootHash: Uint8Array },
    newer: VerifiedCheckpoint,
  ): Promise<Uint8Array[]>;
  /**
   * Reads entries [start, end) and proves each is in `checkpoint`'s tree (end <= its size).
   * Throws FetchError when entries cannot be had, VerificationError when they do not verify.
   */
  readEntries(start: number, end: number, checkpoint: VerifiedCheckpoint): Promise<ScannedEntry[]>;
  /** The inclusion proof of one entry, for the evidence stored with a match. */
  inclusionEvidence(index: number, checkpoint: VerifiedCheckpoint): Promise<InclusionEvidence>;
  /**
   * When the entry at `index` was integrated, as the log states it (unverified: only used to
   * choose where a backfill starts). Absent for Rekor v2, whose entries carry no time.
   */
  entryTimeMs?(index: number): Promise<number>;
}
