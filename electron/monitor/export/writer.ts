// Streams text chunks to a file with backpressure, hashing as it goes, so exports of millions of
// rows run in constant memory and the manifest needs no second read. Writes to a temporary name
// and renames at the end: an interrupted export never leaves a file that looks complete.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256Hex: string;
  /** Chunks written (callers write one record per chunk). */
  readonly records: number;
}

/**
 * Writes every chunk from `chunks` (UTF-8) to `path.partial`, then renames it to `path`.
 * `onRecord` is called after each chunk with the count so far (progress). Resolves with the
 * file's size and SHA-256. If `chunks` or the disk fails, the partial file is removed and the
 * error is rethrown; an existing file at `path` is then left as it was.
 */
export async function writeChunks(
  path: string,
  chunks: Iterable<string> | AsyncIterable<string>,
  onRecord?: (records: number) => void,
): Promise<WrittenFile> {
  const temp = `${path}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  async function* encoded(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      const buf = Buffer.from(chunk, 'utf8');
      hash.update(buf);
      bytes += buf.length;
      records++;
      yield buf;
      onRecord?.(records);
    }
  }
  const out = createWriteStream(temp, { flags: 'w' });
  try {
    await pipeline(encoded, out);
    await rename(temp, path);
  } catch (err) {
    // The stream may still be opening the file: wait until it is closed, or rm could run first
    // and the open would then recreate the partial file. (events.once would reject on the
    // stream's 'error', which a failing source also emits.)
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await rm(temp, { force: true });
    throw err;
  }
  return { path, bytes, records, sha256Hex: hash.digest('hex') };
}
