// The per-entry matching pipeline of a scan: parse the body, prefilter each certificate on its
// raw DER, read only what may be watched, check the chain only of what a watch finds, then
// match and classify. Most public log entries are not the user's, so the prefilter runs before
// the X.509 parse, and the parse before the chain check (the costliest step by far).
import { hash } from 'node:crypto';
import { VerificationError } from '../../core/errors';
import { parseEntryBody } from '../../core/entries/parse-entry-body';
import type { Signer } from '../../core/entries/types';
import { MAX_CERTIFICATE_BYTES } from '../../core/identity/certificate';
import { DER_TAG, expectDerTag, readDerChild, readDerWhole } from '../../core/identity/der';
import {
  confirmSigner,
  readSigner,
  type ClaimedSigner,
  type IdentifyTrust,
} from '../../core/identity/identify';
import { createPrefilter, type Prefilter } from '../../core/identity/prefilter';
import type { SignerIdentity } from '../../core/identity/types';
import {
  compileWatchlist,
  isWatched,
  matchEntry,
  type CompiledWatchlist,
} from '../../core/watch/match';
import { needlesFor } from '../../core/watch/needles';
import type { Watch, WatchMatch } from '../../core/watch/types';

/** A watchlist compiled for scanning, with its prefilters. */
export interface EntryMatcher {
  readonly watchlist: CompiledWatchlist;
  /** Needle prefilter of every enabled watch except `key` watches (see watchedKeys). */
  readonly prefilter: Prefilter;
  /**
   * The SPKI SHA-256 (hex) of every enabled `key` watch. A key watch also matches certificates
   * (by their key), and a hash has no needle: fed to the prefilter it would let every
   * certificate through to the full X.509 parse and chain check. Instead a certificate that
   * no needle admits is still identified when its key's fingerprint is watched.
   */
  readonly watchedKeys: ReadonlySet<string>;
  readonly trust: IdentifyTrust;
}

export function createEntryMatcher(watches: readonly Watch[], trust: IdentifyTrust): EntryMatcher {
  const watchlist = compileWatchlist(watches);
  const watchedKeys = new Set<string>();
  for (const w of watchlist.watches) {
    if (w.rule.kind === 'key') watchedKeys.add(w.rule.spkiSha256Hex);
  }
  const needled = watchlist.watches.filter((w) => w.rule.kind !== 'key');
  return { watchlist, prefilter: createPrefilter(needlesFor(needled)), watchedKeys, trust };
}

export interface EntryMatches {
  readonly matches: readonly WatchMatch[];
  /**
   * The identities of the signers a watch found (index = WatchMatch.signerIndex), chain checked;
   * only when something matched.
   */
  readonly identities: readonly SignerIdentity[];
  /** Why the entry could not be examined (a malformed body or certificate), if so. */
  readonly problem?: string;
}

const NONE: EntryMatches = { matches: [], identities: [] };

/**
 * Matches one entry's bytes against the watchlist. Never throws for bad entry bytes: an entry
 * or certificate that does not parse is reported in `problem` (a log may hold anything).
 */
export function matchEntryBytes(
  matcher: EntryMatcher,
  bytes: Uint8Array,
  context: { readonly integratedTimeMs?: number; readonly origin: string },
): EntryMatches {
  if (matcher.watchlist.watches.length === 0) return NONE;
  let signers: readonly Signer[];
  try {
    signers = parseEntryBody(bytes).signers;
  } catch (err) {
    if (err instanceof VerificationError) return { ...NONE, problem: err.message };
    throw err;
  }
  const candidates = signers.filter(
    (s) =>
      s.type !== 'x509' ||
      matcher.prefilter(s.certificateDer) ||
      mayHaveWatchedKey(matcher.watchedKeys, s.certificateDer),
  );
  if (candidates.length === 0) return NONE;
  // Read every candidate, but check the chain (one or two signature verifications) only of
  // those a watch finds: a look-alike (acme/widget-extra passes the needle acme/widget) costs
  // a parse, never a signature check. Finding does not depend on the chain, so the matches are
  // those of identify then matchEntry on every candidate.
  const watched: ClaimedSigner[] = [];
  let problem: string | undefined;
  for (const signer of candidates) {
    try {
      const claimed = readSigner(signer);
      if (isWatched(claimed.identity, matcher.watchlist, context)) watched.push(claimed);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      problem = err.message;
    }
  }
  if (watched.length === 0) return problem === undefined ? NONE : { ...NONE, problem };
  const identities = watched.map((claimed) => confirmSigner(claimed, matcher.trust));
  const matches = matchEntry(identities, matcher.watchlist, context);
  return matches.length === 0
    ? { ...NONE, ...(problem && { problem }) }
    : { matches, identities, ...(problem && { problem }) };
}

/**
 * False only when `certificateDer` is well-framed and the SHA-256 of its subjectPublicKeyInfo is
 * not in `watchedKeys`: then no key watch can match it. A certificate whose framing does not
 * read is a candidate, so that identify reports it as it would without this shortcut.
 */
function mayHaveWatchedKey(watchedKeys: ReadonlySet<string>, certificateDer: Uint8Array): boolean {
  if (watchedKeys.size === 0) return false;
  const spki = subjectPublicKeyInfo(certificateDer);
  // One-shot hashing straight to hex: this runs for every certificate in the log.
  return spki === undefined || watchedKeys.has(hash('sha256', spki, 'hex'));
}

/**
 * The subjectPublicKeyInfo TLV of a v3 certificate, sliced the way parseCertificate slices it
 * (RFC 5280 §4.1: tbsCertificate's seventh field after the explicit version), or undefined if
 * the DER framing on the way there does not read. Only that framing is checked here (the
 * framing of every child of the certificate and of its tbsCertificate was checked when the
 * signer was made, see certificateSigner): the full parse runs in identify, for the
 * certificates that get that far.
 */
function subjectPublicKeyInfo(der: Uint8Array): Uint8Array | undefined {
  if (der.length > MAX_CERTIFICATE_BYTES) return undefined;
  try {
    const certificate = expectDerTag(readDerWhole(der), DER_TAG.SEQUENCE, 'Certificate');
    const tbs = expectDerTag(readDerChild(certificate, 0), DER_TAG.SEQUENCE, 'tbsCertificate');
    const spki = expectDerTag(readDerChild(tbs, 6), DER_TAG.SEQUENCE, 'subjectPublicKeyInfo');
    return tbs.contents.subarray(spki.start, spki.end);
  } catch (err) {
    if (err instanceof VerificationError) return undefined;
    throw err;
  }
}
