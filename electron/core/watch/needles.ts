// Needles for the byte prefilter: text that must appear in a certificate for any enabled watch
// to match it, so the monitor can skip parsing entries that contain none of them.
import { asciiLower } from './ci-identity';
import { requiredLiteral } from './pattern';
import type { Watch, Watchlist } from './types';

/**
 * Returns the needles for createPrefilter (electron/core/identity/prefilter): for each enabled
 * watch a string that every certificate the watch can match contains, ASCII-case-insensitively,
 * in its DER; '' (which lets everything through) for a watch that has none: regex SANs,
 * all-wildcard globs, and `key` watches (a key's fingerprint is a hash, not in the bytes). An
 * empty list means no watch is enabled. Issuers, expectations and origins only narrow matches,
 * so they add no needles. Lowercased and deduplicated.
 */
export function needlesFor(watchlist: Watchlist | readonly Watch[]): string[] {
  const watches = 'watches' in watchlist ? watchlist.watches : watchlist;
  const needles = new Set<string>();
  for (const watch of watches) {
    if (watch.enabled) needles.add(asciiLower(needleFor(watch) ?? ''));
  }
  return [...needles];
}

function needleFor(watch: Watch): string | undefined {
  const rule = watch.rule;
  switch (rule.kind) {
    // `owner/repo` is in the Source Repository URI, the deprecated .1.5 value and every
    // workflow SAN of the repository.
    case 'github':
      return rule.repository;
    case 'gitlab':
      return rule.project;
    case 'email':
      return rule.address;
    case 'san':
      return requiredLiteral(rule.pattern);
    case 'oid':
      return rule.value;
    case 'key':
      return undefined;
  }
}
