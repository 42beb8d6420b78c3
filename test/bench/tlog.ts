// Checkpoint verification as check-log does it for each new checkpoint: open the signed note
// (signature, then parse) and verify a consistency proof from the previous tree size. Pure CPU,
// measured in-process over pre-signed notes and pre-computed proofs.
import { openCheckpoint } from '../../electron/core/tlog/checkpoint';
import { verifyConsistency } from '../../electron/core/tlog/merkle';
import { parseVerifierKey } from '../../electron/core/tlog/note-verifiers';
import { MerkleTree } from '../../electron/demo/fake-log/index';
import {
  ecdsaNoteSigner,
  ed25519NoteSigner,
  generateEcdsaP256,
  generateEd25519,
  signNote,
  type NoteSigner,
} from '../../electron/demo/note-signer';
import { atMost, median, type MeasureLine } from './measure';

const ORIGIN = 'log2025-1.bench.test';

/** A case: a new signed checkpoint, and the proof from the previous (already verified) one. */
interface Step {
  readonly note: string;
  readonly size1: number;
  readonly root1: Uint8Array;
  readonly proof: Uint8Array[];
}

/**
 * Median time of openCheckpoint + verifyConsistency over `samples` checkpoint pairs of a tree of
 * `treeSize` entries, for Rekor v2's Ed25519 key and Rekor v1's ECDSA P-256 key. The value is
 * the slower key's median.
 */
export function measureCheckpointVerify(treeSize: number, samples: number): MeasureLine {
  const tree = new MerkleTree();
  for (let i = 0; i < treeSize; i++) tree.appendGenerated(entryBytes, i);
  const ed25519 = run(tree, ed25519NoteSigner(ORIGIN, generateEd25519().privateKey), samples);
  const ecdsa = run(tree, ecdsaNoteSigner(ORIGIN, generateEcdsaP256().privateKey), samples);
  return atMost('checkpoint verify + consistency (median)', Math.max(ed25519, ecdsa), 'ms', 1, {
    ed25519Ms: round(ed25519),
    ecdsaP256Ms: round(ecdsa),
    treeSize,
    samples,
  });
}

function run(tree: MerkleTree, signer: NoteSigner, samples: number): number {
  const log = { origin: ORIGIN, logKey: parseVerifierKey(signer.vkey) };
  const steps: Step[] = [];
  for (let i = 0; i < samples; i++) {
    // Sizes spread over the tree, so proof lengths vary as they do between real checkpoints.
    const size2 = tree.size - ((i * 7919) % Math.floor(tree.size / 2));
    const size1 = size2 - 1 - ((i * 104729) % Math.floor(size2 / 2));
    const root2 = Buffer.from(tree.root(size2)).toString('base64');
    steps.push({
      note: signNote(`${ORIGIN}\n${size2}\n${root2}\n`, [signer]),
      size1,
      root1: tree.root(size1),
      proof: tree.consistencyProof(size1, size2),
    });
  }
  const times: number[] = [];
  for (const step of steps) {
    const started = performance.now();
    const checkpoint = openCheckpoint(step.note, log);
    verifyConsistency(step.size1, checkpoint.treeSize, step.proof, step.root1, checkpoint.rootHash);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Entries of the measured tree: their content does not matter, only their hashes. */
function entryBytes(index: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, index);
  return bytes;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
