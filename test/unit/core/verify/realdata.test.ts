// Every real checkpoint and entry in test/fixtures/realdata verifies, in every input form, and
// copies with one byte changed do not.
import { describe, expect, it } from 'vitest';
import { parseInputText, parseInputValue } from '../../../../electron/core/verify/input';
import { verifyInput, type VerifyResult } from '../../../../electron/core/verify/verify';
import {
  CHECKPOINT_RECORDS,
  ENTRY_RECORDS,
  NOW_MS,
  flipBase64Byte,
  flipHexByte,
  logsFor,
  replaceNoteLine,
  tamperNoteSignature,
  toLogEntryJson,
  toTransparencyLogEntryJson,
  usableCheckpoint,
  type CheckpointRecord,
  type EntryRecord,
} from './realdata';

function verifyValue(value: unknown, environment: 'production' | 'staging'): VerifyResult[] {
  return parseInputValue(value).map((input) =>
    verifyInput(input, { logs: logsFor(environment), nowMs: NOW_MS }),
  );
}

function verifyCheckpointRecord(r: CheckpointRecord, note = r.signedNote): VerifyResult {
  const [result] = parseInputText(note).map((input) =>
    verifyInput(input, { logs: logsFor(r.environment), nowMs: NOW_MS }),
  );
  return result!;
}

const v1Records = ENTRY_RECORDS.filter((r) => r.rekorApi === 'v1');
const withCheckpoint = ENTRY_RECORDS.filter((r) => usableCheckpoint(r) !== undefined);
const withSet = ENTRY_RECORDS.filter((r) => r.signedEntryTimestampB64 !== null);

describe('verifyInput on real checkpoints', () => {
  it.each(CHECKPOINT_RECORDS.map((r) => ({ r, name: `${r.origin} @ ${r.treeSize}` })))(
    'accepts $name',
    ({ r }) => {
      const result = verifyCheckpointRecord(r);
      expect(result).toMatchObject({
        ok: true,
        type: 'checkpoint',
        origin: r.origin,
        treeSize: r.treeSize,
      });
      expect(result.checks).toContain('checkpoint-signature');
    },
  );

  const tamperings = [
    { what: 'signature byte', tamper: (n: string) => tamperNoteSignature(n) },
    { what: 'origin', tamper: (n: string) => replaceNoteLine(n, 0, `${n.split('\n')[0]}x`) },
    {
      what: 'tree size',
      tamper: (n: string) => replaceNoteLine(n, 1, String(Number(n.split('\n')[1]) + 1)),
    },
    {
      what: 'root hash',
      tamper: (n: string) => replaceNoteLine(n, 2, flipBase64Byte(n.split('\n')[2]!, 0)),
    },
  ];
  describe.each(tamperings)('when the $what is changed', ({ tamper }) => {
    it.each(CHECKPOINT_RECORDS.map((r) => ({ r, name: `${r.origin} @ ${r.treeSize}` })))(
      'rejects $name with NOTE_BAD_SIGNATURE',
      ({ r }) => {
        const result = verifyCheckpointRecord(r, tamper(r.signedNote));
        expect(result.ok).toBe(false);
        expect(result.error?.code).toBe('NOTE_BAD_SIGNATURE');
      },
    );
  });

  it('rejects production checkpoints under the staging trusted root as LOG_UNKNOWN', () => {
    const r = CHECKPOINT_RECORDS.find((c) => c.environment === 'production')!;
    const [input] = parseInputText(r.signedNote);
    const result = verifyInput(input!, { logs: logsFor('staging'), nowMs: NOW_MS });
    expect(result.error?.code).toBe('LOG_UNKNOWN');
  });
});

const entryName = (r: EntryRecord) => ({ r, name: r.id });

describe('verifyInput on real entries', () => {
  it.each(v1Records.map(entryName))('accepts $name as a Rekor v1 LogEntry', ({ r }) => {
    const [result, ...rest] = verifyValue(toLogEntryJson(r), r.environment);
    expect(rest).toEqual([]);
    expectEntryVerified(r, result!);
  });

  it.each(ENTRY_RECORDS.map(entryName))('accepts $name as a TransparencyLogEntry', ({ r }) => {
    const [result] = verifyValue(toTransparencyLogEntryJson(r), r.environment);
    expectEntryVerified(r, result!);
  });

  it.each(ENTRY_RECORDS.map(entryName))('accepts $name inside a v0.3 bundle', ({ r }) => {
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { tlogEntries: [toTransparencyLogEntryJson(r)] },
    };
    // v0.3 requires a checkpoint; SET-only records are v0.1 material.
    if (usableCheckpoint(r) === undefined) {
      expect(() => verifyValue(bundle, r.environment)).toThrowCode('BUNDLE_MALFORMED');
      return;
    }
    expectEntryVerified(r, verifyValue(bundle, r.environment)[0]!);
  });

  it('rejects the one record whose checkpoint belongs to another tree', () => {
    const r = ENTRY_RECORDS.find((e) => e.verified.checkpointMatchesProof === false)!;
    const tle = toTransparencyLogEntryJson(r);
    const proof = tle.inclusionProof as Record<string, unknown>;
    proof.checkpoint = { envelope: r.inclusionProof!.checkpoint };
    const [result] = verifyValue(tle, r.environment);
    expect(result).toMatchObject({ ok: false, checks: ['checkpoint-signature'] });
    expect(result!.error?.code).toBe('INCLUSION_PROOF_INVALID');
  });
});

