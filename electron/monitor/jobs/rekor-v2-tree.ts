// A Rekor v2 log (one tlog-tiles shard) as a followed tree. The tiles reader computes proofs
// from hash tiles and authenticates every tile against the verified checkpoint it is given.
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import { v2Signers } from '../../core/trust/log-descriptor';
import type { RekorV2LogDescriptor } from '../../core/trust/types';
import type { HttpClient } from '../logs/http';
import { createRekorV2Reader, type RekorV2Reader } from '../logs/rekor-v2';
import type { FollowedTree } from './tree';

/**
 * Reads the log's checkpoint once and returns the tree under the origin the log signs as: its
 * hostname, or `host:port` (v2Signers, preferred first), whichever its verified signature
 * line names. The tree's origin, key and first checkpoint are that one; fetchCheckpoint
 * answers from this snapshot, like the Rekor v1 shards. Throws FetchError when the checkpoint
 * cannot be read, VerificationError when it verifies under none of the log's origins.
 */
export async function discoverRekorV2Tree(
  log: RekorV2LogDescriptor,
  http: HttpClient,
  concurrency: number,
): Promise<FollowedTree> {
  const [preferred, ...others] = v2Signers(log);
  const probe = createRekorV2Reader({
    prefixUrl: log.baseUrl,
    ...preferred!,
    otherSigners: others,
    http,
    concurrency,
  });
  const checkpoint = await probe.getCheckpoint();
  const signer = [preferred!, ...others].find((s) => s.origin === checkpoint.origin)!;
  // The probe's origin is the preferred one, named in its error messages; read under the one
  // signed.
  const reader =
    signer === preferred
      ? probe
      : createRekorV2Reader({ prefixUrl: log.baseUrl, ...signer, http, concurrency });
  return rekorV2Tree(log, reader, { ...signer, checkpoint });
}

function rekorV2Tree(
  log: RekorV2LogDescriptor,
  reader: RekorV2Reader,
  signed: Pick<FollowedTree, 'origin' | 'logKey'> & { checkpoint: VerifiedCheckpoint },
): FollowedTree {
  return {
    origin: signed.origin,
    apiVersion: 2,
    indexOffset: 0,
    readUrl: log.baseUrl,
    retired: log.retired,
    logKey: signed.logKey,
    fetchCheckpoint: async () => signed.checkpoint,
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
