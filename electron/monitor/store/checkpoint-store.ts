// Every accepted checkpoint of every log, with the signed note it arrived in: the evidence.
import type { Database } from 'better-sqlite3';
import { bytesEqual, encodeBase64, encodeHex } from '../../core/bytes';
import { InputError, VerificationError } from '../../core/errors';
import type { AuditStore } from './audit-store';
import { blobToBytes, checkName, checkUint, pageLimit } from './rows';
import { transactional } from './transaction';
import type { StoredCheckpoint } from './types';

export interface CheckpointStore {
  /**
   * Stores a checkpoint the caller has verified (signature, and consistency with latest()) and
   * audits 'checkpoint.verified'. Returns 'unchanged' when the latest stored checkpoint already
   * has this tree size and root hash (the first note is kept: it is the earliest evidence).
   *
   * The latest checkpoint never moves backwards or sideways, whatever the caller checked:
   * a smaller tree size throws VerificationError TREE_SIZE_REGRESSED and the same size with a
   * different root hash throws CONSISTENCY_PROOF_INVALID, both with the two checkpoints as
   * evidence. Throws InputError NOT_FOUND for an origin not in the logs table and
   * INVALID_INPUT when the note's first three lines do not state this origin, size and hash.
   * Does not verify signatures or proofs.
   */
  add(checkpoint: StoredCheckpoint): 'added' | 'unchanged';
  /** The checkpoint with the largest tree size for `origin`. */
  latest(origin: string): StoredCheckpoint | undefined;
  get(origin: string, treeSize: number): StoredCheckpoint | undefined;
  /** Stored checkpoints for `origin`, largest tree size first, below `beforeTreeSize` if given. */
  history(origin: string, page?: { beforeTreeSize?: number; limit?: number }): StoredCheckpoint[];
}

interface CheckpointRow {
  origin: string;
  tree_size: number;
  root_hash: Buffer;
  signed_note: string;
  verified_at_ms: number;
}

/** Prepares the checkpoint statements once; additions are audited through `audit`. */
export function createCheckpointStore(db: Database, audit: AuditStore): CheckpointStore {
  const logExists = db.prepare<[string], number>('SELECT 1 FROM logs WHERE origin = ?').pluck();
  const selectLatest = db.prepare<[string], CheckpointRow>(
    'SELECT * FROM checkpoints WHERE origin = ? ORDER BY tree_size DESC LIMIT 1',
  );
  const select = db.prepare<[string, number], CheckpointRow>(
    'SELECT * FROM checkpoints WHERE origin = ? AND tree_size = ?',
  );
  const selectHistory = db.prepare<[string, number, number], CheckpointRow>(
    `SELECT * FROM checkpoints WHERE origin = ? AND tree_size < ?
     ORDER BY tree_size DESC LIMIT ?`,
  );
  const insert = db.prepare(
    `INSERT INTO checkpoints (origin, tree_size, root_hash, signed_note, verified_at_ms)
     VALUES (?, ?, ?, ?, ?)`,
  );

  const add = transactional(db, (c: StoredCheckpoint): 'added' | 'unchanged' => {
    checkCheckpoint(c);
    if (!logExists.get(c.origin)) {
      throw new InputError('NOT_FOUND', `log ${JSON.stringify(c.origin)} not found`);
    }
    const latestRow = selectLatest.get(c.origin);
    const latest = latestRow && rowToCheckpoint(latestRow);
    let result: 'added' | 'unchanged' = 'added';
    if (latest && c.treeSize < latest.treeSize) {
      throw new VerificationError(
        'TREE_SIZE_REGRESSED',
        `tree size ${c.treeSize} for ${c.origin} is smaller than the stored ${latest.treeSize}`,
        { stored: toEvidence(latest), offered: toEvidence(c) },
      );
    }
    if (latest && c.treeSize === latest.treeSize) {
      if (!bytesEqual(c.rootHash, latest.rootHash)) {
        throw new VerificationError(
          'CONSISTENCY_PROOF_INVALID',
          `root hash for ${c.origin} at tree size ${c.treeSize} differs from the stored one`,
          { stored: toEvidence(latest), offered: toEvidence(c) },
        );
      }
      result = 'unchanged';
    } else {
      insert.run(c.origin, c.treeSize, c.rootHash, c.signedNote, c.verifiedAtMs);
    }
    audit.append({
      kind: 'checkpoint.verified',
      atMs: c.verifiedAtMs,
      origin: c.origin,
      treeSize: c.treeSize,
      detail: {
        rootHash: encodeHex(c.rootHash),
        previousTreeSize: latest?.treeSize ?? null,
        unchanged: result === 'unchanged',
      },
    });
    return result;
  });

  return {
    add,
    latest: (origin) => {
      const row = selectLatest.get(origin);
      return row && rowToCheckpoint(row);
    },
    get: (origin, treeSize) => {
      const row = select.get(origin, treeSize);
      return row && rowToCheckpoint(row);
    },
    history: (origin, page = {}) => {
      const before = page.beforeTreeSize ?? Number.MAX_SAFE_INTEGER;
      checkUint(before, 'beforeTreeSize');
      return selectHistory.all(origin, before, pageLimit(page.limit)).map(rowToCheckpoint);
    },
  };
}

function checkCheckpoint(c: StoredCheckpoint): void {
  checkName(c.origin, 'origin');
  checkUint(c.treeSize, 'treeSize');
  checkUint(c.verifiedAtMs, 'verifiedAtMs');
  if (!(c.rootHash instanceof Uint8Array) || c.rootHash.length !== 32) {
    throw new InputError('INVALID_INPUT', `root hash of ${c.rootHash?.length} bytes, want 32`);
  }
  // The columns must say what the evidence says (c2sp.org/tlog-checkpoint: origin, size, hash).
  const body = `${c.origin}\n${c.treeSize}\n${encodeBase64(c.rootHash)}\n`;
  if (!c.signedNote.startsWith(body)) {
    throw new InputError(
      'INVALID_INPUT',
      `signed note does not start with the checkpoint for ${c.origin} at tree size ${c.treeSize}`,
    );
  }
}

const toEvidence = (c: StoredCheckpoint) => ({
  origin: c.origin,
  treeSize: c.treeSize,
  rootHash: encodeHex(c.rootHash),
  signedNote: c.signedNote,
});

function rowToCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    origin: row.origin,
    treeSize: row.tree_size,
    rootHash: blobToBytes(row.root_hash),
    signedNote: row.signed_note,
    verifiedAtMs: row.verified_at_ms,
  };
}
