import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSigningConfig } from '../../../../electron/core/trust/signing-config';

const REALDATA = new URL('../../../fixtures/realdata/', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
type Json = Record<string, any>;
const read = (path: string): Json => JSON.parse(readFileSync(new URL(path, REALDATA), 'utf8'));

describe('parseSigningConfig', () => {
  it('parses the production Rekor v2 signing config, newest service first', () => {
    const config = parseSigningConfig(read('trust/signing_config_rekor_v2.v0.2.production.json'));
    expect(config.rekorTlogUrls).toEqual([
      {
        url: 'https://log2025-1.rekor.sigstore.dev',
        majorApiVersion: 2,
        validFor: { startMs: Date.parse('2026-01-01T00:00:00Z') },
        operator: 'sigstore.dev',
      },
      {
        url: 'https://rekor.sigstore.dev',
        majorApiVersion: 1,
        validFor: { startMs: Date.parse('2021-01-12T11:53:27.000Z') },
        operator: 'sigstore.dev',
      },
    ]);
  });

  it('parses staging services with end dates', () => {
    const config = parseSigningConfig(read('trust/signing_config.v0.2.staging.json'));
    expect(config.rekorTlogUrls.filter((s) => s.validFor.endMs !== undefined)).toHaveLength(2);
  });

  const mutations: { desc: string; mutate: (j: Json) => void }[] = [
    {
      desc: 'the v0.1 media type',
      mutate: (j) => (j.mediaType = 'application/vnd.dev.sigstore.signingconfig.v0.1+json'),
    },
    { desc: 'a negative API version', mutate: (j) => (j.rekorTlogUrls[0].majorApiVersion = -2) },
    { desc: 'a fractional API version', mutate: (j) => (j.rekorTlogUrls[0].majorApiVersion = 2.5) },
    { desc: 'no API version', mutate: (j) => delete j.rekorTlogUrls[0].majorApiVersion },
    { desc: 'a service without validFor', mutate: (j) => delete j.rekorTlogUrls[0].validFor },
    { desc: 'a URL that is not a URL', mutate: (j) => (j.rekorTlogUrls[0].url = 'log2025-1') },
    {
      desc: 'rekorTlogUrls not an array',
      mutate: (j) => (j.rekorTlogUrls = 'https://rekor.sigstore.dev'),
    },
  ];
  it.each(mutations)('rejects $desc with SIGNING_CONFIG_MALFORMED', ({ mutate }) => {
    const json = read('trust/signing_config_rekor_v2.v0.2.production.json');
    mutate(json);
    expect(() => parseSigningConfig(json)).toThrowCode('SIGNING_CONFIG_MALFORMED');
  });
});
