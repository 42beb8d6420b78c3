// Triage of alerts: acknowledge, mark as expected (teaching the watch what a legitimate signing
// looks like, so the next one like it is recorded without an alert), add a note. Alerts stay
// 'new' until one of these happens.
import { InputError } from '../../core/errors';
import type { CertificateIdentity } from '../../core/identity/types';
import {
  asciiLower,
  buildConfig,
  buildTrigger,
  GITHUB,
  GITLAB,
  sourceRef,
} from '../../core/watch/ci-identity';
import { compilePattern } from '../../core/watch/pattern';
import type { Pattern, Watch, WatchExpectation } from '../../core/watch/types';
import type { Stores } from '../store/index';
import type { Alert, Match, StoredWatch } from '../store/types';

/** What marking a match expected did to its watch. */
export interface ExpectationChange {
  readonly match: Match;
  /** The watch after the change; absent when it was not changed. */
  readonly watch?: StoredWatch;
  /** Values added to the watch's `expect`, per field. */
  readonly added: {
    readonly workflows: string[];
    readonly refs: string[];
    readonly triggers: string[];
  };
  /** Why (part of) this signing could not become an expectation; empty when all of it did. */
  readonly notAdded: string[];
}

/**
 * Acknowledges an alert ("I have seen it"); a match alert's match is acknowledged with it.
 * Audited by the store. Throws InputError NOT_FOUND.
 */
export function acknowledgeAlert(stores: Stores, alertId: number, atMs: number): Alert {
  return stores.alerts.setState(alertId, 'acknowledged', atMs);
}

/**
 * Marks a match alert expected: see markMatchExpected. Throws InputError NOT_FOUND, and
 * INVALID_INPUT for a log alert (log misbehaviour is never expected: acknowledge it).
 */
export function markAlertExpected(
  stores: Stores,
  alertId: number,
  atMs: number,
): { alert: Alert; change: ExpectationChange } {
  const matchId = matchIdOf(stores, alertId, 'marked expected');
  const change = markMatchExpected(stores, matchId, atMs);
  return { alert: stores.alerts.get(alertId)!, change };
}

/**
 * Sets (or with '' removes) the note of an alert: a match alert's is kept on its match, a log
 * alert's on the alert. Returns the alert. Throws InputError NOT_FOUND, INVALID_INPUT for a
 * note over the store's length limit.
 */
export function noteAlert(stores: Stores, alertId: number, note: string, atMs: number): Alert {
  const alert = stores.alerts.get(alertId);
  if (alert === undefined) throw new InputError('NOT_FOUND', `alert ${alertId} not found`);
  if (alert.matchId === undefined) return stores.alerts.setNote(alertId, note, atMs);
  stores.matches.setNote(alert.matchId, note, atMs);
  return alert;
}

/**
 * Triages a match as expected and, in the same transaction, extends its watch's `expect` so a
 * signing like it classifies as expected from now on (see expectationFor): both change or
 * neither does. The match (and its alert) is triaged even when nothing could be added; the
 * result says why. Throws InputError NOT_FOUND for an unknown match.
 */
export function markMatchExpected(
  stores: Stores,
  matchId: number,
  atMs: number,
): ExpectationChange {
  return stores.transaction(() => {
    const match = stores.matches.markExpected(matchId, atMs);
    const watch = stores.watches.get(match.watchName);
    if (watch === undefined) {
      return { match, added: noneAdded(), notAdded: [`watch ${match.watchName} no longer exists`] };
    }
    const { expect, added, notAdded } = expectationFor(watch, match);
    if (expect === undefined) return { match, added, notAdded };
    const updated = stores.watches.update({ ...watchFields(watch), expect }, atMs);
    return { match, watch: updated, added, notAdded };
  });
}

