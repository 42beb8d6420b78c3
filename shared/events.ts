// What the monitor reports while it works. The CLI prints these as JSON lines (`--json`), the
// app forwards them to the renderer, the web bridge over its socket. Plain JSON values only.
import type { CatchUpView } from './activity';
import type { Classification } from './domain';
import type { ErrorCode } from './errors';

export interface CheckpointSummary {
  readonly treeSize: number;
  readonly rootHashHex: string;
  /** The full signed note: the evidence. */
  readonly note: string;
}

export type MonitorEvent =
  | {
      readonly type: 'checkpoint.verified';
      readonly origin: string;
      readonly treeSize: number;
      readonly rootHashHex: string;
      /** Size of the previous verified checkpoint this one was proven consistent with. */
      readonly previousTreeSize: number | null;
    }
  | {
      readonly type: 'consistency.failed';
      readonly origin: string;
      readonly code: ErrorCode;
      readonly message: string;
      /** The stored (trusted) checkpoint, which did not move. */
      readonly stored: CheckpointSummary;
      /** The checkpoint the log served that could not be proven consistent with it. */
      readonly received: CheckpointSummary;
      /** The consistency proof the log served or the tiles yielded, hex; empty when none. */
      readonly proof: readonly string[];
    }
  | {
      readonly type: 'scan.progress';
      readonly origin: string;
      readonly nextIndex: number;
      readonly treeSize: number;
      /** Entries scanned by this run so far. */
      readonly scanned: number;
    }
  | {
      readonly type: 'match';
      readonly origin: string;
      readonly logIndex: number;
      readonly watch: string;
      readonly classification: Classification;
      readonly reason: string;
      readonly matchId: number;
    }
  | {
      readonly type: 'alert.delivered' | 'alert.failed';
      readonly alertId: number;
      readonly channel: string;
      readonly message?: string;
    }
  | { readonly type: 'channel.disabled'; readonly channel: string; readonly reason: string }
  | {
      readonly type: 'trust.loaded';
      readonly source: string;
      readonly state: 'fresh' | 'stale';
      readonly logs: readonly string[];
      readonly staleReason?: { readonly code: ErrorCode; readonly message: string };
    }
  | {
      readonly type: 'error';
      readonly origin?: string;
      readonly code: ErrorCode;
      readonly message: string;
    }
  | { readonly type: 'warning'; readonly origin?: string; readonly message: string }
  /** The first run's catch-up (service.catchUp): the whole state after each batch. */
  | { readonly type: 'catchup.progress'; readonly catchUp: CatchUpView }
  | {
      readonly type: 'summary';
      readonly logs: readonly {
        readonly origin: string;
        readonly scanned: number;
        readonly nextIndex: number | null;
        readonly treeSize: number | null;
      }[];
      readonly matches: Readonly<Record<Classification, number>>;
      readonly integrityFailures: number;
      readonly errors: number;
    };

export type MonitorEventType = MonitorEvent['type'];
