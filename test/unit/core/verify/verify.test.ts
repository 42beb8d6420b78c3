// verifyInput against synthetic logs (keys generated here, signed by electron/demo/note-signer,
// an implementation independent of electron/core/tlog) and the real witnessed checkpoint.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import { describeTrustedLogs } from '../../../../electron/core/trust/log-descriptor';
import type { TrustedRoot, ValidityWindow } from '../../../../electron/core/trust/types';
import type { EntryInput } from '../../../../electron/core/verify/entry-input';
import { verifyInput } from '../../../../electron/core/verify/verify';
import {
  ecdsaNoteSigner,
  ed25519NoteSigner,
  generateEcdsaP256,
  generateEd25519,
  signNote,
  spkiDer,
} from '../../../../electron/demo/note-signer';
import { CHECKPOINT_RECORDS, NOW_MS, STAGING_ROOT, flipBase64Byte, trustedLogs } from './realdata';

const DAY_MS = 86_400_000;
const BODY = Buffer.from('{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}');
const LEAF_HASH = createHash('sha256')
  .update(Buffer.from([0]))
  .update(BODY)
  .digest();

interface SyntheticLog {
  readonly root: TrustedRoot;
  readonly privateKey: KeyObject;
  readonly logIdHex: string;
}

function syntheticLog(
  apiVersion: 1 | 2,
  validFor: ValidityWindow,
  tlog: { baseUrl?: string; checkpointKeyIdHex?: string } = {},
): SyntheticLog {
  const { privateKey } = apiVersion === 1 ? generateEcdsaP256() : generateEd25519();
  const spki = spkiDer(privateKey);
  const logIdHex = createHash('sha256').update(spki).digest('hex');
  const root: TrustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: apiVersion === 1 ? 'https://rekor.example.test' : 'https://log.example.test',
        hashAlgorithm: 'SHA2_256',
        publicKeySpki: spki,
        keyDetails: apiVersion === 1 ? 'PKIX_ECDSA_P256_SHA_256' : 'PKIX_ED25519',
        validFor,
        logIdHex,
        ...tlog,
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  return { root, privateKey, logIdHex };
}

/** A one-entry tree: the root hash is the leaf hash and the proof is empty. */
function v1Checkpoint(
  log: SyntheticLog,
  origin: string,
  extensions: string[] = [],
  keyName = 'rekor.example.test',
): string {
  const text = [origin, '1', LEAF_HASH.toString('base64'), ...extensions, ''].join('\n');
  return signNote(text, [ecdsaNoteSigner(keyName, log.privateKey)]);
}

function v2Checkpoint(log: SyntheticLog, origin: string, keyName = origin): string {
  return signNote(`${origin}\n1\n${LEAF_HASH.toString('base64')}\n`, [
    ed25519NoteSigner(keyName, log.privateKey),
  ]);
}

/** The SET payload, canonicalised here by sorting keys (RFC 8785 for these four fields). */
function signSet(log: SyntheticLog, integratedTime: number, logIndex: number): Uint8Array {
  const fields = { body: BODY.toString('base64'), integratedTime, logID: log.logIdHex, logIndex };
  const payload = JSON.stringify(fields, Object.keys(fields).sort());
  return new Uint8Array(sign('sha256', Buffer.from(payload), log.privateKey));
}

function entry(overrides: Partial<EntryInput>): EntryInput {
  return { form: 'transparency-log-entry', body: BODY, logIndex: 7, ...overrides };
}

const verify = (log: SyntheticLog, input: Parameters<typeof verifyInput>[0]) =>
  verifyInput(input, { logs: describeTrustedLogs(log.root, NOW_MS), nowMs: NOW_MS });

