// A complete export directory: the CSV, the JSON Lines, the evidence bundle and one manifest
// over all of them, so a recipient can check every file with `sha256sum` against one list.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stores } from '../store/index';
import { exportCsv } from './csv-export';
import { writeEvidenceFiles, type EvidenceOptions } from './evidence';
import { exportJsonl } from './jsonl-export';
import { MANIFEST_NAME, writeManifest, type ManifestFile } from './manifest';
import type { WrittenFile } from './writer';

export const CSV_NAME = 'matches.csv';
export const JSONL_NAME = 'vigil.jsonl';
export const EVIDENCE_DIR = 'evidence';

/** Which file an export is writing, and how many records of it so far. */
export interface ExportProgress {
  readonly file: typeof CSV_NAME | typeof JSONL_NAME | typeof EVIDENCE_DIR;
  readonly records: number;
}

export interface ExportAllOptions extends Omit<EvidenceOptions, 'onProgress'> {
  readonly onProgress?: (progress: ExportProgress) => void;
}

/**
 * Writes into `dir` (created if missing): matches.csv (exportCsv), vigil.jsonl (exportJsonl),
 * evidence/match-<id>.json per match (exportEvidence's files) and, last, manifest.json listing
 * all of them with SHA-256 and size (paths relative to `dir`). Any manifest already in `dir` is
 * removed first, so an interrupted export never leaves one that looks complete. Resolves with
 * the manifest file; throws what the parts throw.
 */
export async function exportAll(
  stores: Stores,
  dir: string,
  options: ExportAllOptions,
): Promise<WrittenFile> {
  const evidenceDir = join(dir, EVIDENCE_DIR);
  await mkdir(evidenceDir, { recursive: true });
  await rm(join(dir, MANIFEST_NAME), { force: true });
  const progress = (file: ExportProgress['file']) => (records: number) =>
    options.onProgress?.({ file, records });
  const subset = options.matchIds === undefined ? {} : { matchIds: options.matchIds };

  async function* files(): AsyncGenerator<ManifestFile> {
    const csv = await exportCsv(stores, join(dir, CSV_NAME), {
      ...subset,
      onProgress: progress(CSV_NAME),
    });
    yield { path: CSV_NAME, sha256: csv.sha256Hex, bytes: csv.bytes };
    const jsonl = await exportJsonl(stores, join(dir, JSONL_NAME), {
      ...subset,
      onProgress: progress(JSONL_NAME),
    });
    yield { path: JSONL_NAME, sha256: jsonl.sha256Hex, bytes: jsonl.bytes };
    yield* writeEvidenceFiles(stores, evidenceDir, `${EVIDENCE_DIR}/`, {
      ...options,
      onProgress: progress(EVIDENCE_DIR),
    });
  }
  return writeManifest(dir, options.nowMs, files());
}
