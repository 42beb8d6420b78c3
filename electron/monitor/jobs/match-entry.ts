// The per-entry matching pipeline of a scan: parse the body, prefilter each certificate on its
// raw DER, identify only what may be watched, then match and classify. Most public log entries
// are not the user's, so the prefilter runs before the expensive X.509 parse and chain check.
import { VerificationError } from '../../core/errors';
import { parseEntryBody } from '../../core/entries/parse-entry-body';
import type { Signer } from '../../core/entries/types';
import { identify, type IdentifyTrust } from '../../core/identity/identify';
import { createPrefilter, type Prefilter } from '../../core/identity/prefilter';
import type { SignerIdentity } from '../../core/identity/types';
import { compileWatchlist, matchEntry, type CompiledWatchlist } from '../../core/watch/match';
import { needlesFor } from '../../core/watch/needles';
import type { Watch, WatchMatch } from '../../core/watch/types';

/** A watchlist compiled for scanning, with its prefilter. */
export interface EntryMatcher {
  readonly watchlist: CompiledWatchlist;
  readonly prefilter: Prefilter;
  readonly trust: IdentifyTrust;
}

export function createEntryMatcher(watches: readonly Watch[], trust: IdentifyTrust): EntryMatcher {
  const watchlist = compileWatchlist(watches);
  return { watchlist, prefilter: createPrefilter(needlesFor(watchlist.watches)), trust };
}

export interface EntryMatches {
  readonly matches: readonly WatchMatch[];
  /** The identities of the signers (index = WatchMatch.signerIndex); only when something matched. */
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
    (s) => s.type !== 'x509' || matcher.prefilter(s.certificateDer),
  );
  if (candidates.length === 0) return NONE;
  const identities: SignerIdentity[] = [];
  let problem: string | undefined;
  for (const signer of candidates) {
    try {
      identities.push(identify(signer, matcher.trust));
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      problem = err.message;
    }
  }
  const matches = matchEntry(identities, matcher.watchlist, context);
  return matches.length === 0
    ? { ...NONE, ...(problem && { problem }) }
    : { matches, identities, ...(problem && { problem }) };
}
