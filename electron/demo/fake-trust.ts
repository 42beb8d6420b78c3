// A trusted_root.json for the fake log server: its Rekor v1 and tlog-tiles keys, and a test
// Fulcio CA, so the real trust pipeline (parseTrustedRoot, describeTrustedLogs) drives tests.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCa } from './cert-factory';
import type { FakeLog } from './fake-log/index';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** The raw key of a C2SP vkey `name+keyid+base64(type || key)`. */
function vkeyKey(vkey: string): Uint8Array {
  const encoded = /^[^+]+\+[0-9a-f]{8}\+(.+)$/.exec(vkey)?.[1];
  if (encoded === undefined) throw new Error(`not a vkey: ${vkey}`);
  return Buffer.from(encoded, 'base64').subarray(1);
}

export function fakeTrustedRoot(log: FakeLog, ca?: TestCa): Record<string, unknown> {
  const validFor = { start: '2020-01-01T00:00:00Z' };
  const tlogs: unknown[] = [
    {
      baseUrl: log.url,
      hashAlgorithm: 'SHA2_256',
      publicKey: { rawBytes: b64(log.v1.spkiDer), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
      logId: { keyId: b64(sha256(log.v1.spkiDer)) },
    },
  ];
  for (const tiles of log.tilesLogs) {
    const key = vkeyKey(tiles.vkey);
    tlogs.push({
      baseUrl: `${log.url}${tiles.prefix}`,
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: b64(Buffer.concat([ED25519_SPKI_PREFIX, key])),
        keyDetails: 'PKIX_ED25519',
        validFor,
      },
      logId: { keyId: b64(sha256(Buffer.from(tiles.origin), Buffer.from([0x0a, 0x01]), key)) },
    });
  }
  const authority = ca?.toCertificateAuthority();
  return {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs,
    certificateAuthorities: authority
      ? [
          {
            subject: authority.subject,
            uri: authority.uri,
            certChain: { certificates: authority.certChainDer.map((d) => ({ rawBytes: b64(d) })) },
            validFor,
          },
        ]
      : [],
    ctlogs: [],
    timestampAuthorities: [],
  };
}

/** Writes fakeTrustedRoot to `dir/trusted_root.json` and returns the path. */
export function writeFakeTrustedRoot(dir: string, log: FakeLog, ca?: TestCa): string {
  const path = join(dir, 'trusted_root.json');
  writeFileSync(path, JSON.stringify(fakeTrustedRoot(log, ca), null, 2));
  return path;
}
