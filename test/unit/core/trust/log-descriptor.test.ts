import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyIdHex } from '../../../../electron/core/tlog/note';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import {
  describeLogs,
  describeTrustedLogs,
  findSigningLog,
  noteVerifierFor,
  v2Signers,
  withinValidity,
} from '../../../../electron/core/trust/log-descriptor';
import { parseSigningConfig } from '../../../../electron/core/trust/signing-config';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import type {
  RekorV2LogDescriptor,
  SigningConfig,
  TrustedRoot,
} from '../../../../electron/core/trust/types';

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
    // Rekor v1 lines are matched by key ID whatever their name; v2 key IDs commit to the name.
    expect(verifier.anyKeyName ?? false).toBe(log.apiVersion === 1);
  });
});

describe('Rekor v2 origins', () => {
  const v2 = PRODUCTION.tlogs.find((t) => t.keyDetails === 'PKIX_ED25519')!;
  const at = (baseUrl: string, checkpointKeyIdHex?: string): TrustedRoot => ({
    ...PRODUCTION,
    tlogs: [{ ...v2, baseUrl, ...(checkpointKeyIdHex && { checkpointKeyIdHex }) }],
  });
  const origins = (root: TrustedRoot) =>
    describeTrustedLogs(root, NOW).flatMap((d) =>
      d.apiVersion === 2 ? [{ origin: d.origin, all: d.origins.map((o) => o.origin) }] : [],
    );
  const keyIdOf = (root: TrustedRoot, origin: string) =>
    keyIdHex(ed25519NoteVerifierFor(root, origin).keyId);
  const ed25519NoteVerifierFor = (root: TrustedRoot, origin: string) =>
    v2Signers(describeTrustedLogs(root, NOW)[0] as RekorV2LogDescriptor).find(
      (s) => s.origin === origin,
    )!.logKey;

  it('is the hostname alone for a URL without a port, as sigstore-go derives it', () => {
    expect(origins(at('https://log2025-1.rekor.sigstore.dev/'))).toEqual([
      { origin: 'log2025-1.rekor.sigstore.dev', all: ['log2025-1.rekor.sigstore.dev'] },
    ]);
  });

  it('prefers the hostname and also accepts host:port for a URL with a port', () => {
    expect(origins(at('http://127.0.0.1:3003/api/v2'))).toEqual([
      { origin: '127.0.0.1', all: ['127.0.0.1', '127.0.0.1:3003'] },
    ]);
    expect(origins(at('http://[::1]:3003'))).toEqual([
      { origin: '::1', all: ['::1', '[::1]:3003'] },
    ]);
  });

  it('gives each origin the key ID of its own name', () => {
    const root = at('http://127.0.0.1:3003');
    const [log] = describeTrustedLogs(root, NOW) as RekorV2LogDescriptor[];
    expect(log!.origins.map((o) => keyIdHex(o.keyId))).toEqual([
      keyIdOf(root, '127.0.0.1'),
      keyIdOf(root, '127.0.0.1:3003'),
    ]);
    expect(log!.keyId).toBe(log!.origins[0]!.keyId);
  });

  it.each(['127.0.0.1', '127.0.0.1:3003'])(
    'keeps only the origin %s when checkpointKeyId names its key ID',
    (origin) => {
      const keyId = keyIdOf(at('http://127.0.0.1:3003'), origin);
      expect(origins(at('http://127.0.0.1:3003', keyId))).toEqual([{ origin, all: [origin] }]);
    },
  );

  it('leaves two logs on one host only their host:port, so their origins differ', () => {
    const root: TrustedRoot = {
      ...PRODUCTION,
      tlogs: ['http://127.0.0.1:3003/', 'http://127.0.0.1:3004', 'http://127.0.0.1:3003'].map(
        (baseUrl) => ({ ...v2, baseUrl }),
      ),
    };
    expect(origins(root)).toEqual([
      { origin: '127.0.0.1:3003', all: ['127.0.0.1:3003'] },
      { origin: '127.0.0.1:3004', all: ['127.0.0.1:3004'] },
      { origin: '127.0.0.1:3003', all: ['127.0.0.1:3003'] },
    ]);
    const config = {
      mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
      rekorTlogUrls: ['http://127.0.0.1:3003', 'http://127.0.0.1:3004'].map((url) => ({
        url,
        majorApiVersion: 2,
        validFor: { startMs: 0 },
      })),
    };
    expect(describeLogs(root, [config], NOW).map((d) => d.keyName)).toEqual([
      '127.0.0.1:3003',
      '127.0.0.1:3003',
      '127.0.0.1:3004',
    ]);
  });

  it('keeps a shared origin when it is the only one two logs have', () => {
    const root: TrustedRoot = {
      ...PRODUCTION,
      tlogs: ['https://x.example/a', 'https://x.example/b'].map((baseUrl) => ({ ...v2, baseUrl })),
    };
    expect(origins(root).map((o) => o.all)).toEqual([['x.example'], ['x.example']]);
  });

  it('throws TRUSTED_ROOT_MALFORMED when checkpointKeyId fits neither origin', () => {
    expect(() => describeTrustedLogs(at('http://127.0.0.1:3003', '00000000'), NOW)).toThrowCode(
      'TRUSTED_ROOT_MALFORMED',
    );
  });
});

describe('findSigningLog', () => {
  const logs = describeTrustedLogs(PRODUCTION, NOW);
  const v1 = logs.find((d) => d.apiVersion === 1 && d.keyName === 'rekor.sigstore.dev')!;
  const line = (keyName: string, keyId: number) => ({
    keyName,
    keyId,
    signature: Uint8Array.of(1),
  });

  it('finds a Rekor v1 log by key ID under any key name', () => {
    for (const name of ['rekor.sigstore.dev', 'localhost:8000', 'rekor-0']) {
      expect(findSigningLog(logs, [line(name, v1.keyId)])).toBe(v1);
    }
  });

  it('finds a Rekor v2 log only by an origin it may sign as and that origin key ID', () => {
    const v2 = logs.find((d) => d.apiVersion === 2)!;
    expect(findSigningLog(logs, [line(v2.keyName, v2.keyId)])).toBe(v2);
    expect(findSigningLog(logs, [line('other.example', v2.keyId)])).toBeUndefined();
  });

  it('prefers the log whose URL host is the key name when two logs share a key', () => {
    const twin = { ...v1, baseUrl: 'https://twin.example', keyName: 'twin.example' };
    expect(findSigningLog([v1, twin], [line('twin.example', v1.keyId)])).toBe(twin);
    expect(findSigningLog([v1, twin], [line('rekor-0', v1.keyId)])).toBe(v1);
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
