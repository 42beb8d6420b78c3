// Crash-safe file replacement: write a temporary file beside the target, flush it, rename it over
// the target. rename(2) within one directory is atomic, so readers see the old or the new file,
// never a half-written one.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `bytes` atomically. Requires the parent directory to exist. A crash can
 * leave a stray `.<name>.tmp-*` file beside the target, never a truncated target.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(bytes);
      // Flush before the rename, or a power cut after it can still expose an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
