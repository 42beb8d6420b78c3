import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  parseRekorV1LogEntry,
  parseRekorV1LogEntryValue,
} from '../../../../electron/core/entries/rekor-v1-entry';
import { VerificationError, type AppError } from '../../../../electron/core/errors';

const FIXTURES = new URL('../../../fixtures/realdata/rekor-v1/', import.meta.url);

interface RealRecord {
  id: string;
  logIndex: number;
  logIdHex: string;
  integratedTime: number;
  bodyB64: string;
  leafHashHex: string;
  signedEntryTimestampB64: string | null;
  inclusionProof: {
    logIndex: number;
    treeSize: number;
    rootHashHex: string;
    hashesHex: string[];
    checkpoint: string;
  } | null;
  shard: { entryUUID: string } | null;
  sourceForm: string;
  sources: { path: string }[];
}

function records(file: string): RealRecord[] {
  return readFileSync(new URL(file, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RealRecord);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// 16 bytes, so its base64 ends in "==".
const BODY = Buffer.from('{"kind":"tests"}');

/** A well-formed LogEntry value for `body`, with every optional part present. */
function validValue(body = BODY) {
  return {
    body: body.toString('base64'),
    integratedTime: 1_700_000_000,
    logID: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d',
    logIndex: 121_904_265,
    verification: {
      inclusionProof: {
        logIndex: 3,
        treeSize: 4,
        rootHash: 'ab'.repeat(32),
        hashes: ['01'.repeat(32), '02'.repeat(32)],
        checkpoint: 'rekor.test - 1\n4\nq83N\n\n— rekor.test AAAA\n',
      },
      signedEntryTimestamp: 'MEUCIQ==',
    },
  };
}

function uuidFor(body: Buffer, treeIdHex = '108e9186e8c5677a'): string {
  const leaf = createHash('sha256').update(Buffer.of(0)).update(body).digest('hex');
  return treeIdHex + leaf;
}

function validEntry(mutate: (v: ReturnType<typeof validValue>) => unknown = (v) => v) {
  return { [uuidFor(BODY)]: mutate(validValue(BODY)) };
}

describe('parseRekorV1LogEntry', () => {
  const apiFiles = [
    { file: 'api-log-entry/jar-entry.production.json', records: 'entries.production.jsonl' },
    { file: 'api-log-entry/entry.staging.json', records: 'entries.staging.jsonl' },
  ];

  it.each(apiFiles)('parses the real LogEntry response $file', ({ file, records: recordsFile }) => {
    const json: unknown = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8'));
    const name = file.split('/')[1]?.split('.')[0] as string;
    const record = records(recordsFile).find(
      (r) =>
        r.sourceForm === 'rekor-v1-api-LogEntry' &&
        r.sources.some((s) => s.path.endsWith(`/valid/${name}.json`)),
    ) as RealRecord;

    const entry = parseRekorV1LogEntry(json);

    expect(entry.logIndex).toBe(record.logIndex);
    expect(entry.logIdHex).toBe(record.logIdHex);
    expect(entry.integratedTime).toBe(record.integratedTime);
    expect(Buffer.from(entry.body).toString('base64')).toBe(record.bodyB64);
    expect(entry.uuid.slice(-64)).toBe(record.leafHashHex);
    // The staging response predates 80-hex uuids: its key is the leaf hash alone.
    expect(record.shard?.entryUUID.endsWith(entry.uuid)).toBe(true);
    expect(Buffer.from(entry.signedEntryTimestamp as Uint8Array).toString('base64')).toBe(
      record.signedEntryTimestampB64,
    );
    const proof = record.inclusionProof as NonNullable<RealRecord['inclusionProof']>;
    expect(entry.inclusionProof).toMatchObject({
      logIndex: proof.logIndex,
      treeSize: proof.treeSize,
      checkpoint: proof.checkpoint,
    });
    expect(hex(entry.inclusionProof?.rootHash as Uint8Array)).toBe(proof.rootHashHex);
    expect(entry.inclusionProof?.hashes.map(hex)).toEqual(proof.hashesHex);
  });

  it('reads every real record that came from a raw LogEntry once rebuilt as one', () => {
    const rebuilt = [...records('entries.production.jsonl'), ...records('entries.staging.jsonl')]
      .filter((r) => r.sourceForm === 'rekor-v1-api-LogEntry')
      .map((r) => ({
        record: r,
        json: {
          [r.shard?.entryUUID ?? r.leafHashHex]: {
            body: r.bodyB64,
            integratedTime: r.integratedTime,
            logID: r.logIdHex,
            logIndex: r.logIndex,
            verification: {
              ...(r.signedEntryTimestampB64 !== null && {
                signedEntryTimestamp: r.signedEntryTimestampB64,
              }),
              ...(r.inclusionProof !== null && {
                inclusionProof: {
                  logIndex: r.inclusionProof.logIndex,
                  treeSize: r.inclusionProof.treeSize,
                  rootHash: r.inclusionProof.rootHashHex,
                  hashes: r.inclusionProof.hashesHex,
                  checkpoint: r.inclusionProof.checkpoint,
                },
              }),
            },
          },
        },
      }));

    expect(rebuilt.length).toBeGreaterThanOrEqual(3);
    for (const { record, json } of rebuilt) {
      const entry = parseRekorV1LogEntry(json);
      expect(entry.logIndex).toBe(record.logIndex);
      expect(entry.inclusionProof === undefined).toBe(record.inclusionProof === null);
    }
  });

  it('parses an entry without verification, inclusion proof or SET', () => {
    const entry = parseRekorV1LogEntry(
      validEntry((v) => ({ ...v, verification: undefined, attestation: { data: 'eA==' } })),
    );
    expect(entry.inclusionProof).toBeUndefined();
    expect(entry.signedEntryTimestamp).toBeUndefined();
    expect(entry.logIndex).toBe(121_904_265);
  });

  it('reads a proof without a checkpoint, as Rekor served before sigstore/rekor#1015', () => {
    const entry = parseRekorV1LogEntry(
      validEntry((v) => ({
        ...v,
        verification: {
          ...v.verification,
          inclusionProof: { ...v.verification.inclusionProof, checkpoint: undefined },
        },
      })),
    );
    expect(entry.inclusionProof).toBeDefined();
    expect(entry.inclusionProof).not.toHaveProperty('checkpoint');
    expect(entry.inclusionProof?.treeSize).toBe(4);
    expect(entry.signedEntryTimestamp).toBeDefined();
  });

  // openapi.yaml LogEntry: `attestation` and `verification` are optional, and so are
  // verification's `inclusionProof` and `signedEntryTimestamp`; `checkpoint` is absent in old
  // entries. Each may be absent or null, and both must read the same.
  const OPTIONAL_PATHS = [
    ['attestation'],
    ['verification'],
    ['verification', 'inclusionProof'],
    ['verification', 'signedEntryTimestamp'],
    ['verification', 'inclusionProof', 'checkpoint'],
  ] as const;

  /** validValue with each of `paths` set to null (`asNull`) or deleted. */
  function withoutFields(paths: readonly (readonly string[])[], asNull: boolean) {
    const value = structuredClone({ ...validValue(BODY), attestation: { data: 'eA==' } });
    for (const path of paths) {
      let target = value as Record<string, unknown> | null | undefined;
      for (const key of path.slice(0, -1)) {
        target = target?.[key] as Record<string, unknown> | null | undefined;
      }
      if (target === null || target === undefined) continue;
      if (asNull) target[path.at(-1)!] = null;
      else delete target[path.at(-1)!];
    }
    return value;
  }

  it.each(OPTIONAL_PATHS.map((path) => ({ path: path.join('.'), parts: path })))(
    'reads $path: null as absent',
    ({ parts }) => {
      const asNull = parseRekorV1LogEntryValue(uuidFor(BODY), withoutFields([parts], true));
      const absent = parseRekorV1LogEntryValue(uuidFor(BODY), withoutFields([parts], false));
      expect(asNull).toEqual(absent);
    },
  );

  it('reads any mix of null and absent optional fields as the same entry', () => {
    fc.assert(
      fc.property(
        fc.subarray([...OPTIONAL_PATHS]),
        fc.array(fc.boolean(), { minLength: OPTIONAL_PATHS.length, maxLength: 5 }),
        (paths, nulls) => {
          // Each field chosen is nulled or deleted independently; the rest stay present.
          const value = structuredClone({ ...validValue(BODY), attestation: { data: 'eA==' } });
          paths.forEach((path, i) => {
            let target = value as Record<string, unknown> | null | undefined;
            for (const key of path.slice(0, -1)) {
              target = target?.[key] as Record<string, unknown> | null | undefined;
            }
            if (target === null || target === undefined) return;
            if (nulls[i]) target[path.at(-1)!] = null;
            else delete target[path.at(-1)!];
          });
          const parsed = parseRekorV1LogEntryValue(uuidFor(BODY), value);
          expect(parsed).toEqual(
            parseRekorV1LogEntryValue(uuidFor(BODY), withoutFields(paths, false)),
          );
          const gone = (p: readonly string[]) =>
            paths.some((q) => p.join('.').startsWith(q.join('.')));
          expect(parsed.inclusionProof === undefined).toBe(
            gone(['verification', 'inclusionProof']),
          );
          expect(parsed.inclusionProof?.checkpoint === undefined).toBe(
            gone(['verification', 'inclusionProof', 'checkpoint']),
          );
          expect(parsed.signedEntryTimestamp === undefined).toBe(
            gone(['verification', 'signedEntryTimestamp']),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(['logIndex', 'integratedTime', 'logID', 'body'])(
    'still refuses the required field %s as null',
    (key) => {
      const value: Record<string, unknown> = validValue(BODY);
      value[key] = null;
      expect(() => parseRekorV1LogEntryValue(uuidFor(BODY), value)).toThrow(VerificationError);
    },
  );

  it('accepts a 64-hex uuid (leaf hash only) from older servers', () => {
    const body = Buffer.from('x');
    const uuid = uuidFor(body).slice(16);
    expect(parseRekorV1LogEntry({ [uuid]: validValue(body) }).uuid).toBe(uuid);
  });

  it.each([
    { desc: 'null', json: null },
    { desc: 'an array', json: [validEntry()] },
    { desc: 'no keys', json: {} },
    { desc: 'two keys', json: { ...validEntry(), ['0'.repeat(80)]: validValue() } },
    { desc: 'uppercase uuid', json: { [uuidFor(BODY).toUpperCase()]: validValue() } },
    { desc: '72-hex uuid', json: { ['a'.repeat(72)]: validValue() } },
    { desc: 'value not an object', json: { [uuidFor(BODY)]: 'x' } },
    { desc: 'body missing', json: validEntry((v) => ({ ...v, body: undefined })) },
    {
      desc: 'body as object (the openapi schema shape)',
      json: validEntry((v) => ({ ...v, body: { kind: 'x' } })),
    },
    { desc: 'body in url-safe base64', json: validEntry((v) => ({ ...v, body: 'eyJr_-==' })) },
    {
      desc: 'body with unpadded base64',
      json: validEntry((v) => ({ ...v, body: v.body.replace(/=+$/, '') })),
    },
    { desc: 'logIndex as a string', json: validEntry((v) => ({ ...v, logIndex: '121904265' })) },
    { desc: 'negative logIndex', json: validEntry((v) => ({ ...v, logIndex: -1 })) },
    { desc: 'fractional logIndex', json: validEntry((v) => ({ ...v, logIndex: 1.5 })) },
    { desc: 'logIndex above 2^53-1', json: validEntry((v) => ({ ...v, logIndex: 2 ** 53 })) },
    {
      desc: 'integratedTime missing',
      json: validEntry((v) => ({ ...v, integratedTime: undefined })),
    },
    { desc: 'logID too short', json: validEntry((v) => ({ ...v, logID: 'c0d23d6a' })) },
    {
      desc: 'logID in uppercase',
      json: validEntry((v) => ({ ...v, logID: v.logID.toUpperCase() })),
    },
    { desc: 'verification not an object', json: validEntry((v) => ({ ...v, verification: [] })) },
    {
      desc: 'SET not base64',
      json: validEntry((v) => ({
        ...v,
        verification: { ...v.verification, signedEntryTimestamp: 'MEU*' },
      })),
    },
    ...(
      [
        ['proof logIndex missing', { logIndex: undefined }],
        ['proof logIndex equal to treeSize', { logIndex: 4 }],
        ['proof treeSize negative', { treeSize: -4 }],
        ['proof rootHash in base64', { rootHash: Buffer.alloc(32).toString('base64') }],
        ['proof rootHash 31 bytes', { rootHash: 'ab'.repeat(31) }],
        ['proof hashes not an array', { hashes: 'ab'.repeat(32) }],
        ['proof hash with a non-hex digit', { hashes: ['zz'.repeat(32)] }],
        ['proof checkpoint not a string', { checkpoint: { envelope: 'x' } }],
      ] as const
    ).map(([desc, change]) => ({
      desc,
      json: validEntry((v) => ({
        ...v,
        verification: {
          ...v.verification,
          inclusionProof: { ...v.verification.inclusionProof, ...change },
        },
      })),
    })),
  ])('rejects $desc with RESPONSE_MALFORMED', ({ json }) => {
    expect(() => parseRekorV1LogEntry(json)).toThrowCode('RESPONSE_MALFORMED');
  });

  it('rejects with ENTRY_MISMATCH when the uuid does not end in the body leaf hash', () => {
    const uuid = uuidFor(Buffer.from('another body'));
    expect(() => parseRekorV1LogEntry({ [uuid]: validValue() })).toThrowCode('ENTRY_MISMATCH');
  });

  it('raises only VerificationError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseRekorV1LogEntry(json);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('raises only VerificationError when any field of a valid entry is replaced by any JSON value', () => {
    const paths = [
      ['body'],
      ['integratedTime'],
      ['logID'],
      ['logIndex'],
      ['verification'],
      ['verification', 'signedEntryTimestamp'],
      ['verification', 'inclusionProof'],
      ['verification', 'inclusionProof', 'logIndex'],
      ['verification', 'inclusionProof', 'treeSize'],
      ['verification', 'inclusionProof', 'rootHash'],
      ['verification', 'inclusionProof', 'hashes'],
      ['verification', 'inclusionProof', 'checkpoint'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, replacement) => {
        const value = structuredClone(validValue(BODY)) as Record<string, unknown>;
        let target = value;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
        target[path.at(-1) as string] = replacement;
        try {
          parseRekorV1LogEntryValue(uuidFor(BODY), value);
        } catch (err) {
          expect(err).toBeInstanceOf(VerificationError);
          // A replaced body no longer matches the uuid's leaf hash.
          expect(['RESPONSE_MALFORMED', 'ENTRY_MISMATCH']).toContain((err as AppError).code);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
