// JSON Lines: every match with its raw evidence, then every audit event, oldest first; one JSON
// object per line, so a reader can stream it (jq, grep, a line-by-line parser).
import { encodeBase64, encodeHex } from '../../core/bytes';
import type { Stores } from '../store/index';
import type { AuditEvent, JsonValue, Match } from '../store/types';
import type { ExportOptions } from './csv-export';
import { auditEventPagesOldestFirst, matchPagesOldestFirst } from './pages';
import { writeChunks, type Chunk, type WrittenFile } from './writer';

/**
 * A match line. `evidence` is what proves the entry is in the log: the entry body exactly as
 * logged, its RFC 6962 leaf hash, the inclusion proof (tree-local index: the shard-local leaf
 * index for Rekor v1) and the signed checkpoint note the proof leads to.
 */
export interface MatchLine {
  readonly type: 'match';
  readonly id: number;
  readonly origin: string;
  readonly logIndex: number;
  readonly shardIndex?: number;
  readonly watch: string;
  readonly classification: Match['classification'];
  readonly reason: string;
  readonly triage: Match['triage'];
  readonly note?: string;
  readonly foundAtMs: number;
  readonly triagedAtMs?: number;
  readonly integratedTimeMs?: number;
  readonly signer: Match['signer'];
  readonly evidence: {
    readonly entryBodyBase64: string;
    readonly leafHashHex: string;
    readonly inclusionProof: {
      readonly index: number;
      readonly treeSize: number;
      readonly hashesHex: readonly string[];
    };
    readonly checkpoint: string;
  };
}

/** An audit event line, with the hash chain links (see audit-chain.ts) in hex. */
export interface AuditEventLine {
  readonly type: 'audit-event';
  readonly seq: number;
  readonly atMs: number;
  readonly kind: AuditEvent['kind'];
  readonly origin?: string;
  readonly treeSize?: number;
  readonly detail: JsonValue;
  readonly prevHashHex: string;
  readonly hashHex: string;
}

/**
 * Streams every match (MatchLine) and then, unless `matchIds` narrows the export to some
 * matches, every audit event (AuditEventLine) to `path`, one JSON object per LF-terminated
 * line, oldest first. Writes `path.partial` and renames it when complete; resolves with the
 * file's size, SHA-256 and line count. Memory stays constant: one page of rows, written as one
 * chunk.
 */
export async function exportJsonl(
  stores: Stores,
  path: string,
  options: ExportOptions = {},
): Promise<WrittenFile> {
  function* lines(): Generator<Chunk> {
    for (const page of matchPagesOldestFirst(stores, options.matchIds)) {
      yield page.map((match) => `${JSON.stringify(matchLine(match))}\n`);
    }
    if (options.matchIds !== undefined) return;
    for (const page of auditEventPagesOldestFirst(stores)) {
      yield page.map((event) => `${JSON.stringify(auditEventLine(event))}\n`);
    }
  }
  return writeChunks(path, lines(), options.onProgress);
}

/** The JSON Lines record of a match. */
export function matchLine(m: Match): MatchLine {
  return {
    type: 'match',
    id: m.id,
    origin: m.origin,
    logIndex: m.logIndex,
    shardIndex: m.shardIndex,
    watch: m.watchName,
    classification: m.classification,
    reason: m.reason,
    triage: m.triage,
    note: m.note,
    foundAtMs: m.foundAtMs,
    triagedAtMs: m.triagedAtMs,
    integratedTimeMs: m.integratedTimeMs,
    signer: m.signer,
    evidence: {
      entryBodyBase64: encodeBase64(m.entryBytes),
      leafHashHex: encodeHex(m.leafHash),
      inclusionProof: {
        index: m.shardIndex ?? m.logIndex,
        treeSize: m.checkpoint.treeSize,
        hashesHex: m.inclusionProof.map(encodeHex),
      },
      checkpoint: m.checkpoint.signedNote,
    },
  };
}

/** The JSON Lines record of an audit event. */
export function auditEventLine(e: AuditEvent): AuditEventLine {
  return {
    type: 'audit-event',
    seq: e.seq,
    atMs: e.atMs,
    kind: e.kind,
    origin: e.origin,
    treeSize: e.treeSize,
    detail: e.detail,
    prevHashHex: encodeHex(e.prevHash),
    hashHex: encodeHex(e.hash),
  };
}
