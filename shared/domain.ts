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
  /** Match alerts: the match (MonitorService.getMatch) with the evidence. */
  readonly matchId?: number;
  /** Match alerts, in the app and `vigil serve` (not in channel payloads): who signed. */
  readonly identity?: SignerView;
  /** Match alerts, with identity: why the entry matched and how it was classified. */
  readonly reason?: string;
  readonly raisedAtMs: number;
  readonly state: TriageState;
  /** Your note (a match alert's is its match's). */
  readonly note?: string;
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
  /**
   * The key name on the log's own signature line of its last verified checkpoint (Rekor v1:
   * whatever its operator configured; Rekor v2: the origin), or null before the first.
   */
  readonly checkpointKeyName: string | null;
}

// ---------------------------------------------------------------------------------------------
// What the use cases of MonitorService return (electron/monitor/usecases/). Hashes are
// lowercase hex, times epoch ms, bytes base64: nothing here is a Uint8Array.

/** A value that survives JSON.stringify/JSON.parse unchanged. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The trust material the monitor last loaded ("trust root stale" when state is 'stale'). */
export interface TrustStateView {
  /** tuf: refreshed now; tuf-cache: the last good refresh; file: --trusted-root; seed: shipped. */
  readonly source: 'tuf' | 'tuf-cache' | 'file' | 'seed';
  readonly state: 'fresh' | 'stale';
  readonly staleReason?: ErrorView;
  /** When the material in use was last fetched and verified from the TUF mirror. */
  readonly refreshedAtMs?: number;
}

/** What `vigil status` and the tray show. */
export interface StatusView {
  readonly dataDir: string;
  /** null until the monitor has loaded trust material once (any process on this data dir). */
  readonly trust: TrustStateView | null;
  readonly logs: readonly LogHealth[];
  readonly watches: number;
  readonly alerts: { readonly new: number };
  /** Continuous monitoring is paused in this process. */
  readonly paused: boolean;
}

export type SanType = 'email' | 'uri' | 'otherName' | 'dns' | 'ip';

/**
 * Who signed, in short. Every string is attacker-controlled certificate text: display it as
 * text (never HTML) and strip control and bidi characters before showing it in a terminal.
 */
export interface SignerView {
  readonly type: 'x509' | 'publicKey';
  /** Certificate SANs; empty for a public key. */
  readonly sans: readonly { readonly type: SanType; readonly value: string }[];
  readonly issuer?: string;
  readonly repository?: string;
  readonly workflow?: string;
  readonly ref?: string;
  readonly trigger?: string;
  readonly certSha256Hex?: string;
  /** SHA-256 of the SubjectPublicKeyInfo: the key fingerprint. */
  readonly spkiSha256Hex: string;
  /** 'n/a' for a public key (there is no chain to check). */
  readonly chain: 'trusted' | 'untrusted' | 'n/a';
  readonly chainProblem?: string;
  readonly keyFormat?: 'spki' | 'pgp' | 'minisign' | 'ssh';
}

/** Everything the entry's signer states, for the entry inspector. */
export type SignerDetailView =
  | {
      readonly type: 'x509';
      readonly location: string;
      readonly sans: readonly { readonly type: SanType; readonly value: string }[];
      readonly issuer?: string;
      /** Fulcio extensions by dotted OID. */
      readonly extensions: Readonly<
        Record<string, { readonly name: string; readonly value: string }>
      >;
      readonly subjectDn: string;
      readonly issuerDn: string;
      readonly serialHex: string;
      readonly notBeforeMs: number;
      readonly notAfterMs: number;
      readonly certSha256Hex: string;
      readonly spkiSha256Hex: string;
      readonly chain: 'trusted' | 'untrusted';
      readonly chainProblem?: string;
    }
  | {
      readonly type: 'publicKey';
      readonly location: string;
      readonly keyFormat: 'spki' | 'pgp' | 'minisign' | 'ssh';
      readonly spkiSha256Hex: string;
      readonly chain: 'n/a';
    };

