// Stored domain objects as the DTOs MonitorService returns (shared/domain.ts): plain JSON, hashes
// as lowercase hex, bytes as base64, and only the fields each view lists (a new field on a
// store type never leaks through by accident).
import type {
  AuditEventView,
  ChannelSettingsView,
  ChannelView,
  LogHealth,
  MatchDetailView,
  MatchView,
  SignerDetailView,
  SignerView,
  WatchItem,
  WatchView,
} from '../../shared/domain';
import { encodeBase64, encodeHex } from '../core/bytes';
import { AppError } from '../core/errors';
import type { SignerIdentity } from '../core/identity/types';
import { formatPattern } from '../core/watch/pattern';
import type { Watch, WatchRule } from '../core/watch/types';
import { formatWatchlist } from '../core/watch/watchlist';
import { validateChannelConfig } from './alerts/channel-config';
import { signerFacts } from './alerts/signer-facts';
import type {
  AuditEvent,
  Channel,
  Match,
  ScanCursor,
  StoredCheckpoint,
  StoredLog,
  StoredWatch,
} from './store/types';

/** The short view of a signer: SANs, issuer, CI facts and fingerprints. */
export function toSignerView(signer: SignerIdentity): SignerView {
  if (signer.type === 'publicKey') {
    return {
      type: 'publicKey',
      sans: [],
      spkiSha256Hex: signer.spkiSha256Hex,
      chain: 'n/a',
      keyFormat: signer.keyFormat,
    };
  }
  const facts = signerFacts(signer);
  return {
    type: 'x509',
    sans: signer.sans.map((san) => ({ type: san.type, value: san.value })),
    ...defined({
      issuer: facts.issuer,
      repository: facts.repository,
      workflow: facts.workflow,
      ref: facts.ref,
      trigger: facts.trigger,
    }),
    certSha256Hex: signer.certSha256Hex,
    spkiSha256Hex: signer.spkiSha256Hex,
    chain: signer.chain,
    ...defined({ chainProblem: signer.chainProblem }),
  };
}

/** Every field the signer states, extensions included. */
export function toSignerDetailView(signer: SignerIdentity): SignerDetailView {
  if (signer.type === 'publicKey') {
    return {
      type: 'publicKey',
      location: signer.location,
      keyFormat: signer.keyFormat,
      spkiSha256Hex: signer.spkiSha256Hex,
      chain: 'n/a',
    };
  }
  return {
    type: 'x509',
    location: signer.location,
    sans: signer.sans.map((san) => ({ type: san.type, value: san.value })),
    ...defined({ issuer: signer.issuer }),
    extensions: Object.fromEntries(
      Object.entries(signer.extensions).map(([oid, e]) => [oid, { name: e.name, value: e.value }]),
    ),
    subjectDn: signer.subjectDn,
    issuerDn: signer.issuerDn,
    serialHex: signer.serialHex,
    notBeforeMs: signer.notBeforeMs,
    notAfterMs: signer.notAfterMs,
    certSha256Hex: signer.certSha256Hex,
    spkiSha256Hex: signer.spkiSha256Hex,
    chain: signer.chain,
    ...defined({ chainProblem: signer.chainProblem }),
  };
}

export function toMatchView(m: Match): MatchView {
  return {
    id: m.id,
    origin: m.origin,
    logIndex: m.logIndex,
    ...defined({ shardIndex: m.shardIndex }),
    watch: m.watchName,
    classification: m.classification,
    reason: m.reason,
    triage: m.triage,
    ...defined({ note: m.note }),
    foundAtMs: m.foundAtMs,
    ...defined({ triagedAtMs: m.triagedAtMs, integratedTimeMs: m.integratedTimeMs }),
    identity: toSignerView(m.signer),
    leafHashHex: encodeHex(m.leafHash),
  };
}

