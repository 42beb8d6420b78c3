import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, VerificationError } from '../../../../electron/core/errors';
import { parseInputText, parseInputValue } from '../../../../electron/core/verify/input';
import {
  CHECKPOINT_RECORDS,
  ENTRY_RECORDS,
  FIXTURES,
  toLogEntryJson,
  toTransparencyLogEntryJson,
} from './realdata';

const bundleText = (name: string) => readFileSync(`${FIXTURES}bundles/${name}`, 'utf8');
const v1 = ENTRY_RECORDS.find((r) => r.rekorApi === 'v1' && r.inclusionProof?.checkpoint)!;

describe('parseInputText', () => {
  it('takes non-JSON text verbatim as a checkpoint', () => {
    const note = CHECKPOINT_RECORDS[0]!.signedNote;
    expect(parseInputText(note)).toEqual([{ type: 'checkpoint', envelope: note }]);
  });

  it.each([
    { name: 'sigstore-go.bundle-provenance.json', form: 'bundle', logIndex: 18300934 },
    { name: 'sigstore-java.bundle.dsse.rekor-v2.sigstore.json', form: 'bundle', logIndex: 4855114 },
    {
      name: 'sigstore-java.jar-entry.logentry.json',
      form: 'rekor-v1-log-entry',
      logIndex: 3120029,
    },
    { name: 'cosign.oci-attestation.sigstore.json', form: 'bundle', logIndex: 175508996 },
  ])('recognises $name as one $form entry', ({ name, form, logIndex }) => {
    const [input, ...rest] = parseInputText(bundleText(name));
    expect(rest).toEqual([]);
    expect(input).toMatchObject({ type: 'entry', entry: { form, logIndex } });
  });

  it('rejects invalid JSON with INVALID_INPUT', () => {
    expect(() => parseInputText('{"mediaType": ')).toThrowCode('INVALID_INPUT');
  });
});

describe('parseInputValue', () => {
  it('reads a string as checkpoint note text', () => {
    expect(parseInputValue('a\n1\nb\n')).toEqual([{ type: 'checkpoint', envelope: 'a\n1\nb\n' }]);
  });

  it('normalises a LogEntry and a TransparencyLogEntry of one entry alike', () => {
    const [fromLogEntry] = parseInputValue(toLogEntryJson(v1));
    const [fromTle] = parseInputValue(toTransparencyLogEntryJson(v1));
    const strip = (i: typeof fromLogEntry) => {
      if (i?.type !== 'entry') throw new Error('want an entry');
      const { form: _form, kindVersion: _kv, ...rest } = i.entry;
      return rest;
    };
    expect(strip(fromTle)).toEqual(strip(fromLogEntry));
  });

  it('yields one input per LogEntry of an entries/retrieve array', () => {
    const records = ENTRY_RECORDS.filter((r) => r.rekorApi === 'v1').slice(0, 3);
    expect(parseInputValue(records.map((r) => toLogEntryJson(r)))).toHaveLength(3);
  });

  it('reads the cosign bundle annotation', () => {
    const r = ENTRY_RECORDS.find((e) => e.signedEntryTimestampB64)!;
    const [input] = parseInputValue({
      SignedEntryTimestamp: r.signedEntryTimestampB64,
      Payload: {
        body: r.bodyB64,
        integratedTime: r.integratedTime,
        logIndex: r.logIndex,
        logID: r.logIdHex,
      },
    });
    expect(input).toMatchObject({
      type: 'entry',
      entry: { form: 'cosign-bundle-annotation', logIndex: r.logIndex },
    });
  });

  it.each([
    { desc: 'null', value: null, code: 'INVALID_INPUT' },
    { desc: 'a number', value: 5, code: 'INVALID_INPUT' },
    { desc: 'an empty array', value: [], code: 'INVALID_INPUT' },
    { desc: 'an array of numbers', value: [1], code: 'INVALID_INPUT' },
    { desc: 'an unrelated object', value: { hello: 'world' }, code: 'INVALID_INPUT' },
    {
      desc: 'a bundle of an unknown version',
      value: { mediaType: 'application/vnd.dev.sigstore.bundle.v9+json' },
      code: 'BUNDLE_MALFORMED',
    },
    {
      desc: 'a bundle without tlog entries',
      value: {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: {},
      },
      code: 'BUNDLE_MALFORMED',
    },
    {
      desc: 'a TransparencyLogEntry without a body',
      value: { kindVersion: {} },
      code: 'BUNDLE_MALFORMED',
    },
    {
      desc: 'a TransparencyLogEntry whose kindVersion disagrees with its body',
      value: {
        ...toTransparencyLogEntryJson(v1),
        kindVersion: { kind: 'rekord', version: '0.0.1' },
      },
      code: 'ENTRY_MISMATCH',
    },
    {
      desc: 'a TransparencyLogEntry with a hex root hash',
      value: (() => {
        const tle = toTransparencyLogEntryJson(v1) as { inclusionProof: Record<string, unknown> };
        tle.inclusionProof.rootHash = v1.inclusionProof!.rootHashHex;
        return tle;
      })(),
      code: 'BUNDLE_MALFORMED',
    },
    {
      desc: 'a LogEntry whose body does not hash to its UUID',
      value: { ['0'.repeat(64)]: Object.values(toLogEntryJson(v1))[0] },
      code: 'ENTRY_MISMATCH',
    },
  ])('rejects $desc with $code', ({ value, code }) => {
    expect(() => parseInputValue(value)).toThrowCode(code);
  });

  it('throws only InputError or VerificationError for unrecognised values', () => {
    expect(() => parseInputValue({})).toThrow(InputError);
    expect(() => parseInputValue({ canonicalizedBody: 1 })).toThrow(VerificationError);
  });
});

