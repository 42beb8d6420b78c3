import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { createEntryMatcher, matchEntryBytes } from '../../../../electron/monitor/jobs/match-entry';
import { createTestCa, entryBodyFor } from '../../../support/cert-factory';

const ca = createTestCa();
const trust = { certificateAuthorities: [ca.toCertificateAuthority()] };
const stranger = ca.issueLeaf({
  sans: [{ type: 'email', value: 'someone@elsewhere.example' }],
  extensions: { '1.3.6.1.4.1.57264.1.8': 'https://accounts.example' },
});
const strangerEntry = entryBodyFor(stranger, 'hashedrekord@0.0.2');
const spkiHex = (spki: Uint8Array) => createHash('sha256').update(spki).digest('hex');
const matcherFor = (yaml: string) =>
  createEntryMatcher(parseWatchlist(`version: 1\nwatches:\n${yaml}`).watches, trust);
const context = { origin: 'log.example' };

describe('matchEntryBytes', () => {
  it('matches a certificate by its key when no needle of the watchlist occurs in it', () => {
    const matcher = matcherFor(
      `  - email: security@acme.example\n  - key: ${spkiHex(stranger.spkiDer)}\n`,
    );
    expect(matcher.prefilter(stranger.der)).toBe(false);
    const result = matchEntryBytes(matcher, strangerEntry, context);
    expect(result.matches).toEqual([
      expect.objectContaining({ watch: `key:${spkiHex(stranger.spkiDer)}`, matchedBy: 'key' }),
    ]);
    expect(result.identities[0]).toMatchObject({ type: 'x509', chain: 'trusted' });
  });

  it('matches nothing when neither a needle nor a watched key is in the certificate', () => {
    const matcher = matcherFor(`  - email: security@acme.example\n  - key: ${'7e'.repeat(32)}\n`);
    expect(matchEntryBytes(matcher, strangerEntry, context)).toEqual({
      matches: [],
      identities: [],
    });
  });

  it('reports a certificate whose framing is broken when a key is watched', () => {
    const broken = entryBodyFor(stranger.der.subarray(0, 40), 'hashedrekord@0.0.2');
    const matcher = matcherFor(`  - key: ${'7e'.repeat(32)}\n`);
    const result = matchEntryBytes(matcher, broken, context);
    expect(result.matches).toEqual([]);
    expect(result.problem).toMatch(/certificate/);
  });
});
