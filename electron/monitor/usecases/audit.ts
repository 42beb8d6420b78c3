// Audit: the audit timeline, paged and filtered, and the re-check of its hash chain.
import type {
  AuditEventView,
  AuditPageQuery,
  AuditPageView,
  AuditVerifyView,
} from '../../../shared/domain';
import { encodeHex } from '../../core/bytes';
import { AuditChainBrokenError, verifyAuditChain } from '../store/audit-chain';
import { AUDIT_KINDS, type AuditEvent } from '../store/types';
import type { UseCaseContext } from './context';
import {
  defined,
  optional,
  readEnum,
  readId,
  readLimit,
  readRecord,
  readText,
  readUint,
} from './input';

const AUDIT_QUERY_KEYS = ['kind', 'origin', 'fromMs', 'toMs', 'text', 'beforeSeq', 'limit'];

export class Audit {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** One page of the audit timeline, newest first, with the chain hashes in hex. */
  page(query?: AuditPageQuery): AuditPageView {
    const q = readRecord(query, 'query', AUDIT_QUERY_KEYS);
    const page = this.#ctx.stores.audit.page({
      ...optional(q, 'kind', (v, what) => readEnum(v, AUDIT_KINDS, what), 'query'),
      ...optional(q, 'origin', readText, 'query'),
      ...optional(q, 'fromMs', readUint, 'query'),
      ...optional(q, 'toMs', readUint, 'query'),
      ...optional(q, 'text', (v, what) => readText(v, what, 200), 'query'),
      ...optional(q, 'beforeSeq', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      events: page.events.map(toAuditEventView),
      ...(page.nextBeforeSeq !== undefined && { nextBeforeSeq: page.nextBeforeSeq }),
    };
  }

  /**
   * Re-checks the audit log's hash chain (verifyAuditChain): intact with its head, or the first
   * broken seq. Other storage failures throw StorageError.
   */
  verify(): AuditVerifyView {
    try {
      const report = verifyAuditChain(this.#ctx.stores.db);
      return {
        intact: true,
        events: report.count,
        head: report.head ? { seq: report.head.seq, hashHex: encodeHex(report.head.hash) } : null,
      };
    } catch (err) {
      if (!(err instanceof AuditChainBrokenError)) throw err;
      return { intact: false, brokenAtSeq: err.seq, reason: err.reason };
    }
  }
}

export function toAuditEventView(e: AuditEvent): AuditEventView {
  return {
    seq: e.seq,
    atMs: e.atMs,
    kind: e.kind,
    ...defined({ origin: e.origin, treeSize: e.treeSize }),
    detail: e.detail,
    prevHashHex: encodeHex(e.prevHash),
    hashHex: encodeHex(e.hash),
  };
}
