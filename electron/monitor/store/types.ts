// The domain objects the stores return and accept. Rows never leave a *-store.ts module: each
// store maps them to these shapes. Hashes are Uint8Array, times are epoch milliseconds.
import type { AlertKind, Classification, TriageState } from '../../../shared/domain';
import type { ErrorView } from '../../../shared/errors';
import type { SignerIdentity } from '../../core/identity/types';
import type { Watch } from '../../core/watch/types';

/** A value that survives JSON.stringify/JSON.parse unchanged (no undefined, no bytes). */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// logs

export type ApiVersion = 1 | 2;

/** `retired`: no longer followed (dropped from the trust material); its history is kept. */
export type LogState = 'active' | 'retired';

/** A log as configured from the trust material: what to read, not what was verified. */
export interface LogDescriptorRecord {
  readonly origin: string;
  readonly apiVersion: ApiVersion;
  readonly readUrl: string;
  readonly state: LogState;
  /** Rekor v1 only: the shard's tree ID, canonical decimal (64-bit, so never a number). */
  readonly treeId?: string;
  /** Rekor v1 only: the log index of the shard's first entry (its virtual index offset). */
  readonly indexOffset?: number;
}

/** A followed log with its operational status. */
export interface StoredLog extends LogDescriptorRecord {
  readonly paused: boolean;
  /** The last operational error (fetch, verification), cleared by recordError(origin, null). */
  readonly lastError?: ErrorView;
  readonly lastErrorAtMs?: number;
  /**
   * The key name on the log's own signature line of the last checkpoint verified (schema 3;
   * absent before the first, or when read from an older schema without migrating).
   */
  readonly checkpointKeyName?: string;
  readonly addedAtMs: number;
}

// ---------------------------------------------------------------------------------------------
// checkpoints

/** An accepted checkpoint and the signed note it came in: the evidence. */
export interface StoredCheckpoint {
  readonly origin: string;
  readonly treeSize: number;
  /** 32 bytes. */
  readonly rootHash: Uint8Array;
  /** The full signed note (text + signature lines), exactly as the log served it. */
  readonly signedNote: string;
  /** When this tree size was first verified. */
  readonly verifiedAtMs: number;
}

// ---------------------------------------------------------------------------------------------
// scan cursors and matches

/**
 * Next entry index to scan for a log. Indices here are tree-local (comparable with tree sizes):
 * for Rekor v2 they equal log indices; for a Rekor v1 shard they are shard-local leaf indices.
 */
export interface ScanCursor {
  readonly origin: string;
  readonly nextIndex: number;
  /** Size of the verified tree the scan has been proven against. */
  readonly treeSize: number;
  readonly updatedAtMs: number;
}

/** The checkpoint an inclusion proof was verified against. */
export interface InclusionCheckpoint {
  readonly treeSize: number;
  /** The full signed note of that checkpoint (it need not be a stored checkpoint row). */
  readonly signedNote: string;
}

/** A match as the scan job found it, before it is stored. */
export interface NewMatch {
  /** The log index users see (Rekor v1: the global virtual index). */
  readonly logIndex: number;
  /** Rekor v1 only: the shard-local leaf index (logIndex − the shard's index offset). */
  readonly shardIndex?: number;
  readonly watchName: string;
  /** The entry as logged (Rekor v1: the decoded body; v2: the entry bundle item). */
  readonly entryBytes: Uint8Array;
  /** RFC 6962 leaf hash of entryBytes; the store re-computes and compares it. */
  readonly leafHash: Uint8Array;
  /** Rekor v1 integrated time; Rekor v2 entries carry none. */
  readonly integratedTimeMs?: number;
  readonly checkpoint: InclusionCheckpoint;
  /** The inclusion proof hashes, leaf to root, each 32 bytes. */
  readonly inclusionProof: readonly Uint8Array[];
  /** The signer whose identity matched. */
  readonly signer: SignerIdentity;
  readonly classification: Classification;
  /** One line for people: what matched and why it is classified so. */
  readonly reason: string;
}

/** A stored match with its triage state. */
export interface Match extends NewMatch {
  readonly id: number;
  readonly origin: string;
  readonly triage: TriageState;
  readonly note?: string;
  readonly foundAtMs: number;
  readonly triagedAtMs?: number;
}

/** One batch of scanned entries, committed atomically with the cursor advance. */
export interface ScanBatch {
  readonly origin: string;
  /** First tree-local index scanned (inclusive). Must not be past the cursor. */
  readonly fromIndex: number;
  /** Tree-local index after the last one scanned (exclusive). */
  readonly toIndex: number;
  /** Size of the verified tree the batch was scanned against; toIndex <= treeSize. */
  readonly treeSize: number;
  readonly matches: readonly NewMatch[];
  readonly atMs: number;
  /**
   * Which new matches raise an alert (default unexpected and untrusted; expected matches are
   * recorded, not alerted, unless the user turned that on).
   */
  readonly alertOn?: readonly Classification[];
}

