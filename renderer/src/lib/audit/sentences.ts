// One readable sentence per audit event kind ("Checkpoint 1,633,569,325 of rekor.sigstore.dev
// verified, consistent with 1,633,500,000"), with an icon and a tone. The detail is data the
// engine wrote (electron/monitor/store/*: every audit.append); values inside it may come from a
// log or a certificate, so they are only ever interpolated as text. A kind this renderer does not
// know reads "<kind> recorded" rather than failing.
import type { Component } from 'svelte';
import Bell from '@lucide/svelte/icons/bell';
import BellOff from '@lucide/svelte/icons/bell-off';
import CircleCheck from '@lucide/svelte/icons/circle-check';
import CircleX from '@lucide/svelte/icons/circle-x';
import Eye from '@lucide/svelte/icons/eye';
import ListChecks from '@lucide/svelte/icons/list-checks';
import MessageSquare from '@lucide/svelte/icons/message-square';
import OctagonAlert from '@lucide/svelte/icons/octagon-alert';
import ScanLine from '@lucide/svelte/icons/scan-line';
import Send from '@lucide/svelte/icons/send';
import Server from '@lucide/svelte/icons/server';
import Settings from '@lucide/svelte/icons/settings';
import ShieldCheck from '@lucide/svelte/icons/shield-check';
import type { AuditEventView, JsonValue } from '../../../../shared/domain';
import { formatCount } from '../format';

export type EventTone = 'ok' | 'info' | 'high' | 'critical' | 'neutral';

export interface EventLook {
  readonly sentence: string;
  readonly icon: Component<{ size?: number }>;
  readonly tone: EventTone;
}

type Detail = { readonly [key: string]: JsonValue };

const asDetail = (d: JsonValue): Detail =>
  d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Detail) : {};
