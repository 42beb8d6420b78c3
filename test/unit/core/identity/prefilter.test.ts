import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import { identify } from '../../../../electron/core/identity/identify';
import { createPrefilter } from '../../../../electron/core/identity/prefilter';
import type { CertificateIdentity } from '../../../../electron/core/identity/types';
import { createTestCa } from '../../../../electron/demo/cert-factory';
import { loadAllEntries, loadCertificateAuthorities } from './realdata';

const trust = { certificateAuthorities: loadCertificateAuthorities('production') };

/** Every real certificate signer, with its DER and its identity. */
const certificates = loadAllEntries().flatMap((entry) =>
  parseEntryBody(entry.body).signers.flatMap((signer) =>
    signer.type === 'x509'
      ? [
          {
            id: entry.id,
            der: signer.certificateDer,
            identity: identify(signer, trust) as CertificateIdentity,
          },
        ]
      : [],
  ),
);

/** The values the prefilter promises to cover: literal SANs, extension values, issuer. */
const watchableValues = (identity: CertificateIdentity): string[] => [
  ...identity.sans.filter((san) => san.type !== 'ip').map((san) => san.value),
  ...Object.values(identity.extensions).map((e) => e.value),
  ...(identity.issuer === undefined ? [] : [identity.issuer]),
];

/** The reference matcher the prefilter must never out-guess: case-insensitive substring. */
const mentions = (identity: CertificateIdentity, needle: string) =>
  watchableValues(identity).some((value) => value.toLowerCase().includes(needle.toLowerCase()));

const realValues = [...new Set(certificates.flatMap((c) => watchableValues(c.identity)))];

/** Entry ids whose certificates match any needle, with or without the prefilter in front. */
function scan(needles: readonly string[], prefiltered: boolean): string[] {
  const prefilter = createPrefilter(needles);
  return certificates
    .filter((c) => !prefiltered || prefilter(c.der))
    .filter((c) => needles.some((needle) => mentions(c.identity, needle)))
    .map((c) => c.id);
}

describe('createPrefilter', () => {
  it('says maybe for every real certificate that each real identity value matches', () => {
    expect(realValues.length).toBeGreaterThan(100);
    for (const value of realValues) {
      const prefilter = createPrefilter([value]);
      for (const c of certificates) {
        if (mentions(c.identity, value)) expect(prefilter(c.der), `${value} in ${c.id}`).toBe(true);
      }
    }
  });

  it('gives the same matches with and without it for the whole set of real values as a watchlist', () => {
    expect(scan(realValues, true)).toEqual(scan(realValues, false));
  });

  it('gives the same matches with and without it for random needles (property)', () => {
    const flipCase = (text: string, mask: number) =>
      [...text]
        .map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase()))
        .join('');
    const fromRealValue = fc
      .record({
        value: fc.constantFrom(...realValues),
        start: fc.nat(),
        length: fc.integer({ min: 1, max: 40 }),
        mask: fc.nat(),
      })
      .map(({ value, start, length, mask }) => {
        const from = start % value.length;
        return flipCase(value.slice(from, from + length), mask);
      });
    const needle = fc.oneof(
      fromRealValue,
      fc.string({ minLength: 1, maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(needle, { minLength: 1, maxLength: 5 }), (needles) => {
        expect(scan(needles, true)).toEqual(scan(needles, false));
      }),
      { numRuns: 200 },
    );
  });

  it('rules out real certificates that mention no needle', () => {
    const prefilter = createPrefilter(['https://github.com/no-such-owner-for-vigil/']);
    expect(certificates.filter((c) => prefilter(c.der))).toEqual([]);
  });

  describe('case folding', () => {
    it('folds exactly ASCII A-Z, every byte value at every offset', () => {
      const prefilter = createPrefilter(['q']);
      for (let byte = 0; byte < 256; byte++) {
        for (let at = 0; at < 9; at++) {
          const raw = new Uint8Array(11).fill(0x2e);
          raw[at] = byte;
          expect(prefilter(raw), `byte 0x${byte.toString(16)} at ${at}`).toBe(
            byte === 0x51 || byte === 0x71,
          );
        }
      }
    });

    it('leaves non-ASCII bytes alone: 0xD1 is not "Q" with bit 7 set', () => {
      expect(createPrefilter(['q'])(Uint8Array.of(0xd1, 0xf1))).toBe(false);
    });

    it('reads inputs longer than its first buffer, and nothing of them afterwards', () => {
      const prefilter = createPrefilter(['needle']);
      const long = new Uint8Array(10_000).fill(0x2e);
      long.set(Buffer.from('NEEDLE'), 9_990);
      expect(prefilter(long)).toBe(true);
      expect(prefilter(new Uint8Array(10_000).fill(0x2e))).toBe(false);
      // The scratch buffer still holds "needle" at 9,990: a short input must not see it.
      expect(prefilter(long)).toBe(true);
      expect(prefilter(long.subarray(0, 9_995))).toBe(false);
      expect(prefilter(long.subarray(9_990))).toBe(true);
    });
  });

  describe('needle handling', () => {
    const leaf = createTestCa().issueLeaf({
      sans: [{ type: 'email', value: 'Jose.Maintainer@Example.com' }],
      extensions: {
        '1.3.6.1.4.1.57264.1.8': 'https://issuer.example',
        '1.3.6.1.4.1.57264.1.24': 'José Maintainer',
      },
    });
    it.each([
      { desc: 'a needle in another case', needles: ['JOSE.maintainer@example.COM'], want: true },
      {
        desc: 'a needle whose non-ASCII letter differs in case',
        needles: ['JOSÉ MAINTAINER'],
        want: true,
      },
      {
        desc: 'a needle that only matches an extension value',
        needles: ['ISSUER.example'],
        want: true,
      },
      {
        desc: 'one matching needle among others',
        needles: ['nobody@else.test', 'issuer.example'],
        want: true,
      },
      {
        desc: 'the empty needle (a watch that cannot be prefiltered)',
        needles: ['nobody@else.test', ''],
        want: true,
      },
      { desc: 'a needle without ASCII characters', needles: ['é'], want: true },
      {
        desc: 'needles absent from the certificate',
        needles: ['nobody@else.test', 'https://other.example'],
        want: false,
      },
      { desc: 'no needles (nothing is watched)', needles: [], want: false },
    ])('says $want for $desc', ({ needles, want }) => {
      expect(createPrefilter(needles)(leaf.der)).toBe(want);
    });
  });
});
