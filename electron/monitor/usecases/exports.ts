// Exports: the recorded matches (and the audit log) written into a directory as CSV, JSON Lines
// or Sigstore evidence, each export ending with its manifest.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportedFile, ExportRequest, ExportResult } from '../../../shared/domain';
import { AppError, InputError } from '../../core/errors';
import { describeTrustedLogs } from '../../core/trust/log-descriptor';
import type { LogDescriptor, TrustedRoot } from '../../core/trust/types';
import { exportCsv } from '../export/csv-export';
import { exportEvidence, type EvidenceOptions } from '../export/evidence';
import { exportJsonl } from '../export/jsonl-export';
import { MANIFEST_NAME, writeManifest, type Manifest } from '../export/manifest';
import type { UseCaseContext } from './context';
import { readAbsolutePath, readEnum, readId, readRecord } from './input';

/** File names inside an export directory. */
export const CSV_FILE = 'matches.csv';
export const JSONL_FILE = 'vigil.jsonl';

const EXPORT_FORMATS = ['csv', 'jsonl', 'evidence'] as const;

/** The trust material an evidence export needs (Monitoring loads and keeps it). */
export interface TrustAccess {
  /** The loaded trusted root; undefined before the first load. */
  readonly trustedRoot: TrustedRoot | undefined;
  loadTrust(): Promise<unknown>;
}

export class Exports {
  readonly #ctx: UseCaseContext;
  readonly #trust: TrustAccess;

  constructor(ctx: UseCaseContext, trust: TrustAccess) {
    this.#ctx = ctx;
    this.#trust = trust;
  }

  /**
   * Exports into `dir` (absolute; created if missing): 'csv' writes matches.csv, 'jsonl' writes
   * vigil.jsonl (matches, then the audit log), 'evidence' one TransparencyLogEntry per match
   * (loading trust material if needed, for the log IDs). Each ends with manifest.json listing
   * every file with its SHA-256, written last; an older manifest is removed first, so an
   * interrupted export never looks complete. `onProgress` gets the records written so far.
   * Throws InputError FILE_UNWRITABLE when the directory cannot be written.
   */
  async write(
    request: ExportRequest,
    onProgress?: (records: number) => void,
  ): Promise<ExportResult> {
    const { stores, now } = this.#ctx;
    const r = readRecord(request, 'export', ['format', 'dir']);
    const format = readEnum(r.format, EXPORT_FORMATS, 'export.format');
    const dir = readAbsolutePath(r.dir, 'export.dir');
    const progress = { ...(onProgress && { onProgress }) };
    const logs = format === 'evidence' ? await this.#trustedLogs() : [];
    return writingTo(dir, async () => {
      await mkdir(dir, { recursive: true });
      await rm(join(dir, MANIFEST_NAME), { force: true });
      if (format === 'evidence') return this.#evidence(dir, logs, progress);
      const name = format === 'csv' ? CSV_FILE : JSONL_FILE;
      const file = await (format === 'csv' ? exportCsv : exportJsonl)(
        stores,
        join(dir, name),
        progress,
      );
      const manifest = await writeManifest(dir, now(), [
        { path: name, sha256: file.sha256Hex, bytes: file.bytes },
      ]);
      return {
        files: [{ path: file.path, bytes: file.bytes, sha256Hex: file.sha256Hex }],
        manifest: manifest.path,
      };
    });
  }

  /**
   * Writes one match's evidence into `dir` (absolute; created if missing): `match-<id>.json`, a
   * TransparencyLogEntry `vigil verify` re-checks offline, then its manifest.json. The inspector's
   * "Export evidence". Throws InputError NOT_FOUND for an unknown match, FILE_UNWRITABLE.
   */
  async writeMatchEvidence(matchId: number, dir: string): Promise<ExportResult> {
    const id = readId(matchId, 'match id');
    const target = readAbsolutePath(dir, 'export.dir');
    const logs = await this.#trustedLogs();
    return writingTo(target, () => this.#evidence(target, logs, { matchIds: [id] }));
  }

  /**
   * Every log key of the trusted root (loading it if needed), not only the followed logs: a
   * match may come from a log that is no longer followed.
   */
  async #trustedLogs(): Promise<LogDescriptor[]> {
    if (!this.#trust.trustedRoot) await this.#trust.loadTrust();
    const trustedRoot = this.#trust.trustedRoot;
    return trustedRoot ? describeTrustedLogs(trustedRoot, this.#ctx.now()) : [];
  }

  async #evidence(
    dir: string,
    logs: readonly LogDescriptor[],
    options: Pick<EvidenceOptions, 'matchIds' | 'onProgress'>,
  ): Promise<ExportResult> {
    const { stores, now } = this.#ctx;
    const manifest = await exportEvidence(stores, dir, { logs, nowMs: now(), ...options });
    return { files: await manifestFiles(dir, manifest.path), manifest: manifest.path };
  }
}

/**
 * Runs an export into `dir`; file system failures (permissions, a full disk, a file where the
 * directory should be) become InputError FILE_UNWRITABLE naming the directory.
 */
async function writingTo<T>(dir: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError('FILE_UNWRITABLE', `cannot export to ${dir}: ${why}`, { cause: err });
  }
}

/** The files a manifest this build just wrote lists, as absolute paths. */
async function manifestFiles(dir: string, manifestPath: string): Promise<ExportedFile[]> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  return manifest.files.map((f) => ({
    path: join(dir, f.path),
    bytes: f.bytes,
    sha256Hex: f.sha256,
  }));
}
