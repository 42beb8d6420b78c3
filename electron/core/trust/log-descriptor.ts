// Which logs to verify and follow, derived only from trust material: keys from the TrustedRoot,
// shard URLs and write windows from the SigningConfig (rekor-monitor filterV2Shards). No shard
// URL is pinned here; a new log2026-* shard appears when the trust material lists it.
import { bytesEqual, decodeHex, encodeUtf8 } from '../bytes';
import { VerificationError } from '../errors';
import { sha256 } from '../hash';
import type { LogSigner } from '../tlog/checkpoint';
import { keyIdHex, type NoteSignature, type NoteVerifier } from '../tlog/note';
import { ecdsaNoteVerifier, ed25519NoteVerifier } from '../tlog/note-verifiers';
import type {
  LogDescriptor,
  RekorV2LogDescriptor,
  RekorV2Origin,
  SigningConfig,
  SigningConfigService,
  TransparencyLogKey,
  TrustedRoot,
  ValidityWindow,
} from './types';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32-byte key follows. */
const ED25519_SPKI_PREFIX = decodeHex('302a300506032b6570032100')!;
const ED25519_KEY_DETAILS = 'PKIX_ED25519';
const ECDSA_P256_KEY_DETAILS = 'PKIX_ECDSA_P256_SHA_256';

/**
 * Describes every Rekor log a monitor should follow: each `rekorTlogUrls` service of the signing
 * configs whose window has started by `nowMs`, deduplicated by URL (first listing wins), with
 * its key(s) from `trustedRoot.tlogs` matched by base URL. A service whose window has ended is
 * kept with `retired: true` (follow it to its final size). Services with a majorApiVersion
 * other than 1 or 2 are skipped (Vigil cannot read them). Throws VerificationError('LOG_UNKNOWN')
 * if a service has no usable key in the trusted root, 'SIGNING_CONFIG_MALFORMED' if two
 * configs give one URL different API versions, 'TRUSTED_ROOT_MALFORMED' for an inconsistent key.
 */
export function describeLogs(
  trustedRoot: TrustedRoot,
  signingConfigs: readonly SigningConfig[],
  nowMs: number,
): LogDescriptor[] {
  const services = new Map<string, SigningConfigService>();
  for (const service of signingConfigs.flatMap((c) => c.rekorTlogUrls)) {
    const url = normaliseUrl(service.url);
    const seen = services.get(url);
    if (seen && seen.majorApiVersion !== service.majorApiVersion) {
      throw new VerificationError(
        'SIGNING_CONFIG_MALFORMED',
        `${url} is listed with API versions ${seen.majorApiVersion} and ${service.majorApiVersion}`,
      );
    }
    if (!seen) services.set(url, service);
  }
  const descriptors: LogDescriptor[] = [];
  for (const [url, service] of services) {
    const apiVersion = service.majorApiVersion;
    if (apiVersion !== 1 && apiVersion !== 2) continue;
    if (service.validFor.startMs > nowMs) continue;
    const keys = trustedRoot.tlogs.filter(
      (k) => normaliseUrl(k.baseUrl) === url && supportsApiVersion(k, apiVersion),
    );
    if (keys.length === 0) {
      throw new VerificationError(
        'LOG_UNKNOWN',
        `the signing config lists ${url} (API v${apiVersion}) but the trusted root has no usable key for it`,
      );
    }
    for (const key of keys) descriptors.push(describe(key, apiVersion, service.validFor, nowMs));
  }
  return withDistinctOrigins(descriptors);
}

/**
 * Describes every transparency-log key in the trusted root, for offline verification of
 * checkpoints and entries: Ed25519 keys are Rekor v2 shards, ECDSA P-256 keys Rekor v1 logs
 * (a TrustedRoot does not state the API version; these are the only pairings Sigstore uses).
 * Keys of other types are left out, so material they signed is reported as from an unknown log.
 * Throws VerificationError('TRUSTED_ROOT_MALFORMED') for an inconsistent key.
 */
