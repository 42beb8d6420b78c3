// Who signed an entry: its body parsed and every signer identified against the trusted Fulcio
// CAs. What `vigil inspect`, `vigil match` and the watchlist's "Test against an entry" read.
import { parseEntryBody } from '../entries/parse-entry-body';
import { identify, type IdentifyTrust } from '../identity/identify';
import type { SignerIdentity } from '../identity/types';
import type { EntryInput } from './entry-input';

/** An entry's kind, index and signers. */
export interface EntrySigners {
  readonly kind: string;
  readonly apiVersion: string;
  readonly logIndex: number;
  /** Rekor v1 integrated time in ms; undefined for Rekor v2 (which has none). */
  readonly integratedTimeMs: number | undefined;
  readonly identities: readonly SignerIdentity[];
}

/**
 * Parses the entry body and identifies every signer against `trust`. Throws the body parser's
 * VerificationError (ENTRY_MALFORMED, CERTIFICATE_MALFORMED, KEY_MALFORMED).
 */
export function entrySigners(entry: EntryInput, trust: IdentifyTrust): EntrySigners {
  const body = parseEntryBody(entry.body);
  return {
    kind: body.kind,
    apiVersion: body.apiVersion,
    logIndex: entry.logIndex,
    integratedTimeMs:
      entry.integratedTime !== undefined && entry.integratedTime > 0
        ? entry.integratedTime * 1000
        : undefined,
    identities: body.signers.map((signer) => identify(signer, trust)),
  };
}
