// A Rekor v2 log (one tlog-tiles shard) as a followed tree. The tiles reader computes proofs
// from hash tiles and authenticates every tile against the verified checkpoint it is given.
import type { NoteVerifier } from '../../core/tlog/note';
import type { RekorV2LogDescriptor } from '../../core/trust/types';
import type { HttpClient } from '../logs/http';
import { createRekorV2Reader } from '../logs/rekor-v2';
import type { FollowedTree } from './tree';

export function createRekorV2Tree(
  log: RekorV2LogDescriptor,
  logKey: NoteVerifier,
  http: HttpClient,
  concurrency: number,
): FollowedTree {
  const reader = createRekorV2Reader({
    prefixUrl: log.baseUrl,
    origin: log.origin,
    logKey,
    http,
    concurrency,
  });
  return {
    origin: log.origin,
    apiVersion: 2,
    indexOffset: 0,
    readUrl: log.baseUrl,
    retired: log.retired,
    logKey,
    fetchCheckpoint: () => reader.getCheckpoint(),
    proveConsistency: (older, newer) => reader.proveConsistency(older, newer),
    // A RekorV2Entry is a ScannedEntry already: no copy per entry.
    readEntries: (start, end, checkpoint) => reader.readEntries(start, end, checkpoint),
    inclusionEvidence: async (index, checkpoint) => ({
      hashes: await reader.inclusionProof(index, checkpoint),
      treeSize: checkpoint.treeSize,
      signedNote: checkpoint.note,
    }),
  };
}
