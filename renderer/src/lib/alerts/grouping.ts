// How the Alerts list is arranged: filtered, then grouped by watch (or by log, for log alerts),
// then by signing identity (workflow@ref), so 50 alerts from one workflow read as one row with
// a count and one decision. Groups needing you most come first. Pure.
import type { AlertView, Severity, SignerView, TriageState } from '../../../../shared/domain';

export interface AlertFilters {
  /** Loaded from the engine by state; null = every state. */
  readonly state: TriageState | null;
  readonly severity: Severity | null;
  /** A watch name, or `log:<origin>` for one log's alerts; null = all. */
  readonly watch: string | null;
  /** Case-insensitive substring of the title, body, watch, origin or note. */
  readonly text: string;
}

export const NO_FILTERS: AlertFilters = { state: 'new', severity: null, watch: null, text: '' };

export interface IdentityGroup {
  readonly key: string;
  /** The identity in one line: `.github/workflows/release.yml@refs/tags/v1` or the SAN. */
  readonly label: string;
  /** Everything the label stands for (the full workflow URI, or every SAN). */
  readonly full: string;
  readonly alerts: readonly AlertView[];
  readonly severity: Severity;
}

export interface AlertGroup {
  /** The watch name, or `log:<origin>`. */
  readonly key: string;
  readonly kind: 'watch' | 'log';
  readonly label: string;
  readonly count: number;
  readonly severity: Severity;
  readonly identities: readonly IdentityGroup[];
}

const RANK: Readonly<Record<Severity, number>> = { critical: 3, high: 2, low: 1, info: 0 };

/** The higher of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The watch (or log) an alert belongs to, as a filter and group key. */
export function groupKeyOf(alert: AlertView): string {
  if (alert.watch !== undefined) return alert.watch;
  return `log:${alert.origin ?? 'unknown'}`;
}

/**
 * The workflow file and ref of a CI signer, short: a Build Config URI
 * `https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1` reads
 * `.github/workflows/release.yml@refs/tags/v1` when the repository is acme/widget's; a
 * workflow in another repository keeps its repository (`other/repo/.github/...`). Without CI
 * facts: the SANs, or the key. Text from a certificate: display only.
 */
export function identityLabel(identity: SignerView): { label: string; full: string } {
  const sans = identity.sans.map((s) => s.value).join(', ');
  if (identity.type === 'publicKey') {
    const key = `key sha256:${identity.spkiSha256Hex}`;
    return { label: key, full: key };
  }
  if (identity.workflow === undefined) return { label: sans || 'no SAN', full: sans };
  let label = identity.workflow;
  const repo = identity.repository;
  if (repo !== undefined && label.toLowerCase().startsWith(`${repo.toLowerCase()}/`)) {
    label = label.slice(repo.length + 1);
  } else {
    label = label.replace(/^https:\/\/[^/]+\//, '');
  }
  // A Build Config URI carries the workflow file's ref; name the source ref when it differs.
  if (identity.ref !== undefined && !label.endsWith(`@${identity.ref}`)) {
    label = `${label} (ref ${identity.ref})`;
  }
  return { label, full: identity.workflow };
}

function identityKey(alert: AlertView): { key: string; label: string; full: string } {
  if (alert.identity === undefined) {
    // Log alerts, and match alerts whose match is gone: grouped by what happened.
    return { key: `title:${alert.title}`, label: alert.title, full: alert.title };
  }
  const { label, full } = identityLabel(alert.identity);
  const id = alert.identity;
  return {
    key: [id.type, id.workflow ?? '', id.ref ?? '', id.trigger ?? '', full, id.chain].join(
      '\u0000',
    ),
    label,
    full,
  };
}

/** True when `alert` passes the client-side filters (state is the engine's). */
export function passes(alert: AlertView, filters: AlertFilters): boolean {
  if (filters.state !== null && alert.state !== filters.state) return false;
  if (filters.severity !== null && alert.severity !== filters.severity) return false;
  if (filters.watch !== null && groupKeyOf(alert) !== filters.watch) return false;
  const text = filters.text.trim().toLowerCase();
  if (text === '') return true;
  return [alert.title, alert.body, alert.watch, alert.origin, alert.note, alert.reason]
    .filter((v): v is string => v !== undefined)
    .some((v) => v.toLowerCase().includes(text));
}

/**
 * The filtered alerts grouped by watch, then identity. Groups and identities are ordered by
 * severity (worst first), then by their newest alert; alerts within an identity newest first.
 */
export function groupAlerts(alerts: readonly AlertView[], filters: AlertFilters): AlertGroup[] {
  const groups = new Map<string, { kind: 'watch' | 'log'; ids: Map<string, IdentityDraft> }>();
  for (const alert of alerts) {
    if (!passes(alert, filters)) continue;
    const key = groupKeyOf(alert);
    let group = groups.get(key);
    if (!group) {
      group = { kind: alert.watch === undefined ? 'log' : 'watch', ids: new Map() };
      groups.set(key, group);
    }
    const ident = identityKey(alert);
    let draft = group.ids.get(ident.key);
    if (!draft) group.ids.set(ident.key, (draft = { ...ident, alerts: [] }));
    draft.alerts.push(alert);
  }
  const result: AlertGroup[] = [];
  for (const [key, group] of groups) {
    const identities = [...group.ids.values()].map(finishIdentity).sort(byNeed);
    result.push({
      key,
      kind: group.kind,
      label: group.kind === 'log' ? `Log ${key.slice(4)}` : key,
      count: identities.reduce((n, i) => n + i.alerts.length, 0),
      severity: identities.map((i) => i.severity).reduce(worse),
      identities,
    });
  }
  return result.sort(
    (a, b) => byNeed(a.identities[0]!, b.identities[0]!) || (a.key < b.key ? -1 : 1),
  );
}

interface IdentityDraft {
  key: string;
  label: string;
  full: string;
  alerts: AlertView[];
}

function finishIdentity(draft: IdentityDraft): IdentityGroup {
  const alerts = [...draft.alerts].sort((a, b) => b.raisedAtMs - a.raisedAtMs || b.id - a.id);
  return { ...draft, alerts, severity: alerts.map((a) => a.severity).reduce(worse) };
}

function byNeed(a: IdentityGroup, b: IdentityGroup): number {
  return RANK[b.severity] - RANK[a.severity] || b.alerts[0]!.raisedAtMs - a.alerts[0]!.raisedAtMs;
}

/** The alerts in the order the list shows them (for up/down and shift-click ranges). */
export function listOrder(groups: readonly AlertGroup[]): AlertView[] {
  return groups.flatMap((g) => g.identities.flatMap((i) => i.alerts));
}
