import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';

const REALDATA = new URL('../../../fixtures/realdata/', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
type Json = Record<string, any>;
const read = (path: string): Json => JSON.parse(readFileSync(new URL(path, REALDATA), 'utf8'));

describe('parseTrustedRoot', () => {
  it('parses the production trusted root into its two logs', () => {
    const root = parseTrustedRoot(read('trust/trusted_root.production.json'));
    expect(root.tlogs.map((t) => [t.baseUrl, t.keyDetails, t.logIdHex])).toEqual([
      [
        'https://rekor.sigstore.dev',
        'PKIX_ECDSA_P256_SHA_256',
        'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d',
      ],
      [
        'https://log2025-1.rekor.sigstore.dev',
        'PKIX_ED25519',
        'cf1199155bddd051268d1f16ac5c0c75c009f6fb5a63f4177f8e18d7051e3fa0',
      ],
    ]);
    expect(root.tlogs[1]!.validFor).toEqual({ startMs: Date.parse('2025-09-23T00:00:00Z') });
    expect(root.certificateAuthorities.length).toBeGreaterThan(0);
    expect(root.timestampAuthorities[0]!.uri).toBe(
      'https://timestamp.sigstore.dev/api/v1/timestamp',
    );
  });

  it('parses staging, with inclusive end dates', () => {
    const root = parseTrustedRoot(read('trust/trusted_root.staging.json'));
    const alpha1 = root.tlogs.find((t) => t.baseUrl.includes('alpha1'))!;
    expect(alpha1.validFor).toEqual({
      startMs: Date.parse('2025-04-16T00:00:00Z'),
      endMs: Date.parse('2025-09-04T00:00:00Z'),
    });
  });

  it('parses a v0.2 trusted root with checkpointKeyId, operator and null fields', () => {
    const json = read('trust/trusted_root.production.json');
    json.mediaType = 'application/vnd.dev.sigstore.trustedroot.v0.2+json';
    json.tlogs[1].checkpointKeyId = { keyId: 'zxGZFQ==' };
    json.tlogs[1].operator = 'sigstore.dev';
    json.tlogs[0].publicKey.validFor.end = null;
    const root = parseTrustedRoot(json);
    expect(root.tlogs[1]).toMatchObject({
      checkpointKeyIdHex: 'cf119915',
      operator: 'sigstore.dev',
    });
    expect(root.tlogs[0]!.validFor.endMs).toBeUndefined();
  });

  const mutations: { desc: string; mutate: (j: Json) => void }[] = [
    { desc: 'an unknown media type', mutate: (j) => (j.mediaType = 'application/json') },
    { desc: 'no media type', mutate: (j) => delete j.mediaType },
    { desc: 'tlogs not an array', mutate: (j) => (j.tlogs = {}) },
    { desc: 'a tlog without a key', mutate: (j) => delete j.tlogs[0].publicKey },
    {
      desc: 'key bytes in URL-safe base64',
      mutate: (j) => (j.tlogs[0].publicKey.rawBytes = 'MFk-_w=='),
    },
    {
      desc: 'key bytes without padding',
      mutate: (j) => (j.tlogs[1].publicKey.rawBytes = 'MCowBQ'),
    },
    { desc: 'validFor without start', mutate: (j) => (j.tlogs[1].publicKey.validFor = {}) },
    { desc: 'no validFor', mutate: (j) => delete j.tlogs[1].publicKey.validFor },
    {
      desc: 'a start that is not RFC 3339',
      mutate: (j) => (j.tlogs[0].publicKey.validFor.start = '2021-01-12 11:53:27'),
    },
    {
      desc: 'an impossible date',
      mutate: (j) => (j.tlogs[0].publicKey.validFor.start = '2021-02-30T00:00:00Z'),
    },
    {
      desc: 'an end before the start',
      mutate: (j) => (j.tlogs[0].publicKey.validFor.end = '2020-01-01T00:00:00Z'),
    },
    {
      desc: 'a base URL that is not a URL',
      mutate: (j) => (j.tlogs[0].baseUrl = 'rekor.sigstore.dev'),
    },
    { desc: 'no log ID', mutate: (j) => delete j.tlogs[0].logId },
    {
      desc: 'a certificate that is not base64',
      mutate: (j) => (j.certificateAuthorities[0].certChain.certificates[0].rawBytes = '!'),
    },
    { desc: 'a number where a string belongs', mutate: (j) => (j.tlogs[0].hashAlgorithm = 1) },
  ];
  it.each(mutations)('rejects $desc with TRUSTED_ROOT_MALFORMED', ({ mutate }) => {
    const json = read('trust/trusted_root.production.json');
    mutate(json);
    expect(() => parseTrustedRoot(json)).toThrowCode('TRUSTED_ROOT_MALFORMED');
    expect(() => parseTrustedRoot(json)).toThrow(VerificationError);
  });

  it.each([null, [], 'text', 1])('rejects the JSON value %j with TRUSTED_ROOT_MALFORMED', (v) => {
    expect(() => parseTrustedRoot(v)).toThrowCode('TRUSTED_ROOT_MALFORMED');
  });
});
