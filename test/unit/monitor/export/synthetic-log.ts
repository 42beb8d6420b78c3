// A synthetic Rekor log (v1 shard with an ECDSA key, or v2 with Ed25519) whose checkpoints are
// really signed (electron/demo/note-signer) and whose trusted root is real protobuf-JSON, plus
// helpers that store matches from it through the real stores (commitScanBatch). Shared by the
// alerts and export tests.
import { createHash } from 'node:crypto';
import { GITHUB_ACTIONS_ISSUER } from '../../../../electron/core/watch/ci-identity';
import type { Classification } from '../../../../shared/domain';
import type { CertificateIdentity, SignerIdentity } from '../../../../electron/core/identity/types';
import { describeTrustedLogs } from '../../../../electron/core/trust/log-descriptor';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import type { LogDescriptor } from '../../../../electron/core/trust/types';
import type { Stores } from '../../../../electron/monitor/store/index';
import type {
  LogDescriptorRecord,
  NewMatch,
  ScanCommit,
} from '../../../../electron/monitor/store/types';
import {
  MerkleTree,
  v1HashedRekordBody,
  v2HashedRekordEntry,
} from '../../../../electron/demo/fake-log';
import {
  ecdsaNoteSigner,
  ed25519NoteSigner,
  ed25519PublicKeyBytes,
  generateEcdsaP256,
  generateEd25519,
  signNote,
  spkiDer,
  type NoteSigner,
} from '../../../../electron/demo/note-signer';

/** 2024-01-01: after the test keys' validity starts (2020). */
export const T0 = Date.UTC(2024, 0, 1);

export interface SyntheticLog {
  readonly apiVersion: 1 | 2;
  readonly origin: string;
  readonly record: LogDescriptorRecord;
  /** protobuf-JSON TrustedRoot naming only this log (for --trusted-root files). */
  readonly trustedRootJson: unknown;
  /** describeTrustedLogs of that root. */
  readonly logs: LogDescriptor[];
  readonly tree: MerkleTree;
  /** The signed checkpoint note for the tree's first `size` entries. */
  checkpoint(size: number): string;
}

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * A v1 shard `rekor.example.test - 42` (index offset 1000) or a v2 log `log.example.test`,
 * keyed as Sigstore keys them: v1 logID = SHA-256(SPKI), v2 logID = SHA-256(name \n 0x01 key).
 */
export function syntheticLog(apiVersion: 1 | 2): SyntheticLog {
  const host = apiVersion === 1 ? 'rekor.example.test' : 'log.example.test';
  const { privateKey } = apiVersion === 1 ? generateEcdsaP256() : generateEd25519();
  const spki = spkiDer(privateKey);
  const signer: NoteSigner =
    apiVersion === 1 ? ecdsaNoteSigner(host, privateKey) : ed25519NoteSigner(host, privateKey);
  const logId =
    apiVersion === 1
      ? sha256(spki)
      : sha256(Buffer.from(host), Uint8Array.of(0x0a, 0x01), ed25519PublicKeyBytes(privateKey));
  const trustedRootJson = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
      {
        baseUrl: `https://${host}`,
        hashAlgorithm: 'SHA2_256',
        publicKey: {
          rawBytes: b64(spki),
          keyDetails: apiVersion === 1 ? 'PKIX_ECDSA_P256_SHA_256' : 'PKIX_ED25519',
          validFor: { start: '2020-01-01T00:00:00Z' },
        },
        logId: { keyId: b64(logId) },
      },
    ],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  };
  const origin = apiVersion === 1 ? `${host} - 42` : host;
  const tree = new MerkleTree();
  return {
    apiVersion,
    origin,
    record:
      apiVersion === 1
        ? {
            origin,
            apiVersion,
            readUrl: `https://${host}`,
            state: 'active',
            treeId: '42',
            indexOffset: 1000,
          }
        : { origin, apiVersion, readUrl: `https://${host}`, state: 'active' },
    trustedRootJson,
    logs: describeTrustedLogs(parseTrustedRoot(trustedRootJson), T0),
    tree,
    checkpoint: (size) => signNote(`${origin}\n${size}\n${b64(tree.root(size))}\n`, [signer]),
  };
}

