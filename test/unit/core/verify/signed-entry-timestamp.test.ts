import { describe, expect, it } from 'vitest';
import {
  setPayload,
  verifySignedEntryTimestamp,
} from '../../../../electron/core/verify/signed-entry-timestamp';
import { ENTRY_RECORDS, flipBase64Byte } from './realdata';

const PROD_SPKI = Buffer.from(
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==',
  'base64',
);
const record = ENTRY_RECORDS.find(
  (r) => r.environment === 'production' && r.signedEntryTimestampB64,
)!;
const fields = {
  body: Buffer.from(record.bodyB64, 'base64'),
  integratedTime: record.integratedTime,
  logIdHex: record.logIdHex,
  logIndex: record.logIndex,
};

describe('setPayload', () => {
  it('is the JSON of the four fields with sorted keys and no whitespace', () => {
    const want = JSON.stringify({
      body: record.bodyB64,
      integratedTime: record.integratedTime,
      logID: record.logIdHex,
      logIndex: record.logIndex,
    });
    expect(Buffer.from(setPayload(fields)).toString()).toBe(want);
  });

  it.each([
    { desc: 'a negative index', change: { logIndex: -1 } },
    { desc: 'a fractional time', change: { integratedTime: 1.5 } },
    { desc: 'an uppercase log ID', change: { logIdHex: 'C0D2' } },
  ])('rejects $desc with SET_INVALID', ({ change }) => {
    expect(() => setPayload({ ...fields, ...change })).toThrowCode('SET_INVALID');
  });
});

describe('verifySignedEntryTimestamp', () => {
  const set = Buffer.from(record.signedEntryTimestampB64!, 'base64');

  it('accepts a real production SET', () => {
    expect(() => verifySignedEntryTimestamp(fields, set, PROD_SPKI)).not.toThrow();
  });

  it.each([
    {
      desc: 'the global index is off by one',
      f: { ...fields, logIndex: fields.logIndex + 1 },
      sig: set,
      key: PROD_SPKI,
    },
    {
      desc: 'a signature byte changed',
      f: fields,
      sig: Buffer.from(flipBase64Byte(record.signedEntryTimestampB64!, 10), 'base64'),
      key: PROD_SPKI,
    },
    { desc: 'the signature is not DER', f: fields, sig: Buffer.from('not der'), key: PROD_SPKI },
    { desc: 'the key does not parse', f: fields, sig: set, key: Buffer.from('junk') },
  ])('throws SET_INVALID when $desc', ({ f, sig, key }) => {
    expect(() => verifySignedEntryTimestamp(f, sig, key)).toThrowCode('SET_INVALID');
  });
});
