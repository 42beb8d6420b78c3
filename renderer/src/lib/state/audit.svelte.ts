// The audit timeline: keyset pages of audit events (newest first) with kind, log, text and date
// filters, paged older and back newer, and the hash-chain check.
import type { AuditEventView, AuditVerifyView } from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  readonly kind?: string;
  readonly origin?: string;
  readonly text?: string;
  /** Inclusive, epoch ms. */
  readonly fromMs?: number;
  /** Exclusive, epoch ms. */
  readonly toMs?: number;
}

export class AuditState {
  events = $state.raw<readonly AuditEventView[]>([]);
  filter = $state.raw<AuditFilter>({});
  /** 1 for the newest page. */
  page = $state.raw(1);
  hasOlder = $state.raw(false);
  verification = $state.raw<AuditVerifyView | null>(null);
  error = $state.raw<ErrorView | null>(null);
  #api: Bridge;
  /** beforeSeq of each page shown so far (undefined = the newest), for paging back. */
  #cursors: (number | undefined)[] = [undefined];
  #nextBeforeSeq: number | undefined;
  #request = 0;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Shows the newest page for `filter` (default: the current one). */
  refresh(filter: AuditFilter = this.filter): Promise<void> {
    this.filter = filter;
    this.#cursors = [undefined];
    return this.#show();
  }

  /** Shows the next older page, when there is one. */
  older(): Promise<void> {
    if (this.#nextBeforeSeq === undefined) return Promise.resolve();
    this.#cursors = [...this.#cursors, this.#nextBeforeSeq];
    return this.#show();
  }

  /** Shows the page before this one (newer), when this is not the first. */
  newer(): Promise<void> {
    if (this.#cursors.length <= 1) return Promise.resolve();
    this.#cursors = this.#cursors.slice(0, -1);
    return this.#show();
  }

  async verify(): Promise<void> {
    const result = await this.#api.invoke('audit:verify');
    if (!result.ok) return void (this.error = result.error);
    this.verification = result.value;
  }

  async #show(): Promise<void> {
    const request = ++this.#request;
    const beforeSeq = this.#cursors[this.#cursors.length - 1];
    const { kind, origin, text, fromMs, toMs } = this.filter;
    const result = await this.#api.invoke('audit:page', {
      limit: AUDIT_PAGE_SIZE,
      ...(kind && { kind }),
      ...(origin && { origin }),
      ...(text && { text }),
      ...(fromMs !== undefined && { fromMs }),
      ...(toMs !== undefined && { toMs }),
      ...(beforeSeq !== undefined && { beforeSeq }),
    });
    if (request !== this.#request) return;
    if (!result.ok) return void (this.error = result.error);
    this.events = result.value.events;
    this.#nextBeforeSeq = result.value.nextBeforeSeq;
    this.hasOlder = result.value.nextBeforeSeq !== undefined;
    this.page = this.#cursors.length;
    this.error = null;
  }
}