// A TransparencyLogEntry is protobuf-JSON, where null stands for the default (absent) value of
// any field (https://protobuf.dev/programming-guides/json/); @sigstore/protobuf-specs' fromJSON
// (isSet: neither null nor undefined) and Go's protojson read it so. Its optional fields, and
// the Rekor v1 LogEntry fields openapi.yaml marks optional, read the same null or absent.
describe('optional fields given as null', () => {
  const withSetAndProof = ENTRY_RECORDS.find(
    (r) => r.rekorApi === 'v1' && r.signedEntryTimestampB64 && r.inclusionProof?.checkpoint,
  )!;
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const tle = () => structuredClone(toTransparencyLogEntryJson(withSetAndProof)) as Json;
  const logEntry = () => {
    const json = structuredClone(toLogEntryJson(withSetAndProof)) as Json;
    return { json, value: Object.values(json)[0] as Json };
  };

  it.each([
    { field: 'inclusionPromise', edit: (j: Json, v: unknown) => (j.inclusionPromise = v) },
    { field: 'inclusionProof', edit: (j: Json, v: unknown) => (j.inclusionProof = v) },
    {
      field: 'inclusionProof.checkpoint',
      edit: (j: Json, v: unknown) => (j.inclusionProof.checkpoint = v),
    },
  ])('TransparencyLogEntry.$field: null reads as absent', ({ edit }) => {
    const asNull = tle();
    edit(asNull, null);
    const absent = tle();
    edit(absent, undefined);
    const [a] = parseInputValue(asNull);
    const [b] = parseInputValue(JSON.parse(JSON.stringify(absent)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(parseInputValue(tle())[0]);
  });

  it.each([
    { field: 'verification', edit: (v: Json, x: unknown) => (v.verification = x) },
    {
      field: 'verification.inclusionProof',
      edit: (v: Json, x: unknown) => (v.verification.inclusionProof = x),
    },
    {
      field: 'verification.signedEntryTimestamp',
      edit: (v: Json, x: unknown) => (v.verification.signedEntryTimestamp = x),
    },
    {
      field: 'verification.inclusionProof.checkpoint',
      edit: (v: Json, x: unknown) => (v.verification.inclusionProof.checkpoint = x),
    },
  ])('LogEntry.$field: null reads as absent', ({ edit }) => {
    const asNull = logEntry();
    edit(asNull.value, null);
    const absent = logEntry();
    edit(absent.value, undefined);
    const [a] = parseInputValue(asNull.json);
    const [b] = parseInputValue(JSON.parse(JSON.stringify(absent.json)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(parseInputValue(logEntry().json)[0]);
  });
});