/** The match with its signer in full and the evidence that the entry is in the log. */
export function toMatchDetailView(m: Match): MatchDetailView {
  return {
    ...toMatchView(m),
    signer: toSignerDetailView(m.signer),
    evidence: {
      entryBase64: encodeBase64(m.entryBytes),
      inclusionProofHex: m.inclusionProof.map(encodeHex),
      checkpointNote: m.checkpoint.signedNote,
      checkpointTreeSize: m.checkpoint.treeSize,
    },
  };
}

/**
 * A watch with its watchlist-file form. The item always carries the name (formatWatchlist
 * leaves derived names out), so it round-trips through addWatch unchanged.
 */
export function toWatchView(w: StoredWatch): WatchView {
  return {
    name: w.name,
    kind: w.rule.kind,
    target: watchTarget(w.rule),
    enabled: w.enabled,
    item: { ...watchItem(w), name: w.name },
    createdAtMs: w.createdAtMs,
  };
}

/** The watch as one item of a watchlist file (the JSON shape validateWatchlist reads). */
export function watchItem(w: Watch): WatchItem {
  const text = formatWatchlist({ version: 1, watches: [watchFields(w)] }, 'json');
  // formatWatchlist writes JSON.stringify output: parsing it back cannot fail.
  return (JSON.parse(text) as { watches: WatchItem[] }).watches[0]!;
}

/** The Watch fields of a stored watch, without its creation time. */
export function watchFields(w: Watch): Watch {
  return {
    name: w.name,
    rule: w.rule,
    enabled: w.enabled,
    ...defined({ expect: w.expect, origins: w.origins }),
  };
}

function watchTarget(rule: WatchRule): string {
  switch (rule.kind) {
    case 'github':
      return rule.repository;
    case 'gitlab':
      return rule.project;
    case 'email':
      return rule.address;
    case 'san':
      return formatPattern(rule.pattern);
    case 'oid':
      return `${rule.oid}=${rule.value}`;
    case 'key':
      return rule.spkiSha256Hex;
  }
}

/**
 * A channel with its settings as validateChannelConfig reads them: only the keys each kind
 * allows, which name secrets but never hold them. A stored config that no longer validates is
 * shown with no settings and the problem.
 */
export function toChannelView(c: Channel): ChannelView {
  let settings: ChannelSettingsView = {};
  let configProblem: string | undefined;
  try {
    const { kind: _kind, ...rest } = validateChannelConfig(c.kind, c.config);
    settings = rest;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    configProblem = err.message;
  }
  return {
    name: c.name,
    kind: c.kind,
    enabled: c.enabled,
    settings,
    consecutiveFailures: c.consecutiveFailures,
    ...defined({ disabledReason: c.disabledReason, configProblem }),
  };
}

export function toAuditEventView(e: AuditEvent): AuditEventView {
  return {
    seq: e.seq,
    atMs: e.atMs,
    kind: e.kind,
    ...defined({ origin: e.origin, treeSize: e.treeSize }),
    detail: e.detail,
    prevHashHex: encodeHex(e.prevHash),
    hashHex: encodeHex(e.hash),
  };
}

/**
 * A log's health from its stored row, latest checkpoint and scan cursor. A retired log whose
 * every verified entry has been scanned is 'finished': nothing more will happen to it.
 */
export function toLogHealth(
  log: StoredLog,
  checkpoint: StoredCheckpoint | undefined,
  cursor: ScanCursor | undefined,
): LogHealth {
  const verifiedTreeSize = checkpoint?.treeSize ?? null;
  const nextIndex = cursor?.nextIndex ?? null;
  const backlog =
    verifiedTreeSize === null || nextIndex === null
      ? null
      : Math.max(0, verifiedTreeSize - nextIndex);
  return {
    origin: log.origin,
    apiVersion: log.apiVersion,
    state: log.state === 'retired' && backlog === 0 ? 'finished' : log.state,
    verifiedTreeSize,
    verifiedAtMs: checkpoint?.verifiedAtMs ?? null,
    nextIndex,
    backlog,
    lastError: log.lastError ? { code: log.lastError.code, message: log.lastError.message } : null,
    paused: log.paused,
  };
}

/** `fields` without its undefined members, for optional DTO fields. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