describe('verifyInput with key validity windows', () => {
  const startMs = NOW_MS - 10 * DAY_MS;
  const endMs = NOW_MS - 5 * DAY_MS;
  const log = syntheticLog(1, { startMs, endMs });

  it.each([
    { desc: 'at the start', t: startMs / 1000, want: 'ok' },
    { desc: 'at the (inclusive) end', t: endMs / 1000, want: 'ok' },
    { desc: 'a second before the start', t: startMs / 1000 - 1, want: 'SET_INVALID' },
    { desc: 'a second after the end', t: endMs / 1000 + 1, want: 'SET_INVALID' },
  ])('gives $want for a SET integrated $desc', ({ t, want }) => {
    const result = verify(log, {
      type: 'entry',
      entry: entry({
        integratedTime: t,
        logIdHex: log.logIdHex,
        signedEntryTimestamp: signSet(log, t, 7),
      }),
    });
    expect(result.error?.code ?? 'ok').toBe(want);
  });

  it.each([
    { desc: 'inside the window', ns: `${startMs + DAY_MS}000000`, want: 'ok' },
    { desc: 'after the window', ns: `${endMs + 1}000000`, want: 'NOTE_UNTRUSTED' },
  ])('gives $want for a checkpoint whose Timestamp line is $desc', ({ ns, want }) => {
    const envelope = v1Checkpoint(log, 'rekor.example.test - 42', [`Timestamp: ${ns}`]);
    expect(verify(log, { type: 'checkpoint', envelope }).error?.code ?? 'ok').toBe(want);
  });

  it('accepts an untimed checkpoint from a retired key: it may predate the end', () => {
    const envelope = v1Checkpoint(log, 'rekor.example.test - 42');
    expect(verify(log, { type: 'checkpoint', envelope })).toMatchObject({
      ok: true,
      origin: 'rekor.example.test - 42',
      treeSize: 1,
      apiVersion: 1,
    });
  });

  it('rejects an untimed checkpoint from a key whose validity has not started', () => {
    const future = syntheticLog(1, { startMs: NOW_MS + DAY_MS });
    const envelope = v1Checkpoint(future, 'rekor.example.test - 42');
    expect(verify(future, { type: 'checkpoint', envelope }).error?.code).toBe('NOTE_UNTRUSTED');
  });
});

