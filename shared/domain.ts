// DTOs that cross a boundary (IPC, the web bridge, `vigil ... --json`): plain JSON values only.
import type { ErrorView } from './errors';

export type Classification = 'expected' | 'unexpected' | 'untrusted';
export type TriageState = 'new' | 'acknowledged' | 'expected';
export type AlertKind =
  'match' | 'log-inconsistent' | 'log-stale' | 'verification-failed' | 'health';
export type Severity = 'critical' | 'high' | 'low' | 'info';

/** Something the user must look at: a match, or log misbehaviour. */
export interface AlertView {
  readonly id: number;
  readonly kind: AlertKind;
  readonly severity: Severity;
  /** One line a notification can show. */
  readonly title: string;
  /** A few lines of detail: identity, workflow, ref, reason. */
  readonly body: string;
  readonly origin?: string;
  readonly logIndex?: number;
  readonly watch?: string;
  readonly classification?: Classification;
  readonly raisedAtMs: number;
  readonly state: TriageState;
}

/** Health of one followed log, as `vigil status` and the tray show it. */
export interface LogHealth {
  readonly origin: string;
  readonly apiVersion: 1 | 2;
  readonly state: 'active' | 'retired' | 'finished';
  readonly verifiedTreeSize: number | null;
  readonly verifiedAtMs: number | null;
  readonly nextIndex: number | null;
  readonly backlog: number | null;
  readonly lastError: ErrorView | null;
  readonly paused: boolean;
}
