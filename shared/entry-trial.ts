// "Test against an entry": which watches a pasted Rekor entry or bundle matches, and why. The
// DTO of the `watchlist:test-entry` command.
import type { Classification, SignerView } from './domain';

/** One watch that matches one of the entry's signers. */
export interface EntryTrialMatch {
  readonly watch: string;
  /** False for a watch that is switched off: it would match, but does not alert today. */
  readonly watchEnabled: boolean;
  readonly classification: Classification;
  /** One line for people: what matched and why it is classified so. */
  readonly reason: string;
  /** Index into `signers`. */
  readonly signerIndex: number;
}

/** One entry of the pasted text (a JSON array or a Rekor v1 response may hold several). */
export interface EntryTrialEntry {
  readonly kind: string;
  readonly logIndex: number;
  /** Rekor v1 only: certificates are judged valid at this time. */
  readonly integratedTimeMs?: number;
  readonly signers: readonly SignerView[];
  readonly matches: readonly EntryTrialMatch[];
}

export interface EntryTrialView {
  readonly entries: readonly EntryTrialEntry[];
  /** How many watches were tried (every stored watch, on or off). */
  readonly watchesTried: number;
}