describe('verifyInput on Rekor v1 checkpoints and entries', () => {
  const log = syntheticLog(1, { startMs: 0 });

  // Rekor signs "<name> - <tree ID>" under key name <name>, its configured hostname; like
  // sigstore-go, Vigil finds the key by ID and compares the name with nothing.
  it.each([
    { keyName: 'rekor.example.test', origin: 'rekor.example.test - 42', why: 'the URL host' },
    { keyName: 'localhost:8000', origin: 'localhost:8000 - 42', why: 'a host and port' },
    { keyName: 'rekor-0', origin: 'rekor-0 - 42', why: 'a machine name' },
    { keyName: 'rekor-0', origin: 'rekor.example.test - 42', why: 'a name unlike the origin' },
  ])('accepts a checkpoint signed under $why, found by key ID', ({ keyName, origin }) => {
    const envelope = v1Checkpoint(log, origin, [], keyName);
    expect(verify(log, { type: 'checkpoint', envelope })).toMatchObject({ ok: true, origin });
  });

  it('rejects a key-ID match whose signature fails with NOTE_BAD_SIGNATURE', () => {
    const other = syntheticLog(1, { startMs: 0 });
    const good = v1Checkpoint(log, 'rekor.example.test - 42');
    const forged = v1Checkpoint(other, 'rekor.example.test - 42', [], 'elsewhere');
    const keyId = good.slice(good.lastIndexOf(' ') + 1, -1);
    const bad = `${forged.slice(0, forged.lastIndexOf(' ') + 1)}${Buffer.from([
      ...Buffer.from(keyId, 'base64').subarray(0, 4),
      ...Buffer.from(forged.slice(forged.lastIndexOf(' ') + 1, -1), 'base64').subarray(4),
    ]).toString('base64')}\n`;
    expect(verify(log, { type: 'checkpoint', envelope: bad }).error?.code).toBe(
      'NOTE_BAD_SIGNATURE',
    );
  });

  it.each([
    { origin: 'rekor.example.test', why: 'no tree ID' },
    { origin: 'rekor.example.test - 042', why: 'a non-canonical tree ID' },
  ])('rejects origin "$origin" ($why) with CHECKPOINT_WRONG_ORIGIN', ({ origin }) => {
    const envelope = v1Checkpoint(log, origin);
    expect(verify(log, { type: 'checkpoint', envelope }).error?.code).toBe(
      'CHECKPOINT_WRONG_ORIGIN',
    );
  });

  it('accepts an entry at shard-local index 0 with global index 7', () => {
    const checkpoint = v1Checkpoint(log, 'rekor.example.test - 42');
    const proof = { logIndex: 0, treeSize: 1, rootHash: LEAF_HASH, hashes: [], checkpoint };
    const result = verify(log, { type: 'entry', entry: entry({ inclusionProof: proof }) });
    expect(result).toMatchObject({
      ok: true,
      logIndex: 7,
      checks: ['checkpoint-signature', 'inclusion-proof'],
    });
  });

  it('rejects an entry nothing signed vouches for with ENTRY_UNVERIFIABLE', () => {
    const proof = { logIndex: 0, treeSize: 1, rootHash: LEAF_HASH, hashes: [] };
    const result = verify(log, { type: 'entry', entry: entry({ inclusionProof: proof }) });
    expect(result).toMatchObject({ ok: false, checks: [] });
    expect(result.error?.code).toBe('ENTRY_UNVERIFIABLE');
  });

  it('rejects a SET from a log not in the trusted root with LOG_UNKNOWN', () => {
    const other = syntheticLog(1, { startMs: 0 });
    const e = entry({
      integratedTime: 1,
      logIdHex: other.logIdHex,
      signedEntryTimestamp: signSet(other, 1, 7),
    });
    expect(verify(log, { type: 'entry', entry: e }).error?.code).toBe('LOG_UNKNOWN');
  });
});

describe('verifyInput on Rekor v2 entries', () => {
  const log = syntheticLog(2, { startMs: 0 });
  const checkpoint = signNote(`log.example.test\n1\n${LEAF_HASH.toString('base64')}\n`, [
    ed25519NoteSigner('log.example.test', log.privateKey),
  ]);
  const proof = { logIndex: 0, treeSize: 1, rootHash: LEAF_HASH, hashes: [], checkpoint };

  it('accepts the entry at its single index', () => {
    const result = verify(log, {
      type: 'entry',
      entry: entry({ logIndex: 0, inclusionProof: proof }),
    });
    expect(result).toMatchObject({ ok: true, origin: 'log.example.test', apiVersion: 2 });
  });

  it('rejects an entry whose index differs from its proof index with ENTRY_MISMATCH', () => {
    const result = verify(log, {
      type: 'entry',
      entry: entry({ logIndex: 7, inclusionProof: proof }),
    });
    expect(result.error?.code).toBe('ENTRY_MISMATCH');
  });
});

