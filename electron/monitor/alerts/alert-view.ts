// Stored alerts as the AlertView DTO that channels send and the renderer shows.
import type { AlertView, Classification, Severity } from '../../../shared/domain';
import type { Alert, Match, StoredAlertKind } from '../store/types';
import { displayText, signerFacts } from './signer-facts';

/**
 * Log misbehaviour is critical: it is what Vigil exists to catch. An unexpected signing is
 * high; an untrusted one (a self-made certificate claiming the identity) is low but visible.
 * A stale log may be a freeze attack or an outage: low until it is shown to be more.
 */
const KIND_SEVERITY: Readonly<Record<Exclude<StoredAlertKind, 'match'>, Severity>> = {
  'log-inconsistent': 'critical',
  'verification-failed': 'critical',
  'log-stale': 'low',
};

const MATCH_SEVERITY: Readonly<Record<Classification, Severity>> = {
  unexpected: 'high',
  untrusted: 'low',
  expected: 'info',
};

/** What an alert's view reads of its match (a Match or a MatchSummary: never the evidence). */
export type AlertMatch = Pick<
  Match,
  'id' | 'classification' | 'watchName' | 'logIndex' | 'note' | 'signer' | 'reason'
>;

/**
 * The AlertView of a stored alert. For a match alert pass its match (stores.matches.getSummary
 * is enough: the evidence is not read): the body then lists the signer's identity, repository,
 * workflow, ref, trigger and the reason; without it the body is the stored summary and the severity is high (the louder guess).
 * Identity text is attacker-controlled: every value is passed through displayText, so a
 * certificate cannot forge lines in a notification. Pure.
 */
export function toAlertView(alert: Alert, match?: AlertMatch): AlertView {
  const common = {
    id: alert.id,
    kind: alert.kind,
    raisedAtMs: alert.raisedAtMs,
    state: alert.state,
    ...(alert.origin === undefined ? {} : { origin: alert.origin }),
  };
  if (alert.kind !== 'match') {
    const where = alert.origin === undefined ? 'a log' : `log ${displayText(alert.origin)}`;
    const titles: Record<typeof alert.kind, string> = {
      'log-inconsistent': `${where} is inconsistent`,
      'verification-failed': `verification failed for ${where}`,
      'log-stale': `${where} has not advanced`,
    };
    return {
      ...common,
      severity: KIND_SEVERITY[alert.kind],
      title: titles[alert.kind],
      body: displayText(alert.summary, 1000),
      ...(alert.note !== undefined && { note: alert.note }),
    };
  }
  if (match === undefined || match.id !== alert.matchId) {
    return {
      ...common,
      severity: 'high',
      title: 'signing matched a watch',
      body: displayText(alert.summary, 1000),
    };
  }
  return {
    ...common,
    severity: MATCH_SEVERITY[match.classification],
    title: `${match.classification} signing for ${displayText(match.watchName, 100)}`,
    body: matchBody(match),
    logIndex: match.logIndex,
    watch: match.watchName,
    classification: match.classification,
    ...(match.note !== undefined && { note: match.note }),
  };
}

function matchBody(match: AlertMatch): string {
  const facts = signerFacts(match.signer);
  const lines: [string, string | undefined][] = [
    ['identity', facts.identity + (facts.issuer === undefined ? '' : ` (issuer ${facts.issuer})`)],
    ['repository', facts.repository],
    ['workflow', facts.workflow],
    ['ref', facts.ref],
    ['trigger', facts.trigger],
    ['reason', match.reason],
  ];
  return lines
    .filter((line): line is [string, string] => line[1] !== undefined)
    .map(([label, value]) => `${label}: ${displayText(value, label === 'reason' ? 500 : 200)}`)
    .join('\n');
}