function expectEntryVerified(r: EntryRecord, result: VerifyResult): void {
  expect(result.error).toBeUndefined();
  expect(result).toMatchObject({ ok: true, type: 'entry', logIndex: r.logIndex });
  const checkpoint = usableCheckpoint(r);
  if (checkpoint !== undefined) {
    expect(result.origin).toBe(checkpoint.split('\n')[0]);
    expect(result.treeSize).toBe(r.inclusionProof!.treeSize);
    expect(result.checks).toEqual(
      expect.arrayContaining(['checkpoint-signature', 'inclusion-proof']),
    );
  }
  if (r.signedEntryTimestampB64 !== null) expect(result.checks).toContain('signed-entry-timestamp');
  // What signs the proof's root: its checkpoint, or (old entries, v0.1 bundles) nothing.
  expect(result.proofRoot).toBe(
    r.inclusionProof === null ? undefined : checkpoint !== undefined ? 'checkpoint' : 'unsigned',
  );
  expect(result.apiVersion).toBe(r.rekorApi === 'v1' ? 1 : 2);
}

type Tle = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('verifyInput on tampered real entries', () => {
  const cases: {
    what: string;
    records: readonly EntryRecord[];
    tamper: (tle: Tle) => void;
    code: string;
  }[] = [
    {
      what: 'a checkpoint signature byte',
      records: withCheckpoint,
      tamper: (t) => {
        t.inclusionProof.checkpoint.envelope = tamperNoteSignature(
          t.inclusionProof.checkpoint.envelope,
        );
      },
      code: 'NOTE_BAD_SIGNATURE',
    },
    {
      what: 'the checkpoint origin',
      records: withCheckpoint,
      tamper: (t) => {
        const note: string = t.inclusionProof.checkpoint.envelope;
        t.inclusionProof.checkpoint.envelope = replaceNoteLine(note, 0, `${note.split('\n')[0]}0`);
      },
      code: 'NOTE_BAD_SIGNATURE',
    },
    {
      what: 'the proof root hash',
      records: withCheckpoint,
      tamper: (t) => {
        t.inclusionProof.rootHash = flipBase64Byte(t.inclusionProof.rootHash, 5);
      },
      code: 'INCLUSION_PROOF_INVALID',
    },
    {
      what: 'a proof hash',
      records: withCheckpoint.filter((r) => r.inclusionProof!.hashesHex.length > 0),
      tamper: (t) => {
        t.inclusionProof.hashes[0] = flipBase64Byte(t.inclusionProof.hashes[0], 31);
      },
      code: 'INCLUSION_PROOF_INVALID',
    },
    {
      what: 'the proof tree size',
      records: withCheckpoint,
      tamper: (t) => {
        t.inclusionProof.treeSize = String(Number(t.inclusionProof.treeSize) + 1);
      },
      code: 'INCLUSION_PROOF_INVALID',
    },
    {
      what: 'a signed entry timestamp byte',
      records: withSet,
      tamper: (t) => {
        t.inclusionPromise.signedEntryTimestamp = flipBase64Byte(
          t.inclusionPromise.signedEntryTimestamp,
          -1,
        );
      },
      code: 'SET_INVALID',
    },
    {
      what: 'the integrated time',
      records: withSet.filter((r) => usableCheckpoint(r) === undefined),
      tamper: (t) => {
        t.integratedTime = String(Number(t.integratedTime) + 1);
      },
      code: 'SET_INVALID',
    },
    {
      what: 'the log ID',
      records: withCheckpoint,
      tamper: (t) => {
        t.logId.keyId = flipBase64Byte(t.logId.keyId, 0);
      },
      code: 'ENTRY_MISMATCH',
    },
  ];
  describe.each(cases)('when $what is changed', ({ records, tamper, code }) => {
    it.each(records.map(entryName))(`rejects $name with ${code}`, ({ r }) => {
      const tle: Tle = toTransparencyLogEntryJson(r);
      tamper(tle);
      const [result] = verifyValue(tle, r.environment);
      expect(result!.ok).toBe(false);
      expect(result!.error?.code).toBe(code);
    });
  });

  it.each(withCheckpoint.filter((r) => r.rekorApi === 'v1').map(entryName))(
    'rejects $name as a LogEntry whose proof hash changed',
    ({ r }) => {
      const json = toLogEntryJson(r);
      const value = Object.values(json)[0] as Tle;
      value.verification.inclusionProof.hashes[0] = flipHexByte(
        value.verification.inclusionProof.hashes[0],
        0,
      );
      expect(verifyValue(json, r.environment)[0]!.error?.code).toBe('INCLUSION_PROOF_INVALID');
    },
  );
});
