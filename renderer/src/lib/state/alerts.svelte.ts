// The alerts inbox: a page of alerts (newest first, optionally only untriaged), and triage.
import type { AlertView, TriageState } from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';

export class AlertsState {
  alerts = $state.raw<readonly AlertView[]>([]);
  /** Only alerts in this state; null = every alert. */
  filter = $state.raw<TriageState | null>('new');
  /** Cursor of the next (older) page; null on the last page. */
  nextBeforeId = $state.raw<number | null>(null);
  error = $state.raw<ErrorView | null>(null);
  /** What the last triage did, in one line. */
  notice = $state.raw<string | null>(null);
  #api: Bridge;
  #request = 0;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Loads the first page for `filter` (default: the current one). A later call wins. */
  async refresh(filter: TriageState | null = this.filter): Promise<void> {
    this.filter = filter;
    const request = ++this.#request;
    const result = await this.#api.invoke('alerts:list', filter ? { state: filter } : {});
    if (request !== this.#request) return;
    if (!result.ok) return void (this.error = result.error);
    this.alerts = result.value.alerts;
    this.nextBeforeId = result.value.nextBeforeId ?? null;
    this.error = null;
  }

  /** Appends the next (older) page. */
  async more(): Promise<void> {
    if (this.nextBeforeId === null) return;
    const request = ++this.#request;
    const result = await this.#api.invoke('alerts:list', {
      ...(this.filter && { state: this.filter }),
      beforeId: this.nextBeforeId,
    });
    if (request !== this.#request) return;
    if (!result.ok) return void (this.error = result.error);
    this.alerts = [...this.alerts, ...result.value.alerts];
    this.nextBeforeId = result.value.nextBeforeId ?? null;
  }

  async acknowledge(id: number): Promise<void> {
    const result = await this.#api.invoke('alerts:acknowledge', id);
    if (!result.ok) return void (this.error = result.error);
    this.#replace(result.value);
    this.notice = `alert ${id} acknowledged`;
  }

  /** Marks a match alert expected; the notice says what its watch now accepts. */
  async expect(id: number): Promise<void> {
    const result = await this.#api.invoke('alerts:expect', id);
    if (!result.ok) return void (this.error = result.error);
    this.#replace(result.value.alert);
    const { workflows, refs, triggers } = result.value.added;
    const added = [...workflows, ...refs, ...triggers];
    this.notice =
      `alert ${id} marked expected` +
      (added.length > 0 ? `; the watch now accepts ${added.join(', ')}` : '') +
      (result.value.notAdded.length > 0 ? `; not added: ${result.value.notAdded.join('; ')}` : '');
  }

  /** Saves (or with '' clears) the alert's note. */
  async note(id: number, note: string): Promise<void> {
    const result = await this.#api.invoke('alerts:note', id, note);
    if (!result.ok) return void (this.error = result.error);
    this.#replace(result.value);
    this.notice = note === '' ? `note of alert ${id} cleared` : `note saved on alert ${id}`;
  }

  #replace(alert: AlertView): void {
    this.alerts = this.alerts.map((a) => (a.id === alert.id ? alert : a));
    this.error = null;
  }
}