/**
 * The watch's `expect` extended to cover the workflow, ref and trigger of `match`'s signer, or
 * `expect: undefined` when nothing changes. Only github and gitlab watches have expectations,
 * and only a trusted certificate's values are taken (an untrusted one could claim anything).
 * A watch without `expect` gets every field the certificate has; a watch with one gets values
 * added only to the fields it lists, since listing a new field would narrow what it accepts.
 * Values go in as exact patterns, unless a listed pattern already covers them; a value that
 * cannot be written as an exact pattern in a watchlist file (it contains `*` or starts with
 * `regex:`) is left out and reported. Pure.
 */
export function expectationFor(
  watch: Watch,
  match: Match,
): { expect?: WatchExpectation; added: ExpectationChange['added']; notAdded: string[] } {
  const added = noneAdded();
  const notAdded: string[] = [];
  const rule = watch.rule;
  if (rule.kind !== 'github' && rule.kind !== 'gitlab') {
    return { added, notAdded: [`${rule.kind} watches have no expectations`] };
  }
  if (match.classification === 'expected') return { added, notAdded };
  if (match.signer.type !== 'x509' || match.classification === 'untrusted') {
    return {
      added,
      notAdded: ['the certificate is untrusted: its workflow, ref and trigger prove nothing'],
    };
  }
  const signer: CertificateIdentity = match.signer;
  const platform = rule.kind === 'github' ? GITHUB : GITLAB;
  const repository = rule.kind === 'github' ? rule.repository : rule.project;
  const config = buildConfig(platform, signer);
  let workflow = config?.path;
  if (config !== undefined && asciiLower(config.repository) !== asciiLower(repository)) {
    notAdded.push(`workflow ${config.path} is in ${config.repository}, not ${repository}`);
    workflow = undefined;
  }
  const values = {
    workflows: workflow,
    refs: sourceRef(platform, signer),
    triggers: buildTrigger(signer),
  };
  const current = watch.expect;
  const next: { -readonly [K in keyof WatchExpectation]: WatchExpectation[K] } = { ...current };
  for (const field of ['workflows', 'refs', 'triggers'] as const) {
    // A field the watch does not constrain stays unconstrained.
    if (current !== undefined && current[field] === undefined) continue;
    const value = values[field];
    if (value === undefined || value === '') {
      if (field !== 'workflows' || config === undefined)
        notAdded.push(`the certificate has no ${noun(field)}`);
      continue;
    }
    if (field === 'triggers') {
      const triggers = current?.triggers ?? [];
      if (!triggers.includes(value)) {
        next.triggers = [...triggers, value];
        added.triggers.push(value);
      }
      continue;
    }
    const patterns: readonly Pattern[] = current?.[field] ?? [];
    if (patterns.some((p) => compilePattern(p)(value))) continue;
    if (value.includes('*') || value.startsWith('regex:')) {
      notAdded.push(`${noun(field)} ${value} cannot be written as an exact pattern`);
      continue;
    }
    next[field] = [...patterns, { syntax: 'exact', source: value }];
    added[field].push(value);
  }
  const changed = added.workflows.length + added.refs.length + added.triggers.length > 0;
  return changed ? { expect: next, added, notAdded } : { added, notAdded };
}

const noun = (field: 'workflows' | 'refs' | 'triggers') =>
  ({ workflows: 'workflow', refs: 'ref', triggers: 'trigger' })[field];

const noneAdded = (): ExpectationChange['added'] => ({ workflows: [], refs: [], triggers: [] });

/** The Watch fields of a stored watch (the store keeps createdAtMs itself). */
function watchFields(w: StoredWatch): Watch {
  return {
    name: w.name,
    rule: w.rule,
    enabled: w.enabled,
    ...(w.expect === undefined ? {} : { expect: w.expect }),
    ...(w.origins === undefined ? {} : { origins: w.origins }),
  };
}

function matchIdOf(stores: Stores, alertId: number, what: string): number {
  const alert = stores.alerts.get(alertId);
  if (alert === undefined) throw new InputError('NOT_FOUND', `alert ${alertId} not found`);
  if (alert.matchId === undefined) {
    throw new InputError(
      'INVALID_INPUT',
      `alert ${alertId} is a ${alert.kind} alert; only match alerts can be ${what}`,
    );
  }
  return alert.matchId;
}
