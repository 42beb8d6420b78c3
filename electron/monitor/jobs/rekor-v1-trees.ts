// Rekor v1 logs as followed trees, one per shard (FORMATS.md §1.4). Entries come from the
// retrieve endpoint with an inclusion proof against a checkpoint the server signed for that
// response; an entry counts as proven in our verified tree when that proof verifies against
// that (signature-checked) checkpoint AND the checkpoint is proven consistent with ours. What
// fails verification is read once more on fresh connections before it counts (confirmed).
import { bytesEqual, encodeBase64, encodeHex } from '../../core/bytes';
import { FetchError, VerificationError } from '../../core/errors';
import {
  openCheckpoint,
  parseRekorV1Origin,
  type VerifiedCheckpoint,
} from '../../core/tlog/checkpoint';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../core/tlog/merkle';
import type { NoteVerifier } from '../../core/tlog/note';
import type { RekorV1LogDescriptor } from '../../core/trust/types';
import type { RekorV1Client, RekorV1Entry } from '../logs/rekor-v1';
import { shardOffsets, type RekorV1LogInfo } from '../logs/rekor-v1-shards';
import { confirmed } from './confirm';
import type { FollowedTree, InclusionEvidence, ScannedEntry } from './tree';

/**
 * Reads /api/v1/log once and returns one tree per shard (inactive ones retired), each answering
 * fetchCheckpoint from this snapshot. Shard checkpoints are opened with the log key; a shard
 * whose signed origin names another tree ID is a VerificationError.
 */
export async function discoverRekorV1Trees(
  descriptor: RekorV1LogDescriptor,
  client: RekorV1Client,
  logKey: NoteVerifier,
): Promise<FollowedTree[]> {
  const openLogInfo = async (from: RekorV1Client) => {
    const info = await from.getLogInfo();
    const shards = [...info.inactive, info.active];
    const checkpoints = shards.map((shard) => {
      const origin = shardOrigin(shard.signedTreeHead, shard.treeId);
      return openCheckpoint(shard.signedTreeHead, { origin, logKey });
    });
    return { info, checkpoints };
  };
  const { info, checkpoints } = await confirmed(
    () => openLogInfo(client),
    () => openLogInfo(client.onFreshConnections()),
  );
  return shardTrees(info, checkpoints, descriptor, client, logKey);
}

function shardTrees(
  info: RekorV1LogInfo,
  checkpoints: readonly VerifiedCheckpoint[],
  descriptor: RekorV1LogDescriptor,
  client: RekorV1Client,
  logKey: NoteVerifier,
): FollowedTree[] {
  const shards = [...info.inactive, info.active];
  return shardOffsets(info).map((offset, i) => {
    const shard = shards[i]!;
    const checkpoint = checkpoints[i]!;
    const origin = checkpoint.origin;
    return createShardTree({
      descriptor,
      client,
      logKey,
      origin,
      treeId: shard.treeId,
      indexOffset: offset.offset,
      retired: !offset.active,
      checkpoint,
    });
  });
}

/** The origin a shard's checkpoint claims, which must name the shard's own tree ID. */
function shardOrigin(signedTreeHead: string, treeId: string): string {
  const firstLine = signedTreeHead.slice(0, Math.max(0, signedTreeHead.indexOf('\n')));
  const parsed = parseRekorV1Origin(firstLine);
  if (!parsed || parsed.treeId !== treeId) {
    throw new VerificationError(
      'CHECKPOINT_WRONG_ORIGIN',
      `shard ${treeId} checkpoint origin ${JSON.stringify(firstLine)}, want "<host> - ${treeId}"`,
      { note: signedTreeHead },
    );
  }
  return firstLine;
}

interface ShardTreeOptions {
  readonly descriptor: RekorV1LogDescriptor;
  readonly client: RekorV1Client;
  readonly logKey: NoteVerifier;
  readonly origin: string;
  readonly treeId: string;
  readonly indexOffset: number;
  readonly retired: boolean;
  readonly checkpoint: VerifiedCheckpoint;
}

/** A shard tree's reads over one client: the pooled one, or the one on fresh connections. */
interface ShardReads {
  readonly proveConsistency: FollowedTree['proveConsistency'];
  readonly readEntries: FollowedTree['readEntries'];
  readonly inclusionEvidence: FollowedTree['inclusionEvidence'];
  entryTimeMs(index: number): Promise<number>;
}

