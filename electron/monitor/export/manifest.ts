// manifest.json of an export directory: every file with its SHA-256 and size, so a recipient
// can tell that nothing was altered or left out (`sha256sum` reproduces each digest).
import { join } from 'node:path';
import { writeChunks, type WrittenFile } from './writer';

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'vigil-export-manifest/v1';

/** One listed file. `path` is relative to the manifest's directory, `/`-separated. */
export interface ManifestFile {
  readonly path: string;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
  /** Evidence files: the match they prove. */
  readonly matchId?: number;
  readonly origin?: string;
  readonly logIndex?: number;
  readonly watch?: string;
}

/** The whole manifest, as JSON.parse reads it back. */
export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly createdAtMs: number;
  readonly files: readonly ManifestFile[];
}

/**
 * Writes `dir/manifest.json` (a Manifest) listing `files` in order. Streams: each entry is
 * written as `files` yields it, and the manifest only appears under its name (a rename of
 * `manifest.json.partial`) once `files` is exhausted, so it is always the last file written and
 * never describes an export that did not finish. If `files` throws, no manifest is left.
 */
export function writeManifest(
  dir: string,
  createdAtMs: number,
  files: Iterable<ManifestFile> | AsyncIterable<ManifestFile>,
): Promise<WrittenFile> {
  async function* chunks(): AsyncGenerator<string> {
    yield `{"format":${JSON.stringify(MANIFEST_FORMAT)},"createdAtMs":${JSON.stringify(createdAtMs)},"files":[`;
    let first = true;
    for await (const file of files) {
      yield `${first ? '' : ','}\n  ${JSON.stringify(file)}`;
      first = false;
    }
    yield `${first ? '' : '\n'}]}\n`;
  }
  return writeChunks(join(dir, MANIFEST_NAME), chunks());
}