/** What commitScanBatch inserted: only rows that did not exist before. */
export interface ScanCommit {
  readonly cursor: ScanCursor;
  readonly matches: readonly Match[];
  readonly alerts: readonly Alert[];
}

/** Filter and keyset page for listing matches, newest first. */
export interface MatchQuery {
  readonly origin?: string;
  readonly watchName?: string;
  readonly classification?: Classification;
  readonly triage?: TriageState;
  /** Return matches with id < beforeId (the previous page's nextBeforeId). */
  readonly beforeId?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface MatchPage {
  readonly matches: readonly Match[];
  /** Pass as beforeId for the next page; absent on the last page. */
  readonly nextBeforeId?: number;
}

// ---------------------------------------------------------------------------------------------
// watches

/** A watch as stored: the watchlist item plus when it was added. */
export interface StoredWatch extends Watch {
  readonly createdAtMs: number;
}

// ---------------------------------------------------------------------------------------------
// alerts, channels, deliveries (outbox)

/** Alert kinds the store keeps ('health' alerts are only ever sent, e.g. channel tests). */
export type StoredAlertKind = Exclude<AlertKind, 'health'>;

export interface Alert {
  readonly id: number;
  readonly kind: StoredAlertKind;
  /** Unique: raising the same alert twice inserts nothing (matches: `origin|logIndex|watch`). */
  readonly dedupeKey: string;
  readonly origin?: string;
  /** Set exactly for kind 'match'. */
  readonly matchId?: number;
  readonly summary: string;
  /** Integrity alerts: the checkpoints and proof, JSON-safe (hashes as hex or base64). */
  readonly evidence?: JsonValue;
  readonly state: TriageState;
  readonly raisedAtMs: number;
  /** A log alert's note (a match alert's note is on its match). */
  readonly note?: string;
}

/** An integrity alert to raise (match alerts come from commitScanBatch). */
export interface NewAlert {
  readonly kind: Exclude<StoredAlertKind, 'match'>;
  readonly dedupeKey: string;
  readonly origin?: string;
  readonly summary: string;
  readonly evidence?: JsonValue;
  readonly atMs: number;
}

export type ChannelKind = 'desktop' | 'webhook' | 'slack' | 'github-issue';

/** A configured alert destination. Config holds no secrets: those live in the SecretStore. */
export interface ChannelConfig {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly config: JsonValue;
  readonly enabled: boolean;
}

export interface Channel extends ChannelConfig {
  readonly consecutiveFailures: number;
  /** Why the channel was disabled automatically (or by the user); absent while enabled. */
  readonly disabledReason?: string;
}

export type DeliveryState = 'pending' | 'sent' | 'failed';

/** One alert owed to one channel. */
export interface Delivery {
  readonly alert: Alert;
  readonly channel: Channel;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly nextAttemptAtMs: number;
  readonly lastError?: string;
}

/** What markFailed decided, so the caller can surface it after the transaction. */
export interface DeliveryFailure {
  readonly state: 'pending' | 'failed';
  readonly attempts: number;
  /** When the delivery is due again (meaningless once state is 'failed'). */
  readonly nextAttemptAtMs: number;
  /** True when this failure disabled the channel. */
  readonly channelDisabled: boolean;
}

// ---------------------------------------------------------------------------------------------
// audit

/** Audit event kinds, `noun.pastVerb`. Add new kinds here; never rename one (they are hashed). */
export const AUDIT_KINDS = [
  'log.added',
  'log.changed',
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
  'setting.changed',
  'error',
] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface NewAuditEvent {
  readonly kind: AuditKind;
  readonly atMs: number;
  readonly origin?: string;
  readonly treeSize?: number;
  /** Defaults to {}. Stored as JSON text; hashes as hex, never raw bytes. */
  readonly detail?: JsonValue;
}

export interface AuditEvent {
  readonly seq: number;
  readonly atMs: number;
  readonly kind: AuditKind;
  readonly origin?: string;
  readonly treeSize?: number;
  readonly detail: JsonValue;
  /** 32 bytes: the previous event's hash (zeros for seq 1). */
  readonly prevHash: Uint8Array;
  /** 32 bytes: see hashAuditEvent. */
  readonly hash: Uint8Array;
}

/** Filters and keyset page for the audit timeline, newest first. */
export interface AuditQuery {
  readonly kind?: AuditKind;
  readonly origin?: string;
  /** Inclusive lower bound on atMs. */
  readonly fromMs?: number;
  /** Exclusive upper bound on atMs. */
  readonly toMs?: number;
  /**
   * Case-insensitive (ASCII) substring of the detail JSON or the origin. Not indexed: it scans
   * the rows the other filters leave, so pair it with a time range on large logs.
   */
  readonly text?: string;
  /** Return events with seq < beforeSeq (the previous page's nextBeforeSeq). */
  readonly beforeSeq?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface AuditPage {
  readonly events: readonly AuditEvent[];
  /** Pass as beforeSeq for the next page; absent on the last page. */
  readonly nextBeforeSeq?: number;
}