/** A match: an entry that mentions a watched identity, with its triage state. */
export interface MatchView {
  readonly id: number;
  readonly origin: string;
  /** The index users see (Rekor v1: the global virtual index). */
  readonly logIndex: number;
  /** Rekor v1 only: the shard-local leaf index. */
  readonly shardIndex?: number;
  readonly watch: string;
  readonly classification: Classification;
  readonly reason: string;
  readonly triage: TriageState;
  readonly note?: string;
  readonly foundAtMs: number;
  readonly triagedAtMs?: number;
  /** Rekor v1 only. */
  readonly integratedTimeMs?: number;
  readonly identity: SignerView;
  readonly leafHashHex: string;
}

/** A match with what proves the entry is in the log, as `vigil verify` re-checks it. */
export interface MatchDetailView extends MatchView {
  readonly signer: SignerDetailView;
  readonly evidence: {
    /** The entry exactly as logged. */
    readonly entryBase64: string;
    /** Leaf to root; the proof is for the tree-local index (shardIndex ?? logIndex). */
    readonly inclusionProofHex: readonly string[];
    /** The signed checkpoint note the proof leads to. */
    readonly checkpointNote: string;
    readonly checkpointTreeSize: number;
  };
}

/** Filters and keyset page for listing matches, newest first. */
export interface MatchListQuery {
  readonly origin?: string;
  readonly watch?: string;
  readonly classification?: Classification;
  readonly triage?: TriageState;
  /** The previous page's nextBeforeId. */
  readonly beforeId?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface MatchListPage {
  readonly matches: readonly MatchView[];
  /** Absent on the last page. */
  readonly nextBeforeId?: number;
}

export type WatchKind = 'github' | 'gitlab' | 'email' | 'san' | 'oid' | 'key';

/**
 * One watchlist item in the watchlist file's JSON shape (README "Watchlist"): exactly one of the
 * kind keys, plus that kind's options and the common fields. What watchlist.add accepts.
 */
export interface WatchItem {
  readonly github?: string;
  readonly gitlab?: string;
  readonly email?: string;
  readonly issuers?: readonly string[];
  readonly san?: string;
  readonly issuer?: string;
  readonly oid?: string;
  readonly value?: string;
  readonly key?: string;
  readonly name?: string;
  readonly expect?: {
    readonly workflows?: readonly string[];
    readonly refs?: readonly string[];
    readonly triggers?: readonly string[];
  };
  readonly enabled?: boolean;
  readonly origins?: readonly string[];
}

export interface WatchView {
  readonly name: string;
  readonly kind: WatchKind;
  /** What is watched, in one line: owner/repo, address, SAN pattern, OID=value, key hex. */
  readonly target: string;
  readonly enabled: boolean;
  /** The item as a watchlist file holds it, with its name: edit it and watchlist.add it back. */
  readonly item: WatchItem;
  readonly createdAtMs: number;
}

/** What an import or replacement changed, by watch name. */
export interface WatchlistChange {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** A rekor-monitor config converted into a watchlist file, not yet imported. */
export interface RekorMonitorConversion {
  /** The watchlist file (YAML), for `watchlist:import`. */
  readonly yaml: string;
  /** One line per item converted inexactly, or not at all (path-qualified). */
  readonly notes: readonly string[];
}

/** Filters and keyset page for listing alerts, newest first. */
export interface AlertListQuery {
  readonly state?: TriageState;
  readonly beforeId?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface AlertListPage {
  readonly alerts: readonly AlertView[];
  readonly nextBeforeId?: number;
}

/** What marking an alert expected did: the alert, and what its watch now accepts. */
export interface ExpectAlertResult {
  readonly alert: AlertView;
  /** The watch after the change; absent when nothing was added. */
  readonly watch?: WatchView;
  /** Exact values added to the watch's expect, per field. */
  readonly added: {
    readonly workflows: readonly string[];
    readonly refs: readonly string[];
    readonly triggers: readonly string[];
  };
  /** Why (part of) the signing could not become an expectation. */
  readonly notAdded: readonly string[];
}

/** What marking some alerts expected would do, per watch, before it is done. */
export interface ExpectPreview {
  readonly watches: readonly {
    readonly watch: string;
    /** The alerts that would teach this watch. */
    readonly alertIds: readonly number[];
    /** Values that would join the watch's expect, per field (exact patterns). */
    readonly added: ExpectAlertResult['added'];
    readonly notAdded: readonly string[];
  }[];
  /** Alerts that would not be marked (log alerts, already triaged), each with why. */
  readonly skipped: readonly { readonly alertId: number; readonly why: string }[];
}

export type ChannelKind = 'desktop' | 'webhook' | 'slack' | 'github-issue';

/** A channel's settings: names of secrets, never their values. */
export interface ChannelSettingsView {
  /** webhook: where alerts are POSTed. */
  readonly url?: string;
  /** webhook: the secret holding the HMAC key (unsigned without one). */
  readonly secretName?: string;
  /** slack: the secret holding the incoming-webhook URL. */
  readonly urlSecret?: string;
  /** github-issue: owner/repo. */
  readonly repo?: string;
  /** github-issue: the secret holding the token. */
  readonly tokenSecret?: string;
  /** github-issue: API root (GitHub Enterprise). */
  readonly apiUrl?: string;
  readonly labels?: readonly string[];
}

export interface ChannelView {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly enabled: boolean;
  readonly settings: ChannelSettingsView;
  readonly consecutiveFailures: number;
  /** Why it was disabled (automatically or by the user). */
  readonly disabledReason?: string;
  /** Set when the stored config no longer validates: the channel cannot send. */
  readonly configProblem?: string;
}

/** What addChannel accepts; `config` is validated per kind (names secrets, never holds them). */
export interface NewChannel {
  readonly name: string;
  readonly kind: ChannelKind;
  readonly config: JsonValue;
}

export type ExportFormat = 'csv' | 'jsonl' | 'evidence';

export interface ExportRequest {
  readonly format: ExportFormat;
  /** Absolute path of the directory to write into (created if missing). */
  readonly dir: string;
}

export interface ExportedFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256Hex: string;
}

export interface ExportResult {
  /** The exported files (absolute paths), without the manifest. */
  readonly files: readonly ExportedFile[];
  /** Absolute path of manifest.json, which lists every file with its SHA-256. */
  readonly manifest: string;
}

/** Filters and keyset page for the audit timeline, newest first. */
export interface AuditPageQuery {
  /** An audit event kind, `noun.pastVerb` (e.g. checkpoint.verified). */
  readonly kind?: string;
  readonly origin?: string;
  /** Inclusive. */
  readonly fromMs?: number;
  /** Exclusive. */
  readonly toMs?: number;
  /** Case-insensitive substring of the detail or the origin. */
  readonly text?: string;
  readonly beforeSeq?: number;
  /** 1..500, default 50. */
  readonly limit?: number;
}

export interface AuditEventView {
  readonly seq: number;
  readonly atMs: number;
  readonly kind: string;
  readonly origin?: string;
  readonly treeSize?: number;
  readonly detail: JsonValue;
  readonly prevHashHex: string;
  readonly hashHex: string;
}

export interface AuditPageView {
  readonly events: readonly AuditEventView[];
  readonly nextBeforeSeq?: number;
}

/** The audit chain re-check: intact with its head, or where it breaks. */
export type AuditVerifyView =
  | {
      readonly intact: true;
      readonly events: number;
      /** Record it elsewhere: removing the newest events leaves a valid chain. */
      readonly head: { readonly seq: number; readonly hashHex: string } | null;
    }
  | { readonly intact: false; readonly brokenAtSeq: number; readonly reason: string };
