// Needles for the byte prefilter: text that must appear in a certificate for any enabled watch
// to match it, so the monitor can skip parsing entries that contain none of them.
import { asciiLower } from './ci-identity';
import { requiredLiterals } from './pattern';
import type { Watch, Watchlist } from './types';

/**
 * Returns the needles for createPrefilter (electron/core/identity/prefilter): for each enabled
 * watch strings one of which every certificate the watch can match contains,
 * ASCII-case-insensitively, in its DER (the prefilter admits bytes holding any needle, so a
 * watch may add several: a regex `(foo|bar)/x` adds "foo/x" and "bar/x"); '' (which lets
 * everything through) for a watch that has none: regex SANs without a required literal,
 * all-wildcard globs, SAN patterns whose literal could be part of an IP address (IP SANs are
 * raw bytes in the DER), and `key` watches (a key's fingerprint is a hash, not in the bytes). An
 * empty list means no watch is enabled. Issuers, expectations and origins only narrow matches,
 * so they add no needles. Lowercased and deduplicated.
 */
export function needlesFor(watchlist: Watchlist | readonly Watch[]): string[] {
  const watches = 'watches' in watchlist ? watchlist.watches : watchlist;
  const needles = new Set<string>();
  for (const watch of watches) {
    if (!watch.enabled) continue;
    for (const needle of needlesOf(watch) ?? ['']) needles.add(asciiLower(needle));
  }
  return [...needles];
}

/** True for text that can occur in a formatted IPv4 or IPv6 address (digits, hex, dots, colons). */
function couldBeIpText(literal: string): boolean {
  return /^[0-9a-fA-F.:]+$/.test(literal);
}

function needlesOf(watch: Watch): readonly string[] | undefined {
  const rule = watch.rule;
  switch (rule.kind) {
    // `owner/repo` is in the Source Repository URI, the deprecated .1.5 value and every
    // workflow SAN of the repository.
    case 'github':
      return [rule.repository];
    case 'gitlab':
      return [rule.project];
    case 'email':
      return [rule.address];
    case 'san': {
      // IP-address SANs are stored as raw bytes, not as the text a pattern names: a needle
      // that could be part of an address's text cannot be looked for in the DER.
      const literals = requiredLiterals(rule.pattern);
      return literals?.some(couldBeIpText) ? undefined : literals;
    }
    case 'oid':
      return [rule.value];
    case 'key':
      return undefined;
  }
}
