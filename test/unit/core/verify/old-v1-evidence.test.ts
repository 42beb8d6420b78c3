// Old Rekor v1 evidence: entries whose inclusion proof has no checkpoint (served before Rekor
// returned checkpoints, sigstore/rekor#1015, or copied from v0.1 bundles). The four real
// production entries of test/fixtures/realdata with such a proof are accepted on a valid SET
// alone, with the proof's root said to be signed by no checkpoint; nothing else is relaxed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseInputValue } from '../../../../electron/core/verify/input';
import { verifyInput, type VerifyResult } from '../../../../electron/core/verify/verify';
import {
  NOW_MS,
  flipBase64Byte,
  flipHexByte,
  logsFor,
  oldV1Records,
  toLogEntryJson,
  toTransparencyLogEntryJson,
  type NoCheckpoint,
} from './realdata';

const OLD = oldV1Records();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FORMS = [
  { form: 'LogEntry', build: toLogEntryJson, value: (j: Json) => Object.values(j)[0] as Json },
  { form: 'TransparencyLogEntry', build: toTransparencyLogEntryJson, value: (j: Json) => j },
] as const;

function verifyJson(json: unknown): VerifyResult {
  const [input, ...rest] = parseInputValue(json);
  expect(rest).toEqual([]);
  return verifyInput(input!, { logs: logsFor('production'), nowMs: NOW_MS });
}

const cases = OLD.flatMap((r) =>
  FORMS.flatMap(({ form, build, value }) =>
    (['absent', 'null'] as NoCheckpoint[]).map((noCheckpoint) => ({
      r,
      form,
      // A deep copy: the builders share the record's arrays, and tests mutate the JSON.
      build: () => structuredClone(build(r, noCheckpoint)) as Json,
      value,
      name: `${r.logIndex} as a ${form}, checkpoint ${noCheckpoint}`,
    })),
  ),
);

