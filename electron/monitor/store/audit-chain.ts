// The audit log's hash chain: each event's hash covers its fields and the previous event's
// hash, so changing, inserting or removing any row before the head breaks every later link.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { bytesEqual, encodeHex } from '../../core/bytes';
import { StorageError } from '../../core/errors';

/** prev_hash of the first event (seq 1). */
export const GENESIS_HASH: Uint8Array = new Uint8Array(32);

/** Separates this encoding from any other SHA-256 input; bump the version to change it. */
const DOMAIN = Buffer.from('vigil audit event v1\n', 'utf8');

/** The hashed fields of one event, exactly as stored (detail is the stored JSON text). */
export interface ChainedFields {
  readonly seq: number;
  readonly atMs: number;
  readonly kind: string;
  readonly origin: string | undefined;
  readonly treeSize: number | undefined;
  readonly detail: string;
  readonly prevHash: Uint8Array;
}

/**
 * SHA-256 over an unambiguous encoding of the event:
 *
 *     "vigil audit event v1\n" ‖ u64(seq) ‖ u64(at_ms) ‖ str(kind) ‖ opt(str(origin))
 *       ‖ opt(u64(tree_size)) ‖ str(detail) ‖ prev_hash
 *
 * u64 is 8 bytes big-endian; str is a u32 big-endian byte length then the UTF-8 bytes; opt is
 * 0x00 for NULL, else 0x01 then the value. Requires seq, atMs, treeSize to be safe integers >= 0
 * and the strings to be well-formed UTF-16 (no lone surrogates), so that what SQLite stores
 * re-encodes to the same bytes.
 */
export function hashAuditEvent(e: ChainedFields): Uint8Array {
  const kindBytes = Buffer.byteLength(e.kind, 'utf8');
  const originBytes = e.origin === undefined ? 0 : Buffer.byteLength(e.origin, 'utf8');
  const detailBytes = Buffer.byteLength(e.detail, 'utf8');
  const size =
    DOMAIN.length +
    8 +
    8 +
    (4 + kindBytes) +
    (e.origin === undefined ? 1 : 1 + 4 + originBytes) +
    (e.treeSize === undefined ? 1 : 1 + 8) +
    (4 + detailBytes) +
    e.prevHash.length;
  const buf = Buffer.allocUnsafe(size);
  let at = DOMAIN.copy(buf, 0);
  at = writeU64(buf, at, e.seq);
  at = writeU64(buf, at, e.atMs);
  at = writeStr(buf, at, e.kind, kindBytes);
  if (e.origin === undefined) at = buf.writeUInt8(0, at);
  else at = writeStr(buf, buf.writeUInt8(1, at), e.origin, originBytes);
  if (e.treeSize === undefined) at = buf.writeUInt8(0, at);
  else at = writeU64(buf, buf.writeUInt8(1, at), e.treeSize);
  at = writeStr(buf, at, e.detail, detailBytes);
  buf.set(e.prevHash, at);
  return new Uint8Array(createHash('sha256').update(buf).digest());
}

// Two 32-bit halves: exact for every safe integer, and no BigInt of a variable.
function writeU64(buf: Buffer, at: number, n: number): number {
  buf.writeUInt32BE(Math.floor(n / 2 ** 32), at);
  return buf.writeUInt32BE(n % 2 ** 32, at + 4);
}

function writeStr(buf: Buffer, at: number, s: string, byteLength: number): number {
  const start = buf.writeUInt32BE(byteLength, at);
  return start + buf.write(s, start, byteLength, 'utf8');
}

/** The chain was broken at `seq`: that row, or its link to the row before, was altered. */
export class AuditChainBrokenError extends StorageError {
  constructor(
    readonly seq: number,
    readonly reason: string,
  ) {
    super('AUDIT_CHAIN_BROKEN', `audit chain broken at seq ${seq}: ${reason}`);
  }
}

export interface ChainHead {
  readonly seq: number;
  readonly hash: Uint8Array;
}

export interface ChainReport {
  /** Number of events checked (all of them). */
  readonly count: number;
  /** The last event; undefined for an empty log. Record it elsewhere to detect truncation. */
  readonly head?: ChainHead;
}

export interface VerifyChainOptions {
  /**
   * Called every `progressEvery` rows (default 10 000) with the rows checked so far. It runs
   * while the rows are being streamed, so it must not use the same connection.
   */
  readonly onProgress?: (progress: { checked: number; total: number }) => void;
  readonly progressEvery?: number;
}

interface ChainRow {
  seq: number;
  at_ms: number;
  kind: string;
  origin: string | null;
  tree_size: number | null;
  detail: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/**
 * Re-checks the whole audit chain, streaming rows in seq order (constant memory on millions of
 * rows): seq must run 1, 2, 3, ...; each prev_hash must equal the previous row's hash (zeros
 * for seq 1); each hash must equal hashAuditEvent of the row. Throws AuditChainBrokenError
 * (AUDIT_CHAIN_BROKEN) naming the first bad seq.
 *
 * Does not detect the removal of the newest rows (the remaining chain is still valid): compare
 * the returned head with one recorded elsewhere for that.
 */
export function verifyAuditChain(db: Database, options: VerifyChainOptions = {}): ChainReport {
  const every = options.progressEvery ?? 10_000;
  const total =
    (db.prepare('SELECT max(seq) FROM audit_events').pluck().get() as number | null) ?? 0;
  const rows = db
    .prepare(
      `SELECT seq, at_ms, kind, origin, tree_size, detail, prev_hash, hash
       FROM audit_events ORDER BY seq`,
    )
    .iterate() as IterableIterator<ChainRow>;
  let prev: ChainHead | undefined;
  let count = 0;
  for (const row of rows) {
    const want = (prev?.seq ?? 0) + 1;
    if (row.seq !== want) {
      throw new AuditChainBrokenError(want, `seq ${want} is missing (next is ${row.seq})`);
    }
    if (!bytesEqual(row.prev_hash, prev?.hash ?? GENESIS_HASH)) {
      throw new AuditChainBrokenError(row.seq, "prev_hash does not match the previous row's hash");
    }
    const hash = hashAuditEvent({
      seq: row.seq,
      atMs: row.at_ms,
      kind: row.kind,
      origin: row.origin ?? undefined,
      treeSize: row.tree_size ?? undefined,
      detail: row.detail,
      prevHash: row.prev_hash,
    });
    if (!bytesEqual(hash, row.hash)) {
      throw new AuditChainBrokenError(
        row.seq,
        `hash ${encodeHex(row.hash)} does not match the row's contents (${encodeHex(hash)})`,
      );
    }
    prev = { seq: row.seq, hash };
    count++;
    if (options.onProgress && count % every === 0) options.onProgress({ checked: count, total });
  }
  return prev ? { count, head: prev } : { count };
}
