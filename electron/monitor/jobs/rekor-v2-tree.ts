// A Rekor v2 log (one tlog-tiles shard) as a followed tree. The tiles reader computes proofs
// from hash tiles and authenticates every tile against the verified checkpoint it is given.
// What fails verification is read again by a second reader on fresh connections (confirmed).
import type { VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import { v2Signers } from '../../core/trust/log-descriptor';
import type { RekorV2LogDescriptor } from '../../core/trust/types';
import { withFreshConnections, type HttpClient } from '../logs/http';
import { createRekorV2Reader, type RekorV2Reader } from '../logs/rekor-v2';
import { confirmed } from './confirm';
import type { FollowedTree } from './tree';

/**
 * Reads the log's checkpoint once and returns the tree under the origin the log signs as: its
 * hostname, or `host:port` (v2Signers, preferred first), whichever its verified signature
 * line names. The tree's origin, key and first checkpoint are that one; fetchCheckpoint
 * answers from this snapshot, like the Rekor v1 shards. Throws FetchError when the checkpoint
 * cannot be read, VerificationError when it verifies under none of the log's origins (also
 * when read again on fresh connections).
 */
export async function discoverRekorV2Tree(
  log: RekorV2LogDescriptor,
  http: HttpClient,
  concurrency: number,
): Promise<FollowedTree> {
  const [preferred, ...others] = v2Signers(log);
  const probeOn = (client: HttpClient) =>
    createRekorV2Reader({
      prefixUrl: log.baseUrl,
      ...preferred!,
      otherSigners: others,
      http: client,
      concurrency,
    });
  const checkpoint = await confirmed(
    () => probeOn(http).getCheckpoint(),
    () => probeOn(withFreshConnections(http)).getCheckpoint(),
  );
  const signer = [preferred!, ...others].find((s) => s.origin === checkpoint.origin)!;
  return rekorV2Tree(log, { ...signer, checkpoint }, http, concurrency);
}

function rekorV2Tree(
  log: RekorV2LogDescriptor,
  signed: Pick<FollowedTree, 'origin' | 'logKey'> & { checkpoint: VerifiedCheckpoint },
  http: HttpClient,
  concurrency: number,
): FollowedTree {
  const readerOn = (client: HttpClient) =>
    createRekorV2Reader({
      prefixUrl: log.baseUrl,
      origin: signed.origin,
      logKey: signed.logKey,
      http: client,
      concurrency,
    });
  const reader = readerOn(http);
  // Made at the first failure; its caches hold only tiles it authenticated itself.
  let freshReader: RekorV2Reader | undefined;
  const fresh = () => (freshReader ??= readerOn(withFreshConnections(http)));
  /** `read` with the reader, and once more with the fresh one if it fails verification. */
  const confirm = <T>(read: (r: RekorV2Reader) => Promise<T>) =>
    confirmed(
      () => read(reader),
      () => read(fresh()),
    );
  return {
    origin: signed.origin,
    apiVersion: 2,
    indexOffset: 0,
    readUrl: log.baseUrl,
    retired: log.retired,
    logKey: signed.logKey,
    fetchCheckpoint: async () => signed.checkpoint,
    proveConsistency: (older, newer) => confirm((r) => r.proveConsistency(older, newer)),
    // A RekorV2Entry is a ScannedEntry already: no copy per entry.
    readEntries: (start, end, checkpoint) => confirm((r) => r.readEntries(start, end, checkpoint)),
    inclusionEvidence: async (index, checkpoint) => ({
      hashes: await confirm((r) => r.inclusionProof(index, checkpoint)),
      treeSize: checkpoint.treeSize,
      signedNote: checkpoint.note,
    }),
  };
}
