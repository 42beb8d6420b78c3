// "Show the consequence": what marking alerts expected would add to their watches, computed
// exactly as markAlertExpected would (expectationFor, applied in order, so a value the first
// alert adds is not counted again for the next), with nothing written.
import type { ExpectPreview } from '../../../shared/domain';
import { InputError } from '../../core/errors';
import type { Watch } from '../../core/watch/types';
import type { Stores } from '../store/index';
import { expectationFor } from './triage';

type WatchPreview = {
  watch: string;
  alertIds: number[];
  added: { workflows: string[]; refs: string[]; triggers: string[] };
  notAdded: string[];
};

/**
 * The preview of marking `alertIds` expected, in that order. Log alerts and alerts already
 * expected are skipped with the reason. Reads the stores only. Throws InputError NOT_FOUND for
 * an unknown alert (checked before anything is computed).
 */
export function previewExpectations(stores: Stores, alertIds: readonly number[]): ExpectPreview {
  const alerts = alertIds.map((id) => {
    const alert = stores.alerts.get(id);
    if (alert === undefined) throw new InputError('NOT_FOUND', `alert ${id} not found`);
    return alert;
  });
  const simulated = new Map<string, Watch>();
  const previews = new Map<string, WatchPreview>();
  const skipped: { alertId: number; why: string }[] = [];
  for (const alert of alerts) {
    if (alert.matchId === undefined) {
      skipped.push({ alertId: alert.id, why: 'log alerts are acknowledged, never expected' });
      continue;
    }
    if (alert.state === 'expected') {
      skipped.push({ alertId: alert.id, why: 'already marked expected' });
      continue;
    }
    const match = stores.matches.get(alert.matchId);
    if (match === undefined) {
      skipped.push({ alertId: alert.id, why: `match ${alert.matchId} not found` });
      continue;
    }
    let preview = previews.get(match.watchName);
    if (!preview) {
      preview = {
        watch: match.watchName,
        alertIds: [],
        added: { workflows: [], refs: [], triggers: [] },
        notAdded: [],
      };
      previews.set(match.watchName, preview);
    }
    preview.alertIds.push(alert.id);
    const watch = simulated.get(match.watchName) ?? stores.watches.get(match.watchName);
    if (watch === undefined) {
      addOnce(preview.notAdded, [`watch ${match.watchName} no longer exists`]);
      continue;
    }
    const { expect, added, notAdded } = expectationFor(watch, match);
    if (expect !== undefined) simulated.set(match.watchName, { ...watch, expect });
    addOnce(preview.added.workflows, added.workflows);
    addOnce(preview.added.refs, added.refs);
    addOnce(preview.added.triggers, added.triggers);
    addOnce(preview.notAdded, notAdded);
  }
  return { watches: [...previews.values()], skipped };
}

function addOnce(into: string[], values: readonly string[]): void {
  for (const v of values) if (!into.includes(v)) into.push(v);
}
