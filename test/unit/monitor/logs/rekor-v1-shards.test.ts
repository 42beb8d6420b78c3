import { describe, expect, it } from 'vitest';
import {
  globalToShard,
  shardOffsets,
  type RekorV1LogInfo,
  type ShardInfo,
} from '../../../../electron/monitor/logs/rekor-v1-shards';

const shard = (treeId: string, treeSize: number): ShardInfo => ({
  treeId,
  treeSize,
  rootHash: new Uint8Array(32),
  signedTreeHead: '',
});

// Production Rekor's shards (FORMATS.md §1.4).
const PRODUCTION: RekorV1LogInfo = {
  inactive: [shard('3904496407287907110', 4_163_431), shard('2605736670972794746', 117_740_831)],
  active: shard('1193050959916656506', 1_511_665_068),
};

describe('shardOffsets', () => {
  it('lists every shard with its global offset, oldest first and the active one last', () => {
    expect(shardOffsets(PRODUCTION)).toEqual([
      { treeId: '3904496407287907110', offset: 0, treeSize: 4_163_431, active: false },
      { treeId: '2605736670972794746', offset: 4_163_431, treeSize: 117_740_831, active: false },
      { treeId: '1193050959916656506', offset: 121_904_262, treeSize: 1_511_665_068, active: true },
    ]);
  });
});

describe('globalToShard', () => {
  it.each([
    { desc: 'first entry of the log', index: 0, treeId: '3904496407287907110', shardIndex: 0 },
    {
      desc: 'real jar entry',
      index: 3_120_029,
      treeId: '3904496407287907110',
      shardIndex: 3_120_029,
    },
    {
      desc: 'last entry of the oldest shard',
      index: 4_163_430,
      treeId: '3904496407287907110',
      shardIndex: 4_163_430,
    },
    {
      desc: 'first entry of the second shard',
      index: 4_163_431,
      treeId: '2605736670972794746',
      shardIndex: 0,
    },
    {
      desc: 'last entry of the second shard',
      index: 121_904_261,
      treeId: '2605736670972794746',
      shardIndex: 117_740_830,
    },
    {
      desc: 'first entry of the active shard',
      index: 121_904_262,
      treeId: '1193050959916656506',
      shardIndex: 0,
    },
    // Real entry rekor.sigstore.dev#153454663 has shard-local index 31550401 (FORMATS.md §1.3).
    {
      desc: 'real active-shard entry',
      index: 153_454_663,
      treeId: '1193050959916656506',
      shardIndex: 31_550_401,
    },
    {
      desc: 'index past the active size',
      index: 2 ** 40,
      treeId: '1193050959916656506',
      shardIndex: 2 ** 40 - 121_904_262,
    },
  ])('maps the $desc', ({ index, treeId, shardIndex }) => {
    expect(globalToShard(PRODUCTION, index)).toEqual({ treeId, shardIndex });
  });

  it('skips an empty inactive shard', () => {
    const info = { inactive: [shard('1', 0), shard('2', 5)], active: shard('3', 1) };
    expect(globalToShard(info, 0)).toEqual({ treeId: '2', shardIndex: 0 });
  });

  it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects index %s with INVALID_INPUT', (index) => {
    expect(() => globalToShard(PRODUCTION, index)).toThrowCode('INVALID_INPUT');
  });
});
