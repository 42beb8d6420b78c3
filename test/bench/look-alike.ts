// The CPU a scan spends on an entry whose certificate passes the byte prefilter but matches no
// watch (issue 8 §4): matchEntryBytes as the matching worker runs it (entry body parse,
// prefilter, certificate parse, match), measured in-process over the workload's distinct
// look-alike entries. Entries that the prefilter drops, and a watched signing (which also has
// its chain checked), are measured the same way for comparison.
import { parseEntryBody } from '../../electron/core/entries/parse-entry-body';
import { parseWatchlist } from '../../electron/core/watch/watchlist';
import {
  createEntryMatcher,
  matchEntryBytes,
  type EntryMatcher,
} from '../../electron/monitor/jobs/match-entry';
import { atMost, median, type MeasureLine } from './measure';
import { PLANT_EVERY, WATCHLIST_YAML, createWorkload } from './workload';

/** Entries per round: long enough for process.cpuUsage's microsecond clock. */
const ENTRIES_PER_ROUND = 2000;
const CONTEXT = { origin: 'log2025-1.bench.test' };

/** Median over `rounds` of the CPU µs per look-alike entry; the value must be at most 40. */
export function measureLookAlikes(rounds: number): MeasureLine {
  const workload = createWorkload({ lookAlikes: true });
  const matcher = createEntryMatcher(parseWatchlist(WATCHLIST_YAML).watches, {
    certificateAuthorities: [workload.ca.toCertificateAuthority()],
  });
  const lookAlikes = workload.lookAlikeEntries;
  for (const entry of lookAlikes) checkLookAlike(matcher, entry);
  // Strangers (the stream's other certificate entries) and the planted, watched signing.
  const strangers = Array.from({ length: 31 }, (_, i) => workload.v2Entry(i * 20 + 5));
  const planted = workload.v2Entry(PLANT_EVERY - 1);
  if (matchEntryBytes(matcher, planted, CONTEXT).matches.length !== 1) {
    throw new Error('the planted entry does not match');
  }
  const lookAlikeUs = cpuMicrosPerEntry(matcher, lookAlikes, rounds);
  return atMost('look-alike certificate CPU (median)', lookAlikeUs.median, 'µs', 40, {
    what: 'matchEntryBytes: entry parse + prefilter + certificate parse + match, no chain check',
    share: '15% of the scan workload with lookAlikes',
    certificates: lookAlikes.length,
    roundsUs: lookAlikeUs.rounds,
    prefilteredOutUs: cpuMicrosPerEntry(matcher, strangers, rounds).median,
    watchedUs: cpuMicrosPerEntry(matcher, [planted], rounds, 200).median,
    watchedNote: 'a watched signing: also its chain checked (test CA: two P-256 signatures)',
  });
}

/** Throws unless `entry`'s certificate passes the prefilter and the entry matches nothing. */
function checkLookAlike(matcher: EntryMatcher, entry: Uint8Array): void {
  const [signer] = parseEntryBody(entry).signers;
  if (signer?.type !== 'x509' || !matcher.prefilter(signer.certificateDer)) {
    throw new Error('a look-alike certificate does not pass the prefilter');
  }
  const result = matchEntryBytes(matcher, entry, CONTEXT);
  if (result.matches.length > 0 || result.problem !== undefined) {
    throw new Error(`a look-alike entry matched or failed: ${JSON.stringify(result)}`);
  }
}

/** CPU µs per matchEntryBytes call over `entries`, per round (after a warm-up round). */
function cpuMicrosPerEntry(
  matcher: EntryMatcher,
  entries: readonly Uint8Array[],
  rounds: number,
  perRound = ENTRIES_PER_ROUND,
): { median: number; rounds: number[] } {
  const samples: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < perRound; i++) {
      matchEntryBytes(matcher, entries[i % entries.length] as Uint8Array, CONTEXT);
    }
    const used = process.cpuUsage(before);
    if (round >= 0) samples.push((used.user + used.system) / perRound);
  }
  const rounded = samples.map((us) => Math.round(us * 10) / 10);
  return { median: Math.round(median(samples) * 10) / 10, rounds: rounded };
}
