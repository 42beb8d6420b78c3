import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  openDatabase,
  openStores,
  type StoredCheckpoint,
  type Stores,
} from '../../../../electron/monitor/store/index';
import { count, realCheckpoints, V1_LOG, V1_ORIGIN, V2_LOG, V2_ORIGIN } from './fixtures';

function stores(): Stores {
  const s = openStores(openDatabase(':memory:'));
  s.logs.upsert(V2_LOG, 1);
  s.logs.upsert(V1_LOG, 1);
  return s;
}

const v2 = realCheckpoints(V2_ORIGIN); // sizes 412115, 544347, 547662, 4855115
const v1 = realCheckpoints(V1_ORIGIN);

function thrown(fn: () => unknown): VerificationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VerificationError) return err;
    throw err;
  }
  throw new Error('expected a VerificationError');
}

describe('CheckpointStore.add', () => {
  it('keeps every accepted checkpoint and reports the largest as latest', () => {
    const s = stores();
    for (const c of v2) expect(s.checkpoints.add(c)).toBe('added');
    expect(s.checkpoints.latest(V2_ORIGIN)).toEqual(v2.at(-1));
    expect(s.checkpoints.history(V2_ORIGIN).map((c) => c.treeSize)).toEqual([
      4855115, 547662, 544347, 412115,
    ]);
    expect(s.checkpoints.get(V2_ORIGIN, 544347)?.signedNote).toBe(v2[1]!.signedNote);
  });

  it('audits checkpoint.verified with the previous tree size', () => {
    const s = stores();
    s.checkpoints.add(v2[0]!);
    s.checkpoints.add(v2[1]!);
    const [event] = s.audit.page({ kind: 'checkpoint.verified', limit: 1 }).events;
    expect(event).toMatchObject({
      origin: V2_ORIGIN,
      treeSize: 544347,
      detail: { previousTreeSize: 412115, unchanged: false },
    });
  });

  it('stores nothing new when the same tree is seen again in a freshly signed note', () => {
    const s = stores();
    // Rekor v1 signs a new note per request: two real notes for size 52393955.
    const [first, again] = v1.filter((c) => c.treeSize === 52_393_955);
    expect(first!.signedNote).not.toBe(again!.signedNote);
    expect(s.checkpoints.add(first!)).toBe('added');
    expect(s.checkpoints.add({ ...again!, verifiedAtMs: 9_999 })).toBe('unchanged');
    expect(s.checkpoints.latest(V1_ORIGIN)).toEqual(first);
    expect(count(s, 'checkpoints')).toBe(1);
  });

  it('refuses a smaller tree size and keeps the history', () => {
    const s = stores();
    s.checkpoints.add(v2[0]!);
    s.checkpoints.add(v2[2]!);
    const err = thrown(() => s.checkpoints.add(v2[1]!));
    expect(err.code).toBe('TREE_SIZE_REGRESSED');
    expect(err.evidence).toMatchObject({
      stored: { treeSize: 547662, signedNote: v2[2]!.signedNote },
      offered: { treeSize: 544347, signedNote: v2[1]!.signedNote },
    });
    expect(s.checkpoints.latest(V2_ORIGIN)?.treeSize).toBe(547662);
    expect(s.checkpoints.history(V2_ORIGIN).map((c) => c.treeSize)).toEqual([547662, 412115]);
  });

  it('refuses the same tree size with a different root hash (a fork)', () => {
    const s = stores();
    s.checkpoints.add(v2[1]!);
    const rootHash = v2[1]!.rootHash.map((b, i) => (i === 0 ? b ^ 1 : b));
    const lines = v2[1]!.signedNote.split('\n');
    lines[2] = Buffer.from(rootHash).toString('base64');
    const fork: StoredCheckpoint = { ...v2[1]!, rootHash, signedNote: lines.join('\n') };
    const err = thrown(() => s.checkpoints.add(fork));
    expect(err.code).toBe('CONSISTENCY_PROOF_INVALID');
    expect(err.evidence).toMatchObject({ offered: { signedNote: fork.signedNote } });
    expect(s.checkpoints.latest(V2_ORIGIN)).toEqual(v2[1]);
  });

  it.each([
    { desc: 'another origin', change: { origin: V1_ORIGIN } },
    { desc: 'another tree size', change: { treeSize: 412116 } },
    { desc: 'another root hash', change: { rootHash: new Uint8Array(32) } },
  ])('refuses a note that states $desc than the columns', ({ change }) => {
    const s = stores();
    expect(() => s.checkpoints.add({ ...v2[0]!, ...change })).toThrowCode('INVALID_INPUT');
    expect(count(s, 'checkpoints')).toBe(0);
  });

  it('refuses a root hash that is not 32 bytes', () => {
    expect(() => stores().checkpoints.add({ ...v2[0]!, rootHash: new Uint8Array(31) })).toThrowCode(
      'INVALID_INPUT',
    );
  });

  it('refuses a checkpoint for a log that is not followed', () => {
    const s = openStores(openDatabase(':memory:'));
    expect(() => s.checkpoints.add(v2[0]!)).toThrowCode('NOT_FOUND');
  });
});

describe('checkpoints table', () => {
  it('rejects a regressing insert, UPDATE and DELETE even from raw SQL', () => {
    const s = stores();
    s.checkpoints.add(v2[1]!);
    const insert = s.db.prepare(
      `INSERT INTO checkpoints (origin, tree_size, root_hash, signed_note, verified_at_ms)
       VALUES (?, ?, ?, ?, ?)`,
    );
    expect(() => insert.run(V2_ORIGIN, 1, v2[0]!.rootHash, 'x', 1)).toThrow(/regressed/);
    expect(() => s.db.exec('UPDATE checkpoints SET verified_at_ms = 0')).toThrow(/append-only/);
    expect(() => s.db.exec('DELETE FROM checkpoints')).toThrow(/append-only/);
  });
});

describe('CheckpointStore.history', () => {
  it('pages by tree size, largest first', () => {
    const s = stores();
    for (const c of v2) s.checkpoints.add(c);
    const first = s.checkpoints.history(V2_ORIGIN, { limit: 2 });
    expect(first.map((c) => c.treeSize)).toEqual([4855115, 547662]);
    const next = s.checkpoints.history(V2_ORIGIN, { beforeTreeSize: 547662, limit: 2 });
    expect(next.map((c) => c.treeSize)).toEqual([544347, 412115]);
  });
});
