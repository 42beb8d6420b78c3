import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../support/tuf-repo/canonical-json';

// The test repository signs with its own canonical JSON. Real signatures over real metadata are
// the check that it is the encoding TUF signers use.
describe('canonicalJson (test/support/tuf-repo)', () => {
  it('reproduces the bytes Sigstore signed in TUF root v16', () => {
    const root = JSON.parse(
      readFileSync(
        new URL(
          '../../../../electron/monitor/tuf/seeds/tuf-root.production.v16.json',
          import.meta.url,
        ),
        'utf8',
      ),
    ) as {
      signed: { keys: Record<string, { keyval: { public: string } }> };
      signatures: { keyid: string; sig: string }[];
    };
    const message = Buffer.from(canonicalJson(root.signed));

    const verified = root.signatures.filter(({ keyid, sig }) => {
      const key = root.signed.keys[keyid];
      return (
        key !== undefined &&
        verify('sha256', message, createPublicKey(key.keyval.public), Buffer.from(sig, 'hex'))
      );
    });

    expect(verified).toHaveLength(root.signatures.length);
    expect(verified.length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    { desc: 'sorts keys', value: { b: 1, a: [true, null] }, want: '{"a":[true,null],"b":1}' },
    { desc: 'escapes only quote and backslash', value: 'a"b\\c\n', want: '"a\\"b\\\\c\n"' },
    { desc: 'keeps non-ascii raw', value: { é: 'ü' }, want: '{"é":"ü"}' },
    {
      desc: 'orders astral keys by code point',
      value: { '\u{1F600}': 1, '\uFFFF': 2 },
      want: '{"\uFFFF":2,"\u{1F600}":1}',
    },
  ])('$desc', ({ value, want }) => {
    expect(canonicalJson(value)).toBe(want);
  });

  it('throws on a number that is not an integer', () => {
    expect(() => canonicalJson({ expires: 1.5 })).toThrow(/integers only/);
  });
});