describe('old Rekor v1 evidence (a proof without a checkpoint)', () => {
  it('covers exactly the real records with a proof and no usable checkpoint', () => {
    expect(OLD.every((r) => r.inclusionProof !== null && r.signedEntryTimestampB64 !== null)).toBe(
      true,
    );
    // 27246492's recorded checkpoint is the conformance "wrong root hash" one: unusable.
    expect(OLD.map((r) => r.inclusionProof!.checkpoint === null)).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });

  it.each(cases)('accepts $name on its SET, with an unsigned proof root', ({ r, build }) => {
    const result = verifyJson(build());
    expect(result).toEqual({
      ok: true,
      type: 'entry',
      apiVersion: 1,
      logIndex: r.logIndex,
      checks: ['signed-entry-timestamp'],
      proofRoot: 'unsigned',
      entry: expect.anything(),
    });
    // No checkpoint was verified, so no origin or tree size is claimed.
    expect(result.origin).toBeUndefined();
    expect(result.treeSize).toBeUndefined();
  });

  it.each(cases)('refuses $name without its SET', ({ build, value }) => {
    const json = build();
    const v = value(json);
    if ('inclusionPromise' in v) delete v.inclusionPromise;
    else delete v.verification.signedEntryTimestamp;
    const result = verifyJson(json);
    expect(result).toMatchObject({ ok: false, checks: [], proofRoot: 'unsigned' });
    expect(result.error?.code).toBe('ENTRY_UNVERIFIABLE');
    expect(result.error?.message).toMatch(/signed by none/);
  });

  it.each(cases)('refuses $name with a SET of null as well', ({ build, value }) => {
    const json = build();
    const v = value(json);
    if ('inclusionPromise' in v) v.inclusionPromise = null;
    else v.verification.signedEntryTimestamp = null;
    expect(verifyJson(json).error?.code).toBe('ENTRY_UNVERIFIABLE');
  });

  it.each(cases)('refuses $name with one bit of its SET changed', ({ build, value }) => {
    const json = build();
    const v = value(json);
    if ('inclusionPromise' in v) {
      v.inclusionPromise.signedEntryTimestamp = flipBase64Byte(
        v.inclusionPromise.signedEntryTimestamp,
        -1,
      );
    } else {
      v.verification.signedEntryTimestamp = flipBase64Byte(v.verification.signedEntryTimestamp, -1);
    }
    expect(verifyJson(json).error?.code).toBe('SET_INVALID');
  });

  it.each(cases)(
    'refuses $name when a proof hash was altered, though its root is unsigned',
    ({ build, value }) => {
      const json = build();
      const v = value(json);
      if ('inclusionProof' in v) {
        v.inclusionProof.hashes[0] = flipBase64Byte(v.inclusionProof.hashes[0], 0);
      } else {
        v.verification.inclusionProof.hashes[0] = flipHexByte(
          v.verification.inclusionProof.hashes[0],
          0,
        );
      }
      expect(verifyJson(json)).toMatchObject({
        ok: false,
        checks: [],
        error: { code: 'INCLUSION_PROOF_INVALID' },
      });
    },
  );

  it.each(OLD.map((r) => ({ r, name: r.logIndex })))(
    'refuses $name when its unsigned proof puts it past its global index',
    ({ r }) => {
      // A shard-local index never exceeds the global one. The forged proof is internally
      // consistent: the leaf alone right of a full subtree X of 2^27 leaves, at index 2^27.
      const sha256 = (...parts: Buffer[]) =>
        createHash('sha256').update(Buffer.concat(parts)).digest();
      const leaf = sha256(Buffer.of(0), Buffer.from(r.bodyB64, 'base64'));
      const x = Buffer.alloc(32, 7);
      const json = toTransparencyLogEntryJson(r) as Json;
      json.inclusionProof = {
        logIndex: String(2 ** 27),
        treeSize: String(2 ** 27 + 1),
        rootHash: sha256(Buffer.of(1), x, leaf).toString('base64'),
        hashes: [x.toString('base64')],
      };
      expect(2 ** 27).toBeGreaterThan(r.logIndex);
      const result = verifyJson(json);
      expect(result).toMatchObject({ ok: false, error: { code: 'ENTRY_MISMATCH' } });
    },
  );

  it('still refuses 27246492 with the checkpoint of another tree, although its SET is valid', () => {
    const r = OLD[2]!;
    for (const build of [toLogEntryJson, toTransparencyLogEntryJson]) {
      const json = build(r) as Json;
      const v = 'inclusionProof' in json ? json : (Object.values(json)[0] as Json).verification;
      v.inclusionProof.checkpoint =
        'inclusionProof' in json
          ? { envelope: r.inclusionProof!.checkpoint }
          : r.inclusionProof!.checkpoint;
      const result = verifyJson(json);
      expect(result).toMatchObject({ ok: false, checks: ['checkpoint-signature'] });
      expect(result.error?.code).toBe('INCLUSION_PROOF_INVALID');
    }
  });

  it('verifies an old entry the same whichever optional fields are null or absent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OLD),
        fc.constantFrom(...FORMS),
        fc.constantFrom<NoCheckpoint>('absent', 'null'),
        // LogEntry.attestation, optional in openapi.yaml and of no bearing on verification.
        fc.constantFrom('absent', 'null', 'present'),
        (r, form, checkpoint, attestation) => {
          const json = form.build(r, checkpoint) as Json;
          if (form.form === 'LogEntry' && attestation !== 'absent') {
            form.value(json).attestation = attestation === 'null' ? null : { data: 'eA==' };
          }
          const result = verifyJson(json);
          const reference = verifyJson(toTransparencyLogEntryJson(r));
          expect({ ...result, entry: undefined }).toEqual({ ...reference, entry: undefined });
          expect(result.entry?.body).toEqual(reference.entry?.body);
          expect(result.entry?.inclusionProof).toEqual(reference.entry?.inclusionProof);
        },
      ),
      { numRuns: 60 },
    );
  });
});