const str = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;
const num = (v: JsonValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
/** The log's host: `rekor.sigstore.dev - 1193…` reads `rekor.sigstore.dev`. */
const logName = (origin: string | undefined): string =>
  origin === undefined ? 'a log' : (origin.split(' ')[0] ?? origin);

/** The kinds the engine writes, for the timeline's kind filter. */
export const AUDIT_KINDS: readonly string[] = [
  'checkpoint.verified',
  'consistency.proven',
  'consistency.failed',
  'verification.failed',
  'scan.started',
  'scan.advanced',
  'match.found',
  'match.triaged',
  'match.noted',
  'alert.raised',
  'alert.triaged',
  'alert.noted',
  'alert.delivered',
  'delivery.failed',
  'channel.configured',
  'channel.enabled',
  'channel.disabled',
  'channel.removed',
  'watch.added',
  'watch.changed',
  'watch.removed',
  'log.added',
  'log.changed',
  'setting.changed',
  'error',
];

/** The sentence, icon and tone of one audit event. */
export function describeEvent(event: AuditEventView): EventLook {
  const d = asDetail(event.detail);
  const log = logName(event.origin);
  const size = formatCount(event.treeSize);
  switch (event.kind) {
    case 'checkpoint.verified': {
      const previous = num(d['previousTreeSize']);
      const tail =
        d['unchanged'] === true
          ? ', unchanged'
          : previous === undefined
            ? ', the first from this log'
            : `, consistent with ${formatCount(previous)}`;
      return {
        sentence: `Checkpoint ${size} of ${log} verified${tail}`,
        icon: ShieldCheck,
        tone: 'ok',
      };
    }
    case 'consistency.proven':
      return {
        sentence: `${log} proven consistent from ${formatCount(num(d['fromTreeSize']))} to ${size}`,
        icon: ShieldCheck,
        tone: 'ok',
      };
    case 'consistency.failed':
      return {
        sentence: `${log} served checkpoint ${size} that is not consistent with what it showed before`,
        icon: OctagonAlert,
        tone: 'critical',
      };
    case 'verification.failed':
      return {
        sentence: `Verification failed for ${log}: ${str(d['message']) ?? str(d['code']) ?? 'see detail'}`,
        icon: OctagonAlert,
        tone: 'critical',
      };
    case 'scan.started':
      return {
        sentence: `Started scanning ${log} at entry ${formatCount(num(d['nextIndex']))}`,
        icon: ScanLine,
        tone: 'info',
      };
    case 'scan.advanced': {
      const from = num(d['fromIndex']);
      const to = num(d['toIndex']);
      const found = num(d['newMatches']) ?? 0;
      const count = from !== undefined && to !== undefined ? to - from : undefined;
      return {
        sentence:
          `Scanned ${count === undefined ? 'entries' : `${formatCount(count)} entries`} of ${log}` +
          (from !== undefined && to !== undefined
            ? ` (${formatCount(from)}–${formatCount(to)})`
            : '') +
          (found > 0
            ? `, ${formatCount(found)} new match${found === 1 ? '' : 'es'}`
            : ', nothing matched'),
        icon: ScanLine,
        tone: 'neutral',
      };
    }
    case 'match.found':
      return {
        sentence: `Entry ${formatCount(num(d['logIndex']))} of ${log} matched ${str(d['watch']) ?? 'a watch'}${str(d['classification']) ? ` (${str(d['classification'])})` : ''}`,
        icon: Eye,
        tone: d['classification'] === 'unexpected' ? 'high' : 'info',
      };
    case 'match.triaged':
      return {
        sentence: `Match ${formatCount(num(d['matchId']))} of ${str(d['watch']) ?? 'a watch'} marked ${str(d['triage']) ?? 'triaged'}`,
        icon: CircleCheck,
        tone: 'neutral',
      };
    case 'match.noted':
    case 'alert.noted': {
      const what =
        event.kind === 'match.noted'
          ? `match ${formatCount(num(d['matchId']))}`
          : `alert ${formatCount(num(d['alertId']))}`;
      return {
        sentence: str(d['note']) ? `Note saved on ${what}` : `Note removed from ${what}`,
        icon: MessageSquare,
        tone: 'neutral',
      };
    }
    case 'alert.raised':
      return {
        sentence:
          `Alert ${formatCount(num(d['alertId']))} raised: ${str(d['summary']) ?? str(d['kind']) ?? ''}`.trim(),
        icon: Bell,
        tone: d['kind'] === 'match' ? 'high' : 'critical',
      };
    case 'alert.triaged':
      return {
        sentence: `Alert ${formatCount(num(d['alertId']))} ${str(d['state']) ?? 'triaged'}`,
        icon: CircleCheck,
        tone: 'neutral',
      };
    case 'alert.delivered':
      return {
        sentence: `Alert ${formatCount(num(d['alertId']))} delivered through ${str(d['channel']) ?? 'a channel'}`,
        icon: Send,
        tone: 'ok',
      };
    case 'delivery.failed':
      return {
        sentence: `Sending alert ${formatCount(num(d['alertId']))} through ${str(d['channel']) ?? 'a channel'} failed${d['final'] === true ? ' for good' : ', will retry'}: ${str(d['error']) ?? ''}`,
        icon: CircleX,
        tone: 'high',
      };
    case 'channel.configured':
      return {
        sentence: `Channel ${str(d['name']) ?? ''} (${str(d['kind']) ?? ''}) configured`,
        icon: Settings,
        tone: 'neutral',
      };
    case 'channel.enabled':
      return { sentence: `Channel ${str(d['name']) ?? ''} enabled`, icon: Bell, tone: 'neutral' };
    case 'channel.disabled':
      return {
        sentence: `Channel ${str(d['name']) ?? ''} disabled: ${str(d['reason']) ?? ''}`,
        icon: BellOff,
        tone: 'high',
      };
    case 'channel.removed':
      return {
        sentence: `Channel ${str(d['name']) ?? ''} removed`,
        icon: Settings,
        tone: 'neutral',
      };
    case 'watch.added':
    case 'watch.changed':
    case 'watch.removed':
      return {
        sentence: `Watch ${str(d['name']) ?? ''} ${event.kind.slice(6)}`,
        icon: ListChecks,
        tone: 'neutral',
      };
    case 'log.added':
      return { sentence: `Started following ${log}`, icon: Server, tone: 'info' };
    case 'log.changed':
      return { sentence: `${log} changed in the trust material`, icon: Server, tone: 'info' };
    case 'setting.changed':
      return {
        sentence: `Setting ${str(d['key']) ?? ''} changed`,
        icon: Settings,
        tone: 'neutral',
      };
    case 'error':
      return {
        sentence: `Error on ${log}: ${str(d['message']) ?? str(d['code']) ?? 'see detail'}`,
        icon: CircleX,
        tone: 'high',
      };
    default:
      return { sentence: `${event.kind} recorded`, icon: Settings, tone: 'neutral' };
  }
}
