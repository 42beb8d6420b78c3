// The Alerts screen: every alert in the chosen triage state (loaded in pages), filtered and
// grouped by watch then identity (../alerts/grouping.ts), one row per identity; the selected
// row, the rows checked for a bulk action, and triage (acknowledge, mark expected, note).
// Sets and Maps here are built and then replaced whole ($state.raw), never mutated once shown:
/* eslint-disable svelte/prefer-svelte-reactivity */
import type {
  AlertView,
  ExpectAlertResult,
  ExpectPreview,
  Severity,
  TriageState,
} from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';
import {
  groupAlerts,
  NO_FILTERS,
  type AlertFilters,
  type AlertGroup,
  type IdentityGroup,
} from '../alerts/grouping';

/** Pages of this size are loaded until the last one, or MAX_ALERTS. */
export const ALERT_PAGE = 500;
/** More than this many alerts in one state are not loaded: `truncated` says so. */
export const MAX_ALERTS = 20_000;

/** One row of the list: an identity within its group. */
export interface AlertRow {
  /** Stable across reloads: group key and identity key. */
  readonly key: string;
  readonly group: AlertGroup;
  readonly identity: IdentityGroup;
}

/** What a bulk action did, for a toast. */
export interface TriageOutcome {
  readonly done: number;
  readonly failed: readonly { readonly id: number; readonly error: ErrorView }[];
  /** mark expected: what each watch now accepts, and what could not be added. */
  readonly results: readonly ExpectAlertResult[];
}

export class AlertsState {
  alerts = $state.raw<readonly AlertView[]>([]);
  filters = $state.raw<AlertFilters>(NO_FILTERS);
  loading = $state.raw(false);
  /** More alerts exist in this state than were loaded. */
  truncated = $state.raw(false);
  /** The row open in the detail pane, and the alert of it shown there. */
  selectedKey = $state.raw<string | null>(null);
  selectedAlertId = $state.raw<number | null>(null);
  /** Rows checked for a bulk action. */
  checked = $state.raw<ReadonlySet<string>>(new Set());
  error = $state.raw<ErrorView | null>(null);
  /** What the last triage did, in one line. */
  notice = $state.raw<string | null>(null);

