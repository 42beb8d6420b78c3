// The matches list and the entry inspector: pages of matches, and one match with its evidence.
import type {
  Classification,
  ExportResult,
  MatchDetailView,
  MatchView,
} from '../../../../shared/domain';
import type { ErrorView } from '../../../../shared/errors';
import type { Bridge } from '../../../../shared/ipc/contract';
import type { Result } from '../../../../shared/result';

export class MatchesState {
  matches = $state.raw<readonly MatchView[]>([]);
  classification = $state.raw<Classification | null>(null);
  nextBeforeId = $state.raw<number | null>(null);
  /** The match open in the entry inspector. */
  selected = $state.raw<MatchDetailView | null>(null);
  error = $state.raw<ErrorView | null>(null);
  #api: Bridge;
  #request = 0;
  #selecting = 0;

  constructor(api: Bridge) {
    this.#api = api;
  }

  /** Loads the first page, only `classification` when given. A later call wins. */
  async refresh(classification: Classification | null = this.classification): Promise<void> {
    this.classification = classification;
    const request = ++this.#request;
    const result = await this.#api.invoke('matches:list', classification ? { classification } : {});
    if (request !== this.#request) return;
    if (!result.ok) return void (this.error = result.error);
    this.matches = result.value.matches;
    this.nextBeforeId = result.value.nextBeforeId ?? null;
    this.error = null;
  }

  /** Appends the next (older) page. */
  async more(): Promise<void> {
    if (this.nextBeforeId === null) return;
    const request = ++this.#request;
    const result = await this.#api.invoke('matches:list', {
      ...(this.classification && { classification: this.classification }),
      beforeId: this.nextBeforeId,
    });
    if (request !== this.#request) return;
    if (!result.ok) return void (this.error = result.error);
    this.matches = [...this.matches, ...result.value.matches];
    this.nextBeforeId = result.value.nextBeforeId ?? null;
  }

  /** Opens match `id` in the inspector; the last one asked for wins. */
  async select(id: number): Promise<void> {
    const request = ++this.#selecting;
    const result = await this.#api.invoke('matches:get', id);
    if (request !== this.#selecting) return;
    if (!result.ok) return void (this.error = result.error);
    this.selected = result.value;
    this.error = null;
  }

  /**
   * Writes one match's evidence (a file `vigil verify` re-checks offline, and its manifest) into
   * a folder the app chooses or asks for.
   */
  exportEvidence(id: number): Promise<Result<ExportResult>> {
    return this.#api.invoke('export:match-evidence', id);
  }

  close(): void {
    this.#selecting++;
    this.selected = null;
  }
}