/** What to store for one match; the entry is appended to the log for it. */
export interface SeedMatch {
  readonly watchName: string;
  readonly classification: Classification;
  readonly signer?: SignerIdentity;
  readonly reason?: string;
  /** Entry bytes; default a hashedrekord body unique to the index. */
  readonly body?: Uint8Array;
}

/**
 * Appends one entry per seed to the log, stores the new signed checkpoint and commits the new
 * entries as one scan batch with these matches (raising alerts as the store does).
 */
export function seedMatches(
  stores: Stores,
  log: SyntheticLog,
  seeds: readonly SeedMatch[],
  atMs = T0,
): ScanCommit {
  stores.logs.upsert(log.record, atMs);
  const from = log.tree.size;
  const indices = seeds.map((s) => log.tree.append(s.body ?? defaultBody(log, log.tree.size)));
  const size = log.tree.size;
  const signedNote = log.checkpoint(size);
  stores.checkpoints.add({
    origin: log.origin,
    treeSize: size,
    rootHash: log.tree.root(size),
    signedNote,
    verifiedAtMs: atMs,
  });
  stores.scans.start(log.origin, 0, atMs);
  const matches = seeds.map((s, i) => newMatch(log, indices[i]!, s, signedNote, atMs));
  return stores.scans.commitScanBatch({
    origin: log.origin,
    fromIndex: from,
    toIndex: size,
    treeSize: size,
    matches,
    atMs,
  });
}

/** The NewMatch for the entry at tree index `index`, proven against the checkpoint `signedNote`. */
export function newMatch(
  log: SyntheticLog,
  index: number,
  seed: SeedMatch,
  signedNote: string,
  atMs = T0,
): NewMatch {
  const size = log.tree.size;
  return {
    logIndex: log.apiVersion === 1 ? 1000 + index : index,
    ...(log.apiVersion === 1 && {
      shardIndex: index,
      integratedTimeMs: Math.floor(atMs / 1000) * 1000,
    }),
    watchName: seed.watchName,
    entryBytes: log.tree.entry(index),
    leafHash: log.tree.leafHash(index),
    checkpoint: { treeSize: size, signedNote },
    inclusionProof: log.tree.inclusionProof(index, size),
    signer: seed.signer ?? githubSigner(),
    classification: seed.classification,
    reason: seed.reason ?? `${seed.classification} for the test`,
  };
}

function defaultBody(log: SyntheticLog, index: number): Uint8Array {
  return log.apiVersion === 1 ? v1HashedRekordBody(index) : v2HashedRekordEntry(index);
}

const FULCIO = '1.3.6.1.4.1.57264.1';

/** A GitHub Actions certificate identity (chain trusted unless told otherwise). */
export function githubSigner(
  over: {
    repository?: string;
    workflow?: string;
    ref?: string;
    trigger?: string;
    san?: string;
    chain?: 'trusted' | 'untrusted';
  } = {},
): CertificateIdentity {
  const repository = over.repository ?? 'acme/widget';
  const workflow = over.workflow ?? '.github/workflows/release.yml';
  const ref = over.ref ?? 'refs/tags/v1.0.0';
  const workflowUri = `https://github.com/${repository}/${workflow}@${ref}`;
  return {
    type: 'x509',
    location: 'spec.signature.publicKey.content',
    sans: [{ type: 'uri', value: over.san ?? workflowUri }],
    issuer: GITHUB_ACTIONS_ISSUER,
    extensions: {
      [`${FULCIO}.12`]: {
        name: 'Source Repository URI',
        value: `https://github.com/${repository}`,
      },
      [`${FULCIO}.14`]: { name: 'Source Repository Ref', value: ref },
      [`${FULCIO}.18`]: { name: 'Build Config URI', value: workflowUri },
      [`${FULCIO}.20`]: { name: 'Build Trigger', value: over.trigger ?? 'push' },
    },
    subjectDn: '',
    issuerDn: 'O=sigstore.dev, CN=sigstore-intermediate',
    serialHex: '01',
    notBeforeMs: T0 - 60_000,
    notAfterMs: T0 + 600_000,
    certSha256Hex: '00'.repeat(32),
    spkiSha256Hex: '11'.repeat(32),
    chain: over.chain ?? 'trusted',
    ...(over.chain === 'untrusted' && { chainProblem: 'self-signed' }),
  };
}
