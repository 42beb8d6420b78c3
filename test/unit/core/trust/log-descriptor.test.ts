import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyIdHex } from '../../../../electron/core/tlog/note';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import {
  describeLogs,
  describeTrustedLogs,
  noteVerifierFor,
  withinValidity,
} from '../../../../electron/core/trust/log-descriptor';
import { parseSigningConfig } from '../../../../electron/core/trust/signing-config';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import type { SigningConfig, TrustedRoot } from '../../../../electron/core/trust/types';

const REALDATA = new URL('../../../fixtures/realdata/', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
type Json = Record<string, any>;
const json = (path: string): Json => JSON.parse(readFileSync(new URL(path, REALDATA), 'utf8'));

const PRODUCTION = parseTrustedRoot(json('trust/trusted_root.production.json'));
const STAGING = parseTrustedRoot(json('trust/trusted_root.staging.json'));
const PROD_V1_CONFIG = parseSigningConfig(json('trust/signing_config.v0.2.production.json'));
const PROD_V2_CONFIG = parseSigningConfig(
  json('trust/signing_config_rekor_v2.v0.2.production.json'),
);
const STAGING_CONFIG = parseSigningConfig(json('trust/signing_config.v0.2.staging.json'));
const NOW = Date.parse('2026-11-25T00:00:00Z');

const summary = (root: TrustedRoot, configs: SigningConfig[], now: number) =>
  describeLogs(root, configs, now).map((d) => ({
    apiVersion: d.apiVersion,
    baseUrl: d.baseUrl,
    keyName: d.keyName,
    keyId: keyIdHex(d.keyId),
    origin: d.apiVersion === 2 ? d.origin : undefined,
    retired: d.retired,
  }));

describe('describeLogs', () => {
  it('describes production Rekor v1 and the log2025-1 shard from both signing configs', () => {
    expect(summary(PRODUCTION, [PROD_V2_CONFIG, PROD_V1_CONFIG], NOW)).toEqual([
      {
        apiVersion: 2,
        baseUrl: 'https://log2025-1.rekor.sigstore.dev',
        keyName: 'log2025-1.rekor.sigstore.dev',
        keyId: 'cf119915',
        origin: 'log2025-1.rekor.sigstore.dev',
        retired: false,
      },
      {
        apiVersion: 1,
        baseUrl: 'https://rekor.sigstore.dev',
        keyName: 'rekor.sigstore.dev',
        keyId: 'c0d23d6a',
        origin: undefined,
        retired: false,
      },
    ]);
  });

  it('leaves out a shard whose signing window has not started', () => {
    const before = Date.parse('2025-12-31T23:59:59Z');
    expect(summary(PRODUCTION, [PROD_V2_CONFIG], before).map((d) => d.apiVersion)).toEqual([1]);
  });

  it('keeps staging shards whose window ended, marked retired', () => {
    expect(summary(STAGING, [STAGING_CONFIG], NOW).map((d) => [d.keyName, d.retired])).toEqual([
      ['log2025-alpha3.rekor.sigstage.dev', false],
      ['log2025-alpha2.rekor.sigstage.dev', true],
      ['log2025-alpha1.rekor.sigstage.dev', true],
      ['rekor.sigstage.dev', false],
    ]);
  });

  it('throws LOG_UNKNOWN when the trusted root has no key for a listed log', () => {
    expect(() => describeLogs(PRODUCTION, [STAGING_CONFIG], NOW)).toThrowCode('LOG_UNKNOWN');
  });

  it("throws SIGNING_CONFIG_MALFORMED when two configs disagree on a URL's API version", () => {
    const conflicting: SigningConfig = {
      mediaType: PROD_V1_CONFIG.mediaType,
      rekorTlogUrls: [{ ...PROD_V1_CONFIG.rekorTlogUrls[0]!, majorApiVersion: 2 }],
    };
    expect(() => describeLogs(PRODUCTION, [PROD_V1_CONFIG, conflicting], NOW)).toThrowCode(
      'SIGNING_CONFIG_MALFORMED',
    );
  });

  it('throws TRUSTED_ROOT_MALFORMED when checkpointKeyId disagrees with the key', () => {
    const root: TrustedRoot = {
      ...PRODUCTION,
      tlogs: PRODUCTION.tlogs.map((t) => ({ ...t, checkpointKeyIdHex: '00000000' })),
    };
    expect(() => describeTrustedLogs(root, NOW)).toThrowCode('TRUSTED_ROOT_MALFORMED');
  });
});

describe('describeTrustedLogs', () => {
  it('describes every staging tlog, Ed25519 keys as v2 shards', () => {
    expect(describeTrustedLogs(STAGING, NOW).map((d) => [d.apiVersion, d.keyName])).toEqual([
      [1, 'rekor.sigstage.dev'],
      [2, 'log2025-alpha1.rekor.sigstage.dev'],
      [2, 'log2025-alpha2.rekor.sigstage.dev'],
      [2, 'log2025-alpha3.rekor.sigstage.dev'],
    ]);
  });

  it('leaves out keys of types Vigil cannot verify checkpoints with', () => {
    const root: TrustedRoot = {
      ...PRODUCTION,
      tlogs: PRODUCTION.tlogs.map((t) => ({ ...t, keyDetails: 'PKIX_RSA_PKCS1V15_2048_SHA256' })),
    };
    expect(describeTrustedLogs(root, NOW)).toEqual([]);
  });
});

describe('noteVerifierFor', () => {
  // C2SP vkeys from transparency-dev/witness omniwitness/logs.yaml (FORMATS.md §1.5, §2.1).
  it.each([
    'rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=',
    'log2025-1.rekor.sigstore.dev+cf119915+AbfK5adZJxsI323FwGD2AJJ9F4i89cfDuLdGJBIYntuO',
  ])('builds the same key name and key ID as the vkey %s', (vkey) => {
    const fromVkey = parseVerifierKey(vkey);
    const log = describeTrustedLogs(PRODUCTION, NOW).find((d) => d.keyName === fromVkey.keyName)!;
    const verifier = noteVerifierFor(log);
    expect([verifier.keyName, verifier.keyId]).toEqual([fromVkey.keyName, fromVkey.keyId]);
    expect(verifier.keyId).toBe(log.keyId);
  });
});

describe('withinValidity', () => {
  const window = { startMs: 10, endMs: 20 };
  it.each([
    { t: 9, want: false },
    { t: 10, want: true },
    { t: 20, want: true },
    { t: 21, want: false },
  ])('is $want at $t for an inclusive window 10..20', ({ t, want }) =>
    expect(withinValidity(window, t)).toBe(want),
  );
  it('is open-ended without an end', () => expect(withinValidity({ startMs: 0 }, 1e15)).toBe(true));
});
