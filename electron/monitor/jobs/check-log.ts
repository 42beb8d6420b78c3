// check-log: fetch a tree's checkpoint, verify its signature, prove it consistent with the
// stored one, store it. A failure is the loudest thing Vigil reports: a critical alert with
// both checkpoints and the proof as evidence, and the stored checkpoint never moves.
import type { MonitorEvent } from '../../../shared/events';
import { bytesEqual, encodeHex } from '../../core/bytes';
import { VerificationError } from '../../core/errors';
import { openCheckpoint, type VerifiedCheckpoint } from '../../core/tlog/checkpoint';
import type { Stores } from '../store/index';
import type { StoredCheckpoint } from '../store/types';
import type { FollowedTree } from './tree';

export interface JobDeps {
  readonly stores: Stores;
  readonly now: () => number;
  readonly emit: (event: MonitorEvent) => void;
}

export type CheckOutcome =
  | { readonly status: 'verified' | 'unchanged'; readonly checkpoint: VerifiedCheckpoint }
  /** The log served a smaller checkpoint consistent with ours (a lagging replica): ignored. */
  | { readonly status: 'behind'; readonly checkpoint: VerifiedCheckpoint }
  | {
      readonly status: 'inconsistent';
      readonly checkpoint: VerifiedCheckpoint;
      readonly error: VerificationError;
    };

/**
 * Verifies and stores `tree`'s newest checkpoint. Throws FetchError when the log cannot be read
 * and VerificationError when its checkpoint's signature or origin is wrong (the caller raises
 * the verification alert); returns 'inconsistent' (alert already raised) on a failed
 * consistency proof, a fork, or a rollback.
 */
export async function checkLog(tree: FollowedTree, deps: JobDeps): Promise<CheckOutcome> {
  const latest = await tree.fetchCheckpoint();
  // Shown by `vigil status`: the name the log signs under is its operator's choice.
  deps.stores.logs.recordKeyName(tree.origin, latest.keyName, deps.now());
  const stored = deps.stores.checkpoints.latest(tree.origin);
  if (!stored) {
    deps.stores.checkpoints.add(toStored(latest, deps.now()));
    deps.emit(checkpointVerified(latest, null));
    return { status: 'verified', checkpoint: latest };
  }
  try {
    if (latest.treeSize === stored.treeSize) {
      if (!bytesEqual(latest.rootHash, stored.rootHash)) {
        throw new VerificationError(
          'CONSISTENCY_PROOF_INVALID',
          `${tree.origin}: checkpoint of size ${latest.treeSize} has a different root than the stored one`,
        );
      }
      return { status: 'unchanged', checkpoint: latest };
    }
    if (latest.treeSize < stored.treeSize) {
      // A replica behind the one we read before; acceptable only if it is a prefix of ours.
      await tree.proveConsistency(latest, openStored(tree, stored));
      return { status: 'behind', checkpoint: latest };
    }
    const proof = await tree.proveConsistency(stored, latest);
    deps.stores.transaction(() => {
      deps.stores.audit.append({
        kind: 'consistency.proven',
        atMs: deps.now(),
        origin: tree.origin,
        treeSize: latest.treeSize,
        detail: { fromTreeSize: stored.treeSize, proof: proof.map(encodeHex) },
      });
      deps.stores.checkpoints.add(toStored(latest, deps.now()));
    });
    deps.emit(checkpointVerified(latest, stored.treeSize));
    return { status: 'verified', checkpoint: latest };
  } catch (err) {
    if (!(err instanceof VerificationError)) throw err;
    recordInconsistency(tree, stored, latest, err, deps);
    return { status: 'inconsistent', checkpoint: latest, error: err };
  }
}

/** Re-opens a stored checkpoint's note (it was verified when stored; this re-checks it). */
export function openStored(tree: FollowedTree, stored: StoredCheckpoint): VerifiedCheckpoint {
  return openCheckpoint(stored.signedNote, { origin: tree.origin, logKey: tree.logKey });
}

function recordInconsistency(
  tree: FollowedTree,
  stored: StoredCheckpoint,
  received: VerifiedCheckpoint,
  err: VerificationError,
  deps: JobDeps,
): void {
  const proof = proofOf(err);
  const evidence = {
    code: err.code,
    message: err.message,
    stored: summary(stored.treeSize, stored.rootHash, stored.signedNote),
    received: summary(received.treeSize, received.rootHash, received.note),
    proof,
  };
  const atMs = deps.now();
  deps.stores.transaction(() => {
    deps.stores.audit.append({
      kind: 'consistency.failed',
      atMs,
      origin: tree.origin,
      treeSize: received.treeSize,
      detail: evidence,
    });
    deps.stores.alerts.raise({
      kind: 'log-inconsistent',
      dedupeKey: `log-inconsistent|${tree.origin}|${stored.treeSize}|${received.treeSize}|${encodeHex(received.rootHash)}`,
      origin: tree.origin,
      summary: `${tree.origin} served a checkpoint (size ${received.treeSize}) that is not consistent with the verified one (size ${stored.treeSize}): possible split view or rewritten history`,
      evidence,
      atMs,
    });
  });
  deps.emit({
    type: 'consistency.failed',
    origin: tree.origin,
    code: err.code,
    message: err.message,
    stored: evidence.stored,
    received: evidence.received,
    proof,
  });
}

function proofOf(err: VerificationError): string[] {
  const proof = err.evidence?.['proof'];
  return Array.isArray(proof) ? proof.filter((p): p is string => typeof p === 'string') : [];
}

function summary(treeSize: number, rootHash: Uint8Array, note: string) {
  return { treeSize, rootHashHex: encodeHex(rootHash), note };
}

function toStored(cp: VerifiedCheckpoint, atMs: number): StoredCheckpoint {
  return {
    origin: cp.origin,
    treeSize: cp.treeSize,
    rootHash: cp.rootHash,
    signedNote: cp.note,
    verifiedAtMs: atMs,
  };
}

function checkpointVerified(cp: VerifiedCheckpoint, previousTreeSize: number | null): MonitorEvent {
  return {
    type: 'checkpoint.verified',
    origin: cp.origin,
    treeSize: cp.treeSize,
    rootHashHex: encodeHex(cp.rootHash),
    previousTreeSize,
  };
}