function createShardTree(o: ShardTreeOptions): FollowedTree {
  const treeIdParam = o.retired ? o.treeId : undefined;
  const opened = new Map<string, VerifiedCheckpoint>();
  const ops = shardReads(o.client);
  // Made at the first failure: the same reads on fresh connections, with caches of their own.
  let freshOps: ShardReads | undefined;
  const fresh = () => (freshOps ??= shardReads(o.client.onFreshConnections()));
  /** `read` with the client, and once more on fresh connections if it fails verification. */
  const confirm = <T>(read: (r: ShardReads) => Promise<T>) =>
    confirmed(
      () => read(ops),
      () => read(fresh()),
    );

  function openResponseCheckpoint(note: string): VerifiedCheckpoint {
    let cp = opened.get(note);
    if (!cp) {
      cp = openCheckpoint(note, { origin: o.origin, logKey: o.logKey });
      if (opened.size > 1024) opened.clear();
      opened.set(note, cp);
    }
    return cp;
  }

  function shardReads(client: RekorV1Client): ShardReads {
    // Response checkpoints already linked to a verified one, by "size:root" (and in flight).
    const linked = new Map<string, Promise<void>>();

    async function proveConsistency(
      older: { readonly treeSize: number; readonly rootHash: Uint8Array },
      newer: VerifiedCheckpoint,
    ): Promise<Uint8Array[]> {
      if (older.treeSize === 0) return [];
      const proof = await client.getConsistencyProof(older.treeSize, newer.treeSize, treeIdParam);
      try {
        verifyConsistency(older.treeSize, newer.treeSize, proof, older.rootHash, newer.rootHash);
      } catch (err) {
        if (err instanceof VerificationError) {
          throw new VerificationError(err.code, `${o.origin}: ${err.message}`, {
            olderTreeSize: older.treeSize,
            olderRootHash: encodeHex(older.rootHash),
            newerNote: newer.note,
            proof: proof.map(encodeHex),
          });
        }
        throw err;
      }
      return proof;
    }

    /** Proves `other` (a response checkpoint) and `verified` describe one history. */
    function link(other: VerifiedCheckpoint, verified: VerifiedCheckpoint): Promise<void> {
      const key = `${other.treeSize}:${encodeHex(other.rootHash)}`;
      let done = linked.get(key);
      if (!done) {
        done = (async () => {
          if (other.treeSize === verified.treeSize) {
            if (!bytesEqual(other.rootHash, verified.rootHash)) {
              throw new VerificationError(
                'CONSISTENCY_PROOF_INVALID',
                `${o.origin}: two signed checkpoints of size ${other.treeSize} with different roots`,
                { verifiedNote: verified.note, otherNote: other.note },
              );
            }
          } else if (other.treeSize > verified.treeSize) {
            await proveConsistency(verified, other);
          } else {
            await proveConsistency(other, verified);
          }
        })();
        // A failed link is not cached: the next batch asks again (and fails again if it must).
        done.catch(() => linked.delete(key));
        if (linked.size > 4096) linked.clear();
        linked.set(key, done);
      }
      return done;
    }

    async function verifyEntry(
      entry: RekorV1Entry,
      localIndex: number,
      verified: VerifiedCheckpoint,
    ): Promise<ScannedEntry> {
      const leafHash = hashLeaf(entry.body);
      const proof = entry.inclusionProof;
      // The entry as the log served it, kept with any failure as evidence.
      const received = () => receivedEntry(entry);
      if (!proof) {
        throw new VerificationError(
          'ENTRY_UNVERIFIABLE',
          `${o.origin}: entry ${entry.logIndex} came without an inclusion proof`,
          received(),
        );
      }
      if (proof.logIndex !== localIndex) {
        throw new VerificationError(
          'ENTRY_MISMATCH',
          `${o.origin}: entry ${entry.logIndex} proof index ${proof.logIndex}, want ${localIndex}`,
          received(),
        );
      }
      if (proof.checkpoint === undefined) {
        // Every live Rekor v1 attaches one (since sigstore/rekor#1015); only saved old entries
        // lack it. The client refuses such an answer as malformed (retried, then operational);
        // this keeps a client that does not from making it an integrity failure.
        throw new FetchError(
          'RESPONSE_MALFORMED',
          `${o.origin}: serving malformed responses (entry ${entry.logIndex} came with an inclusion proof without a checkpoint)`,
        );
      }
      const cp = openResponseCheckpoint(proof.checkpoint);
      if (cp.treeSize !== proof.treeSize || !bytesEqual(cp.rootHash, proof.rootHash)) {
        throw new VerificationError(
          'INCLUSION_PROOF_INVALID',
          `${o.origin}: entry ${entry.logIndex} proof names tree ${proof.treeSize}, its checkpoint ${cp.treeSize}`,
          received(),
        );
      }
      try {
        verifyInclusion(leafHash, localIndex, cp.treeSize, proof.hashes, cp.rootHash);
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        throw new VerificationError(
          err.code,
          `${o.origin}: entry ${entry.logIndex}: ${err.message}`,
          received(),
          { cause: err },
        );
      }
      await link(cp, verified);
      return {
        index: localIndex,
        bytes: entry.body,
        leafHash,
        integratedTimeMs: entry.integratedTime * 1000,
        evidence: { hashes: proof.hashes, treeSize: cp.treeSize, signedNote: proof.checkpoint },
      };
    }

    async function readEntries(
      start: number,
      end: number,
      checkpoint: VerifiedCheckpoint,
    ): Promise<ScannedEntry[]> {
      if (end > checkpoint.treeSize) {
        throw new RangeError(`readEntries end ${end} past tree size ${checkpoint.treeSize}`);
      }
      const globals: number[] = [];
      for (let i = start; i < end; i++) globals.push(o.indexOffset + i);
      const got = await client.retrieveEntries(globals);
      // The retrieve endpoint omits what it did not find; ask once more one by one before
      // calling it withheld.
      for (const g of globals) {
        if (!got.has(g)) got.set(g, await client.getEntry(g));
      }
      return Promise.all(
        globals.map((g) => {
          const entry = got.get(g);
          if (!entry) throw new FetchError('LOG_HTTP_STATUS', `${o.origin}: entry ${g} not served`);
          return verifyEntry(entry, g - o.indexOffset, checkpoint);
        }),
      );
    }

    async function inclusionEvidence(
      index: number,
      checkpoint: VerifiedCheckpoint,
    ): Promise<InclusionEvidence> {
      const entry = await client.getEntry(o.indexOffset + index);
      const scanned = await verifyEntry(entry, index, checkpoint);
      return scanned.evidence!;
    }

    return {
      proveConsistency,
      readEntries,
      inclusionEvidence,
      entryTimeMs: async (index) =>
        (await client.getEntry(o.indexOffset + index)).integratedTime * 1000,
    };
  }

  return {
    origin: o.origin,
    apiVersion: 1,
    indexOffset: o.indexOffset,
    readUrl: o.descriptor.baseUrl,
    retired: o.retired,
    logKey: o.logKey,
    fetchCheckpoint: async () => o.checkpoint,
    proveConsistency: (older, newer) => confirm((r) => r.proveConsistency(older, newer)),
    readEntries: (start, end, checkpoint) => confirm((r) => r.readEntries(start, end, checkpoint)),
    inclusionEvidence: (index, checkpoint) =>
      confirm((r) => r.inclusionEvidence(index, checkpoint)),
    // Unverified by nature (it only places a backfill): nothing to confirm.
    entryTimeMs: (index) => ops.entryTimeMs(index),
  };
}

/** A Rekor v1 entry as received, for evidence: body and proof as the log sent them. */
function receivedEntry(entry: RekorV1Entry): Record<string, unknown> {
  const proof = entry.inclusionProof;
  return {
    uuid: entry.uuid,
    logIndex: entry.logIndex,
    body: encodeBase64(entry.body),
    integratedTime: entry.integratedTime,
    ...(proof && {
      inclusionProof: {
        logIndex: proof.logIndex,
        treeSize: proof.treeSize,
        rootHash: encodeHex(proof.rootHash),
        hashes: proof.hashes.map(encodeHex),
        checkpoint: proof.checkpoint,
      },
    }),
  };
}
