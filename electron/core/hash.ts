// SHA-256, the one hash every Sigstore structure here uses.
import { createHash } from 'node:crypto';

export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}
