// Streams lines to a file with backpressure, hashing as it goes, so exports of millions of rows
// run in constant memory and the manifest needs no second read. Writes to a temporary name and
// renames at the end: an interrupted export never leaves a file that looks complete.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256Hex: string;
  readonly records: number;
}

/**
 * Writes every chunk from `chunks` to `path`. `onRecord` is called after each chunk with the
 * count so far (progress). Resolves with the file's size and SHA-256.
 */
export async function writeChunks(
  path: string,
  chunks: Iterable<string> | AsyncIterable<string>,
  onRecord?: (records: number) => void,
): Promise<WrittenFile> {
  const temp = `${path}.partial`;
  const out = createWriteStream(temp, { flags: 'w' });
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  try {
    for await (const chunk of chunks) {
      const buf = Buffer.from(chunk, 'utf8');
      hash.update(buf);
      bytes += buf.length;
      records++;
      if (!out.write(buf)) await once(out, 'drain');
      onRecord?.(records);
    }
    out.end();
    await once(out, 'finish');
    await rename(temp, path);
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    throw err;
  }
  return { path, bytes, records, sha256Hex: hash.digest('hex') };
}