describe('verifyInput on Rekor v2 checkpoints: the origin', () => {
  const baseUrl = 'http://log.example.test:3003';

  it.each(['log.example.test', 'log.example.test:3003'])(
    'accepts %s from a log at a URL with a port',
    (origin) => {
      const log = syntheticLog(2, { startMs: 0 }, { baseUrl });
      const envelope = v2Checkpoint(log, origin);
      expect(verify(log, { type: 'checkpoint', envelope })).toMatchObject({ ok: true, origin });
    },
  );

  it('refuses an origin that is not the key name signed with CHECKPOINT_WRONG_ORIGIN', () => {
    const log = syntheticLog(2, { startMs: 0 }, { baseUrl });
    const envelope = v2Checkpoint(log, 'log.example.test:3003', 'log.example.test');
    expect(verify(log, { type: 'checkpoint', envelope }).error?.code).toBe(
      'CHECKPOINT_WRONG_ORIGIN',
    );
  });

  it('refuses another host or port as from an unknown log', () => {
    const log = syntheticLog(2, { startMs: 0 }, { baseUrl });
    for (const origin of ['log.example.test:3004', 'other.example.test']) {
      const envelope = v2Checkpoint(log, origin);
      expect(verify(log, { type: 'checkpoint', envelope }).error?.code).toBe('LOG_UNKNOWN');
    }
  });

  it('lets the trusted root checkpointKeyId decide between hostname and host:port', () => {
    const probe = syntheticLog(2, { startMs: 0 }, { baseUrl });
    const hostPortKeyId = describeTrustedLogs(probe.root, NOW_MS).flatMap((d) =>
      d.apiVersion === 2 ? d.origins.filter((o) => o.origin.endsWith(':3003')) : [],
    )[0]!.keyId;
    const checkpointKeyIdHex = hostPortKeyId.toString(16).padStart(8, '0');
    const log = { ...probe, root: withCheckpointKeyId(probe.root, checkpointKeyIdHex) };
    expect(
      verify(log, { type: 'checkpoint', envelope: v2Checkpoint(log, 'log.example.test:3003') }).ok,
    ).toBe(true);
    expect(
      verify(log, { type: 'checkpoint', envelope: v2Checkpoint(log, 'log.example.test') }).error
        ?.code,
    ).toBe('LOG_UNKNOWN');
  });
});

function withCheckpointKeyId(root: TrustedRoot, checkpointKeyIdHex: string): TrustedRoot {
  return { ...root, tlogs: root.tlogs.map((t) => ({ ...t, checkpointKeyIdHex })) };
}

describe('verifyInput with witness keys', () => {
  const witnessed = CHECKPOINT_RECORDS.find((r) => r.signatureLines.length === 4)!;
  const WITNESS_VKEYS = [
    'witness.navigli.sunlight.geomys.org+a3e00fe2+BNy/co4C1Hn1p+INwJrfUlgz7W55dSZReusH/GhUhJ/G',
    'witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv',
    'staging.witness.transparency.goog/ring-any-bells+2e1a8dc9+BG5JTpLc3FJtwzgh1Uv+Qelz9qeOH2bfWjS1s0s+y4rL',
  ];
  const options = (vkeys: string[]) => ({
    logs: trustedLogs(STAGING_ROOT),
    witnessKeys: vkeys.map(parseVerifierKey),
    nowMs: NOW_MS,
  });

  it('verifies the real cosignatures on the witnessed staging checkpoint', () => {
    const result = verifyInput(
      { type: 'checkpoint', envelope: witnessed.signedNote },
      options(WITNESS_VKEYS),
    );
    expect(result.checks).toEqual(['checkpoint-signature', 'witness-cosignature']);
    expect([...result.witnesses!].sort()).toEqual(WITNESS_VKEYS.map((k) => k.split('+')[0]).sort());
  });

  it('ignores cosignatures when no witness keys are configured', () => {
    const result = verifyInput({ type: 'checkpoint', envelope: witnessed.signedNote }, options([]));
    expect(result).toMatchObject({ ok: true, checks: ['checkpoint-signature'] });
  });

  it('rejects a checkpoint whose configured witness signature was altered', () => {
    const note = witnessed.signedNote
      .split('\n')
      .map((line) => {
        const [dash, name, sig] = line.split(' ');
        return name === 'witness.stagemole.eu'
          ? `${dash} ${name} ${flipBase64Byte(sig!, -1)}`
          : line;
      })
      .join('\n');
    expect(note).not.toBe(witnessed.signedNote);
    const result = verifyInput({ type: 'checkpoint', envelope: note }, options(WITNESS_VKEYS));
    expect(result.error?.code).toBe('NOTE_BAD_SIGNATURE');
  });
});
