// The evidence bundle: one protobuf-JSON TransparencyLogEntry per match (sigstore/protobuf-specs
// sigstore_rekor.proto; FORMATS.md §1.8, §2.4), which `vigil verify` re-verifies offline: its
// inclusion proof against the signed checkpoint, the checkpoint against a trusted root. Then
// manifest.json, written last, listing every file with its SHA-256 and size.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHex, decodeUtf8Strict, encodeBase64 } from '../../core/bytes';
import { InputError } from '../../core/errors';
import { parseCheckpoint } from '../../core/tlog/checkpoint';
import { keyIdHex, parseSignedNote } from '../../core/tlog/note';
import { findSigningLog } from '../../core/trust/log-descriptor';
import type { LogDescriptor } from '../../core/trust/types';
import type { Stores } from '../store/index';
import type { Match } from '../store/types';
import { MANIFEST_NAME, writeManifest, type ManifestFile } from './manifest';
import { matchPagesOldestFirst } from './pages';
import { writeChunks, type WrittenFile } from './writer';

/** A TransparencyLogEntry as protobuf-JSON: int64 fields as decimal strings, bytes as base64. */
export interface TransparencyLogEntryJson {
  /** Rekor v1: the global (virtual) index; Rekor v2: the index. */
  readonly logIndex: string;
  readonly logId: { readonly keyId: string };
  readonly kindVersion: { readonly kind: string; readonly version: string };
  /** Unix seconds; Rekor v1 only (v2 entries have no integrated time). */
  readonly integratedTime?: string;
  readonly inclusionProof: {
    /** Tree-local: the shard-local leaf index for Rekor v1. */
    readonly logIndex: string;
    readonly rootHash: string;
    readonly treeSize: string;
    readonly hashes: readonly string[];
    readonly checkpoint: { readonly envelope: string };
  };
  readonly canonicalizedBody: string;
}

export interface EvidenceOptions {
  /**
   * The trusted logs (describeTrustedLogs of the trust material): the log whose key signed a
   * match's checkpoint gives the entry's logId.
   */
  readonly logs: readonly LogDescriptor[];
  /** Epoch ms, recorded in the manifest. */
  readonly nowMs: number;
  /** Only these matches, in this order (default: every match). */
  readonly matchIds?: readonly number[];
  /** Called after each evidence file with the number written so far. */
  readonly onProgress?: (files: number) => void;
}

/** The file name of a match's evidence inside the bundle directory. */
export const evidenceFileName = (matchId: number): string => `match-${matchId}.json`;

/**
 * Writes the evidence bundle into `dir` (created if missing): `match-<id>.json` per match (a
 * TransparencyLogEntry, see toTransparencyLogEntry) and, last, `manifest.json` (see
 * writeManifest) naming each file with its match, SHA-256 and size. A manifest already in
 * `dir` is removed first, so an interrupted export never leaves one that looks complete.
 * Resolves with the manifest file. Throws InputError NOT_FOUND for an unknown match id or a
 * match whose checkpoint no log in `options.logs` signed; the files written before it stay,
 * without a manifest.
 */
export async function exportEvidence(
  stores: Stores,
  dir: string,
  options: EvidenceOptions,
): Promise<WrittenFile> {
  await mkdir(dir, { recursive: true });
  await rm(join(dir, MANIFEST_NAME), { force: true });
  return writeManifest(dir, options.nowMs, writeEvidenceFiles(stores, dir, '', options));
}

/**
 * Writes `match-<id>.json` per match into `dir` (which must exist) and yields the manifest
 * entry of each as soon as it is written, its path prefixed with `prefix` (e.g. `evidence/`).
 * Throws as exportEvidence does.
 */
export async function* writeEvidenceFiles(
  stores: Stores,
  dir: string,
  prefix: string,
  options: EvidenceOptions,
): AsyncGenerator<ManifestFile> {
  let written = 0;
  for (const page of matchPagesOldestFirst(stores, options.matchIds)) {
    for (const match of page) {
      const name = evidenceFileName(match.id);
      const text = `${JSON.stringify(toTransparencyLogEntry(match, options.logs), null, 2)}\n`;
      const file = await writeChunks(join(dir, name), [text]);
      options.onProgress?.(++written);
      yield {
        path: `${prefix}${name}`,
        sha256: file.sha256Hex,
        bytes: file.bytes,
        matchId: match.id,
        origin: match.origin,
        logIndex: match.logIndex,
        watch: match.watchName,
      };
    }
  }
}

/**
 * The TransparencyLogEntry of a match: its body, index and inclusion proof, with the signed
 * checkpoint the proof leads to (so the root hash and tree size are vouched for by the log's
 * signature, not by Vigil), and the logId of the trusted log that signed that checkpoint.
 * Rekor v1 entries carry their integrated time; no SET is included (Vigil does not keep one).
 * Throws InputError NOT_FOUND when no log in `logs` signed the checkpoint, INVALID_INPUT when
 * the body is not a JSON entry with kind and apiVersion. Verifies nothing.
 */
export function toTransparencyLogEntry(
  match: Match,
  logs: readonly LogDescriptor[],
): TransparencyLogEntryJson {
  const note = parseSignedNote(match.checkpoint.signedNote);
  // The same search `vigil verify` makes (openTrustedCheckpoint).
  const log = findSigningLog(logs, note.signatures);
  if (log === undefined) {
    const signers = note.signatures.map((s) => `${s.keyName}+${keyIdHex(s.keyId)}`).join(', ');
    throw new InputError(
      'NOT_FOUND',
      `match ${match.id}: its checkpoint is signed by ${signers || 'no one'}, not by a trusted log`,
    );
  }
  const checkpoint = parseCheckpoint(note.text);
  return {
    logIndex: String(match.logIndex),
    logId: { keyId: encodeBase64(decodeHex(log.logIdHex)!) },
    kindVersion: kindVersionOf(match),
    ...(log.apiVersion === 1 &&
      match.integratedTimeMs !== undefined && {
        integratedTime: String(Math.floor(match.integratedTimeMs / 1000)),
      }),
    inclusionProof: {
      logIndex: String(match.shardIndex ?? match.logIndex),
      rootHash: encodeBase64(checkpoint.rootHash),
      treeSize: String(checkpoint.treeSize),
      hashes: match.inclusionProof.map(encodeBase64),
      checkpoint: { envelope: match.checkpoint.signedNote },
    },
    canonicalizedBody: encodeBase64(match.entryBytes),
  };
}

/** `kind` and `apiVersion` of the entry body, which TransparencyLogEntry repeats. */
function kindVersionOf(match: Match): { kind: string; version: string } {
  const text = decodeUtf8Strict(match.entryBytes);
  let body: unknown;
  try {
    body = text === undefined ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const { kind, apiVersion } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
    throw new InputError(
      'INVALID_INPUT',
      `match ${match.id}: entry body is not a JSON entry with kind and apiVersion`,
    );
  }
  return { kind, version: apiVersion };
}