export function describeTrustedLogs(trustedRoot: TrustedRoot, nowMs: number): LogDescriptor[] {
  const described = trustedRoot.tlogs.flatMap((key) => {
    const apiVersion = key.keyDetails === ED25519_KEY_DETAILS ? 2 : 1;
    return supportsApiVersion(key, apiVersion)
      ? [describe(key, apiVersion, key.validFor, nowMs)]
      : [];
  });
  return withDistinctOrigins(described);
}

/**
 * Drops from each Rekor v2 log the origins another v2 log (another base URL) may also sign as,
 * unless that would leave it none: two logs on one host at different ports both derive the
 * bare hostname, and one origin for two logs would mix their checkpoints. They keep host:port.
 */
function withDistinctOrigins(logs: LogDescriptor[]): LogDescriptor[] {
  const urlsByOrigin = new Map<string, Set<string>>();
  for (const log of logs) {
    if (log.apiVersion !== 2) continue;
    for (const { origin } of log.origins) {
      const urls = urlsByOrigin.get(origin) ?? new Set<string>();
      urls.add(normaliseUrl(log.baseUrl));
      urlsByOrigin.set(origin, urls);
    }
  }
  return logs.map((log) => {
    if (log.apiVersion !== 2) return log;
    const own = log.origins.filter((o) => urlsByOrigin.get(o.origin)!.size === 1);
    const [first] = own;
    if (first === undefined || own.length === log.origins.length) return log;
    return {
      ...log,
      keyName: first.origin,
      keyId: first.keyId,
      origin: first.origin,
      origins: own,
    };
  });
}

/**
 * The note verifier for a log's checkpoints: type 0x02 ECDSA matching lines of any key name by
 * key ID (v1), type 0x01 Ed25519 under the preferred origin (v2; see v2Signers for the
 * others). Throws VerificationError('KEY_MALFORMED') if the key does not parse.
 */
export function noteVerifierFor(log: LogDescriptor): NoteVerifier {
  if (log.apiVersion === 2)
    return ed25519NoteVerifier(log.origin, ed25519RawKey(log.publicKeySpki)!);
  // Rekor v1 signs under its configured `rekor_server.hostname`, which need not be the URL's
  // (`localhost:8000` in sigstore-conformance, a bare hostname elsewhere); its verifier and
  // sigstore-go select the line by SHA-256(SPKI)[:4] and never read the name
  // (sigstore/rekor pkg/util/signed_note.go SignedNote.Verify, pkg/util/checkpoint.go
  // CreateAndSignCheckpoint).
  return { ...ecdsaNoteVerifier(log.keyName, log.publicKeySpki), anyKeyName: true };
}

/**
 * Every (origin, key) a Rekor v2 log may sign checkpoints as, preferred first: one Ed25519
 * verifier per origin of `log.origins`. Throws VerificationError('KEY_MALFORMED') if the key
 * does not parse.
 */
export function v2Signers(log: RekorV2LogDescriptor): LogSigner[] {
  const key = ed25519RawKey(log.publicKeySpki)!;
  return log.origins.map(({ origin }) => ({ origin, logKey: ed25519NoteVerifier(origin, key) }));
}

/**
 * The trusted log that signed one of `signatures`, or undefined: a v1 log by key ID whatever
 * the line's key name (a log whose URL host is also the name is preferred, should two share a
 * key), a v2 log by one of its origins and that origin's key ID.
 */
export function findSigningLog(
  logs: readonly LogDescriptor[],
  signatures: readonly NoteSignature[],
): LogDescriptor | undefined {
  const signs = (log: LogDescriptor, exactName: boolean) =>
    signatures.some((s) =>
      log.apiVersion === 1
        ? s.keyId === log.keyId && (!exactName || s.keyName === log.keyName)
        : log.origins.some((o) => o.origin === s.keyName && o.keyId === s.keyId),
    );
  return logs.find((l) => signs(l, true)) ?? logs.find((l) => signs(l, false));
}

/**
 * True if `t` (epoch ms) lies in the inclusive window. Sigstore TimeRanges are closed intervals.
 */
export function withinValidity(window: ValidityWindow, t: number): boolean {
  return window.startMs <= t && (window.endMs === undefined || t <= window.endMs);
}

