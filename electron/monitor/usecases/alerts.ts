// Alerts: the alert inbox, listed by triage state, and its triage: acknowledge, mark expected
// (teaching the watch), note. Delivery through channels is Monitoring's (after each run).
import type {
  AlertListPage,
  AlertListQuery,
  AlertView,
  ExpectAlertResult,
  ExpectPreview,
} from '../../../shared/domain';
import { toAlertView } from '../alerts/alert-view';
import { previewExpectations } from '../alerts/expect-preview';
import { acknowledgeAlert, markAlertExpected, noteAlert } from '../alerts/triage';
import { MAX_NOTE_LENGTH } from '../store/rows';
import type { Alert } from '../store/types';
import type { UseCaseContext } from './context';
import { optional, readFreeText, readId, readLimit, readRecord, readTriage } from './input';
import { toSignerView } from './matches';
import { toWatchView } from './watchlist';

export class Alerts {
  readonly #ctx: UseCaseContext;

  constructor(ctx: UseCaseContext) {
    this.#ctx = ctx;
  }

  /** Alerts, newest first, optionally in one triage state; keyset page by id. */
  list(query?: AlertListQuery): AlertListPage {
    const q = readRecord(query, 'query', ['state', 'beforeId', 'limit']);
    const page = this.#ctx.stores.alerts.list({
      ...optional(q, 'state', readTriage, 'query'),
      ...optional(q, 'beforeId', readId, 'query'),
      ...optional(q, 'limit', readLimit, 'query'),
    });
    return {
      alerts: page.alerts.map((a) => this.#view(a)),
      ...(page.nextBeforeId !== undefined && { nextBeforeId: page.nextBeforeId }),
    };
  }

  /** "I have seen it"; a match alert's match is acknowledged with it. Throws NOT_FOUND. */
  acknowledge(id: number): AlertView {
    const { stores, now } = this.#ctx;
    return this.#view(acknowledgeAlert(stores, readId(id, 'alert id'), now()));
  }

  /**
   * "This signing was legitimate": triages a match alert as expected and teaches its watch the
   * workflow, ref and trigger (markAlertExpected). Returns what was added to the watch. Throws
   * InputError NOT_FOUND, and INVALID_INPUT for a log alert.
   */
  expect(id: number): ExpectAlertResult {
    const { stores, now } = this.#ctx;
    const { alert, change } = markAlertExpected(stores, readId(id, 'alert id'), now());
    return {
      alert: this.#view(alert),
      ...(change.watch && { watch: toWatchView(change.watch) }),
      added: change.added,
      notAdded: change.notAdded,
    };
  }

  /**
   * What `expect` on each of `ids`, in order, would add to their watches, changing nothing
   * (previewExpectations): shown before "Mark expected" applies. Throws InputError NOT_FOUND.
   */
  previewExpect(ids: readonly number[]): ExpectPreview {
    return previewExpectations(
      this.#ctx.stores,
      ids.map((id) => readId(id, 'alert id')),
    );
  }

  /**
   * Sets (or with '' removes) the note of an alert (a match alert's is kept on its match);
   * returns the alert. Throws InputError NOT_FOUND, INVALID_INPUT for a note over 10 000
   * characters.
   */
  note(id: number, note: string): AlertView {
    const alertId = readId(id, 'alert id');
    const text = readFreeText(note, 'note', MAX_NOTE_LENGTH);
    return this.#view(noteAlert(this.#ctx.stores, alertId, text, this.#ctx.now()));
  }

  #view(alert: Alert): AlertView {
    const match =
      alert.matchId === undefined ? undefined : this.#ctx.stores.matches.getSummary(alert.matchId);
    return {
      ...toAlertView(alert, match),
      ...(alert.matchId !== undefined && { matchId: alert.matchId }),
      ...(match !== undefined && { identity: toSignerView(match.signer), reason: match.reason }),
    };
  }
}
