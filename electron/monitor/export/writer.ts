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
  /** Records written: a string chunk is one record, an array chunk one per element. */
  readonly records: number;
}

/**
 * What writeChunks takes at a time: one record, or a page of records written as one chunk (a
 * write per record would cost an await each, which dominates an export of a million rows).
 */
export type Chunk = string | readonly string[];

/**
 * Bytes the file stream buffers before it asks the source to wait: room for a few pages, so the
 * next page is formatted while the disk writes the last one (the default 16 KiB is smaller than
 * one page, so every page would wait for the disk).
 */
const WRITE_BUFFER_BYTES = 2 ** 20;

/**
 * Writes every chunk from `chunks` (UTF-8) to `path.partial`, then renames it to `path`.
 * `onRecord` is called for each record, once its chunk is handed to the file, with the count
 * so far (progress). Resolves with the file's size and SHA-256. If `chunks` or the disk fails,
 * the partial file is removed and the error is rethrown; an existing file at `path` is then left
 * as it was.
 */
export async function writeChunks(
  path: string,
  chunks: Iterable<Chunk> | AsyncIterable<Chunk>,
  onRecord?: (records: number) => void,
): Promise<WrittenFile> {
  const temp = `${path}.partial`;
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  async function* encoded(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks) {
      const count = typeof chunk === 'string' ? 1 : chunk.length;
      if (count === 0) continue;
      const buf = Buffer.from(typeof chunk === 'string' ? chunk : chunk.join(''), 'utf8');
      hash.update(buf);
      bytes += buf.length;
      yield buf;
      const first = records + 1;
      records += count;
      if (onRecord) for (let n = first; n <= records; n++) onRecord(n);
    }
  }
  const out = createWriteStream(temp, { flags: 'w', highWaterMark: WRITE_BUFFER_BYTES });
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
