import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isTreeId,
  parseRekorV1ConsistencyProof,
  parseRekorV1LogInfo,
} from '../../../../electron/monitor/logs/rekor-v1-responses';
import { VerificationError } from '../../../../electron/core/errors';

const ROOT = 'ab'.repeat(32);
const STH =
  'rekor.sigstore.dev - 1193050959916656506\n31550402\nq83N\n\n— rekor.sigstore.dev AAAA\n';

function shard(treeID: string, treeSize: number) {
  return {
    rootHash: ROOT,
    treeSize,
    signedTreeHead: STH.replace('1193050959916656506', treeID),
    treeID,
  };
}

/** A LogInfo shaped like rekor.sigstore.dev's: two inactive shards (oldest first), one active. */
function logInfo(change: Record<string, unknown> = {}) {
  return {
    ...shard('1193050959916656506', 31_550_402),
    inactiveShards: [
      shard('3904496407287907110', 4_163_431),
      shard('2605736670972794746', 117_740_831),
    ],
    ...change,
  };
}

describe('parseRekorV1LogInfo', () => {
  it('returns the active shard and the inactive ones in server order', () => {
    const info = parseRekorV1LogInfo(logInfo());

    expect(info.active).toMatchObject({
      treeId: '1193050959916656506',
      treeSize: 31_550_402,
      origin: 'rekor.sigstore.dev - 1193050959916656506',
      signedTreeHead: STH,
    });
    expect(Buffer.from(info.active.rootHash).toString('hex')).toBe(ROOT);
    expect(info.inactive.map((s) => [s.treeId, s.treeSize])).toEqual([
      ['3904496407287907110', 4_163_431],
      ['2605736670972794746', 117_740_831],
    ]);
  });

  it.each([
    { desc: 'absent', change: { inactiveShards: undefined } },
    { desc: 'null', change: { inactiveShards: null } },
    { desc: 'empty', change: { inactiveShards: [] } },
  ])('returns no inactive shards when inactiveShards is $desc', ({ change }) => {
    expect(parseRekorV1LogInfo(logInfo(change)).inactive).toEqual([]);
  });

  it.each([
    { desc: 'an array', json: [logInfo()] },
    { desc: 'treeSize as a string', json: logInfo({ treeSize: '31550402' }) },
    { desc: 'treeSize above 2^53-1', json: logInfo({ treeSize: 2 ** 53 }) },
    { desc: 'negative treeSize', json: logInfo({ treeSize: -1 }) },
    { desc: 'rootHash of 31 bytes', json: logInfo({ rootHash: 'ab'.repeat(31) }) },
    {
      desc: 'rootHash in base64',
      json: logInfo({ rootHash: Buffer.alloc(32).toString('base64') }),
    },
    { desc: 'treeID as a number', json: logInfo({ treeID: 2 ** 60 }) },
    { desc: 'treeID with a leading zero', json: logInfo({ treeID: '01193050959916656506' }) },
    { desc: 'treeID above int64', json: logInfo({ treeID: '9223372036854775808' }) },
    { desc: 'treeID zero', json: logInfo({ treeID: '0' }) },
    { desc: 'signedTreeHead missing', json: logInfo({ signedTreeHead: undefined }) },
    { desc: 'inactiveShards an object', json: logInfo({ inactiveShards: {} }) },
    { desc: 'an inactive shard null', json: logInfo({ inactiveShards: [null] }) },
    {
      desc: 'an inactive shard with a bad size',
      json: logInfo({ inactiveShards: [shard('3904496407287907110', 1.5)] }),
    },
    {
      desc: 'the active tree ID also listed as inactive',
      json: logInfo({ inactiveShards: [shard('1193050959916656506', 10)] }),
    },
    {
      desc: 'an inactive tree ID listed twice',
      json: logInfo({ inactiveShards: [shard('7', 1), shard('7', 2)] }),
    },
  ])('rejects $desc with RESPONSE_MALFORMED', ({ json }) => {
    expect(() => parseRekorV1LogInfo(json)).toThrowCode('RESPONSE_MALFORMED');
  });

  it('raises only VerificationError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseRekorV1LogInfo(json);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('raises only VerificationError when any field is replaced by any JSON value', () => {
    const keys = ['rootHash', 'treeSize', 'signedTreeHead', 'treeID', 'inactiveShards'];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.boolean(), fc.jsonValue(), (key, inner, value) => {
        const json = logInfo();
        if (inner) (json.inactiveShards[0] as Record<string, unknown>)[key] = value;
        else (json as Record<string, unknown>)[key] = value;
        try {
          parseRekorV1LogInfo(json);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseRekorV1ConsistencyProof', () => {
  it('returns the hashes in order and drops the rootHash', () => {
    const proof = parseRekorV1ConsistencyProof({
      rootHash: ROOT,
      hashes: ['01'.repeat(32), '02'.repeat(32)],
    });
    expect(proof.map((h) => Buffer.from(h).toString('hex'))).toEqual([
      '01'.repeat(32),
      '02'.repeat(32),
    ]);
  });

  it('returns an empty proof when hashes is empty', () => {
    expect(parseRekorV1ConsistencyProof({ rootHash: ROOT, hashes: [] })).toEqual([]);
  });

  it.each([
    { desc: 'hashes missing', json: { rootHash: ROOT } },
    { desc: 'rootHash missing', json: { hashes: [] } },
    { desc: 'a hash of 33 bytes', json: { rootHash: ROOT, hashes: ['01'.repeat(33)] } },
    { desc: 'a hash as a number', json: { rootHash: ROOT, hashes: [1] } },
    { desc: 'null', json: null },
  ])('rejects $desc with RESPONSE_MALFORMED', ({ json }) => {
    expect(() => parseRekorV1ConsistencyProof(json)).toThrowCode('RESPONSE_MALFORMED');
  });

  it('raises only VerificationError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseRekorV1ConsistencyProof(json);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isTreeId', () => {
  it.each([
    { text: '1', want: true },
    { text: '9223372036854775807', want: true },
    { text: '9223372036854775808', want: false },
    { text: '10000000000000000000', want: false },
    { text: '0', want: false },
    { text: '-1', want: false },
    { text: '0x10', want: false },
    { text: ' 1', want: false },
  ])('returns $want for "$text"', ({ text, want }) => {
    expect(isTreeId(text)).toBe(want);
  });
});