  readonly groups = $derived(groupAlerts(this.alerts, this.filters));
  readonly rows: readonly AlertRow[] = $derived(
    this.groups.flatMap((group) =>
      group.identities.map((identity) => ({
        key: `${group.key}\u0001${identity.key}`,
        group,
        identity,
      })),
    ),
  );
  readonly selectedRow = $derived(this.rows.find((r) => r.key === this.selectedKey) ?? null);
  readonly selectedAlert = $derived(
    this.selectedRow?.identity.alerts.find((a) => a.id === this.selectedAlertId) ??
      this.selectedRow?.identity.alerts[0] ??
      null,
  );
  /** The watches (and logs) that have alerts in this state, for the watch filter. */
  readonly watchOptions = $derived(
    [...new Set(this.alerts.map((a) => a.watch ?? `log:${a.origin ?? 'unknown'}`))].sort(),
  );
  /** The alerts a bulk action applies to: the checked rows', else the selected row's. */
  readonly targets = $derived(this.#targets());

  #api: Bridge;
  #request = 0;
  /** The row selected only because it came first on a first page; null once anyone chooses. */
  #provisional: string | null = null;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /**
   * Loads every alert in `state` (default: the current filter), page by page, showing the first
   * page as soon as it arrives. A later call wins.
   */
  async refresh(state: TriageState | null = this.filters.state): Promise<void> {
    if (state !== this.filters.state) this.filters = { ...this.filters, state };
    const request = ++this.#request;
    this.loading = true;
    const all: AlertView[] = [];
    let beforeId: number | undefined;
    try {
      for (;;) {
        const result = await this.#api.invoke('alerts:list', {
          ...(state && { state }),
          ...(beforeId !== undefined && { beforeId }),
          limit: ALERT_PAGE,
        });
        if (request !== this.#request) return;
        if (!result.ok) return void (this.error = result.error);
        all.push(...result.value.alerts);
        beforeId = result.value.nextBeforeId;
        if (beforeId === undefined || all.length >= MAX_ALERTS) break;
        // The first page is shown at once (loading stays true); the rest follow in one step.
        if (all.length === result.value.alerts.length)
          this.#provisional = this.#publish(all.slice());
      }
      this.truncated = beforeId !== undefined;
      // A row picked only because it was first on the first page gives way to the real first.
      if (this.#provisional !== null && this.selectedKey === this.#provisional) {
        this.selectedKey = null;
      }
      this.#provisional = null;
      this.#publish(all);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Shows `alerts`; returns the row key selected for want of one (null: none was picked). */
  #publish(alerts: readonly AlertView[]): string | null {
    const before = this.selectedKey;
    this.alerts = alerts;
    this.error = null;
    this.#keepSelection();
    return this.selectedKey !== before ? this.selectedKey : null;
  }

  /** Changes the filters; a new triage state reloads from the engine. */
  async setFilters(change: Partial<AlertFilters>): Promise<void> {
    const next = { ...this.filters, ...change };
    const reload = next.state !== this.filters.state;
    this.filters = next;
    this.checked = new Set();
    if (reload) await this.refresh(next.state);
    else this.#keepSelection();
  }

  /** Opens the row (and within it the alert) of `alertId`, e.g. from a notification. */
  async open(alertId: number): Promise<void> {
    const find = () => this.rows.find((r) => r.identity.alerts.some((a) => a.id === alertId));
    await this.refresh();
    let row = find();
    if (!row) {
      // Triaged since, or hidden by a filter: show every alert.
      this.filters = { ...NO_FILTERS, state: null };
      await this.refresh(null);
      row = find();
    }
    if (!row)
      return void (this.error = { code: 'NOT_FOUND', message: `alert ${alertId} not found` });
    this.#provisional = null;
    this.selectedKey = row.key;
    this.selectedAlertId = alertId;
  }

  select(key: string, alertId: number | null = null): void {
    this.#provisional = null;
    this.selectedKey = key;
    this.selectedAlertId = alertId;
  }

  /** Moves the selection up (-1) or down (+1) the list. */
  move(delta: number): void {
    if (this.rows.length === 0) return;
    const at = this.rows.findIndex((r) => r.key === this.selectedKey);
    const next = at < 0 ? (delta > 0 ? 0 : this.rows.length - 1) : at + delta;
    const row = this.rows[Math.max(0, Math.min(this.rows.length - 1, next))]!;
    this.select(row.key);
  }

  toggleChecked(key: string): void {
    const next = new Set(this.checked);
    if (!next.delete(key)) next.add(key);
    this.checked = next;
  }

  /** Shift-click: checks every row from the selected one to `key`. */
  checkRange(key: string): void {
    const from = this.rows.findIndex((r) => r.key === this.selectedKey);
    const to = this.rows.findIndex((r) => r.key === key);
    if (to < 0) return;
    const [lo, hi] = from < 0 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
    const next = new Set(this.checked);
    for (const row of this.rows.slice(lo, hi + 1)) next.add(row.key);
    this.checked = next;
  }

  setAllChecked(on: boolean): void {
    this.checked = on ? new Set(this.rows.map((r) => r.key)) : new Set();
  }

  /** Acknowledges every target alert (or `ids`). */
  async acknowledge(
    ids: readonly number[] = this.targets.map((a) => a.id),
  ): Promise<TriageOutcome> {
    const failed: { id: number; error: ErrorView }[] = [];
    const replaced: AlertView[] = [];
    for (const id of ids) {
      const result = await this.#api.invoke('alerts:acknowledge', id);
      if (result.ok) replaced.push(result.value);
      else failed.push({ id, error: result.error });
    }
    this.#apply(replaced, failed);
    this.notice = outcomeLine(replaced.length, 'acknowledged', failed.length);
    return { done: replaced.length, failed, results: [] };
  }

  /** What marking the target alerts (or `ids`) expected would add to their watches. */
  async previewExpect(
    ids: readonly number[] = this.#matchTargets(),
  ): Promise<ExpectPreview | null> {
    const result = await this.#api.invoke('alerts:expect-preview', [...ids]);
    if (!result.ok) {
      this.error = result.error;
      return null;
    }
    return result.value;
  }

  /** Marks the target match alerts (or `ids`) expected; the notice says what was learnt. */
  async expect(ids: readonly number[] = this.#matchTargets()): Promise<TriageOutcome> {
    const failed: { id: number; error: ErrorView }[] = [];
    const results: ExpectAlertResult[] = [];
    for (const id of ids) {
      const result = await this.#api.invoke('alerts:expect', id);
      if (result.ok) results.push(result.value);
      else failed.push({ id, error: result.error });
    }
    this.#apply(
      results.map((r) => r.alert),
      failed,
    );
    const added = [
      ...new Set(
        results.flatMap((r) => [...r.added.workflows, ...r.added.refs, ...r.added.triggers]),
      ),
    ];
    this.notice =
      outcomeLine(results.length, 'marked expected', failed.length) +
      (added.length > 0 ? `; the watch now accepts ${added.join(', ')}` : '');
    return { done: results.length, failed, results };
  }

  /** Saves (or with '' clears) the alert's note. */
  async note(id: number, note: string): Promise<boolean> {
    const result = await this.#api.invoke('alerts:note', id, note);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.#apply([result.value], []);
    this.notice = note === '' ? `note of alert ${id} cleared` : `note saved on alert ${id}`;
    return true;
  }

  #targets(): AlertView[] {
    if (this.checked.size > 0) {
      return this.rows.filter((r) => this.checked.has(r.key)).flatMap((r) => r.identity.alerts);
    }
    return this.selectedRow ? [...this.selectedRow.identity.alerts] : [];
  }

  #matchTargets(): number[] {
    return this.targets
      .filter((a) => a.kind === 'match' && a.state !== 'expected')
      .map((a) => a.id);
  }

  #apply(replaced: readonly AlertView[], failed: readonly { error: ErrorView }[]): void {
    const at = this.rows.findIndex((r) => r.key === this.selectedKey);
    const byId = new Map(replaced.map((a) => [a.id, a]));
    this.alerts = this.alerts.map((a) => byId.get(a.id) ?? a);
    this.checked = new Set([...this.checked].filter((k) => this.rows.some((r) => r.key === k)));
    this.error = failed[0]?.error ?? null;
    // A triaged row that left the list hands the selection to the row now in its place.
    if (!this.rows.some((r) => r.key === this.selectedKey) && this.rows.length > 0) {
      this.select(this.rows[Math.min(Math.max(at, 0), this.rows.length - 1)]!.key);
    }
  }

  #keepSelection(): void {
    if (this.rows.some((r) => r.key === this.selectedKey)) return;
    this.selectedKey = this.rows[0]?.key ?? null;
    this.selectedAlertId = null;
  }
}

function outcomeLine(done: number, verb: string, failed: number): string {
  const line = `${done} alert${done === 1 ? '' : 's'} ${verb}`;
  return failed === 0 ? line : `${line}; ${failed} failed`;
}

/** For the severity filter's options, worst first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'low', 'info'];