function describe(
  key: TransparencyLogKey,
  apiVersion: 1 | 2,
  validFor: ValidityWindow,
  nowMs: number,
): LogDescriptor {
  const url = new URL(key.baseUrl);
  const base = {
    baseUrl: key.baseUrl,
    keyName: url.host,
    publicKeySpki: key.publicKeySpki,
    keyDetails: key.keyDetails,
    logIdHex: key.logIdHex,
    keyValidFor: key.validFor,
    validFor,
    retired: validFor.endMs !== undefined && validFor.endMs < nowMs,
  };
  return apiVersion === 1
    ? { ...base, apiVersion, keyId: v1KeyId(key) }
    : { ...base, apiVersion, ...v2Origins(key, url) };
}

/** SHA-256(SPKI)[:4]; a TrustedRoot checkpointKeyId must agree. */
function v1KeyId(key: TransparencyLogKey): number {
  const keyId = firstFourBytes(sha256(key.publicKeySpki));
  // TrustedRoot v0.2 may state the checkpoint key ID; a disagreement means broken trust material.
  if (key.checkpointKeyIdHex !== undefined && key.checkpointKeyIdHex !== keyIdHex(keyId)) {
    throw new VerificationError(
      'TRUSTED_ROOT_MALFORMED',
      `malformed trusted root: checkpointKeyId ${key.checkpointKeyIdHex} of ${key.baseUrl}, want ${keyIdHex(keyId)}`,
    );
  }
  return keyId;
}

/**
 * The origins a Rekor v2 log may sign as. sigstore-go verifies a v2 checkpoint under
 * `url.Parse(baseUrl).Hostname()`, the host without port or IPv6 brackets
 * (sigstore/sigstore-go pkg/verify/tlog.go, note.NewNoteVerifier(u.Hostname(), ...)), and
 * rekor-tiles signs under its `--hostname` flag, the origin (sigstore/rekor-tiles
 * cmd/rekor-server/posix/app/serve.go, tessera.NewAppendOptions): a deployment on a port may well
 * set it to `host:port`, so that is accepted second. The signature must verify under the
 * trusted key either way. A TrustedRoot checkpointKeyId decides between them.
 */
function v2Origins(
  key: TransparencyLogKey,
  url: URL,
): { origin: string; keyId: number; origins: RekorV2Origin[] } {
  const raw = ed25519RawKey(key.publicKeySpki)!;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const names = url.port === '' ? [hostname] : [hostname, url.host];
  const candidates = names.map((origin) => ({
    origin,
    keyId: firstFourBytes(sha256(encodeUtf8(origin), Uint8Array.of(0x0a, 0x01), raw)),
  }));
  const stated = key.checkpointKeyIdHex;
  const origins =
    stated === undefined ? candidates : candidates.filter((c) => keyIdHex(c.keyId) === stated);
  const [first] = origins;
  if (first === undefined) {
    const want = candidates.map((c) => `${keyIdHex(c.keyId)} (${c.origin})`).join(' or ');
    throw new VerificationError(
      'TRUSTED_ROOT_MALFORMED',
      `malformed trusted root: checkpointKeyId ${stated} of ${key.baseUrl}, want ${want}`,
    );
  }
  return { origin: first.origin, keyId: first.keyId, origins };
}

function supportsApiVersion(key: TransparencyLogKey, apiVersion: 1 | 2): boolean {
  if (apiVersion === 2) {
    return key.keyDetails === ED25519_KEY_DETAILS && ed25519RawKey(key.publicKeySpki) !== undefined;
  }
  return key.keyDetails === ECDSA_P256_KEY_DETAILS;
}

/** The 32-byte key inside an Ed25519 SPKI, or undefined if `spki` is not exactly that. */
function ed25519RawKey(spki: Uint8Array): Uint8Array | undefined {
  if (spki.length !== ED25519_SPKI_PREFIX.length + 32) return undefined;
  if (!bytesEqual(spki.subarray(0, ED25519_SPKI_PREFIX.length), ED25519_SPKI_PREFIX)) {
    return undefined;
  }
  return spki.subarray(ED25519_SPKI_PREFIX.length);
}

/** A URL without trailing slashes, so "https://x/" and "https://x" name one log. */
function normaliseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

function firstFourBytes(hash: Uint8Array): number {
  return new DataView(hash.buffer, hash.byteOffset, 4).getUint32(0);
}
