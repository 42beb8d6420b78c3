// A cheap test, run on a signer's certificate DER before the X.509 parse, of whether any
// watched string can occur in it. Most log entries are not the user's, so most skip the parse.

/** Answers "could a watched value be in these bytes?"; false is a proof, true is a maybe. */
export type Prefilter = (raw: Uint8Array) => boolean;

/**
 * Builds a prefilter for `needles`: strings that must occur literally, ignoring ASCII case, in
 * any value a watch can match. It is exact on certificate DER for SAN e-mails, URIs, DNS names
 * and usernames, Fulcio extension values and the issuer, because DER stores those as their
 * literal bytes. It is NOT exact on entry body bytes (there the certificate is base64, or
 * base64 of PEM, at any alignment and with line breaks): run it on `certificateDer`, after
 * parseEntryBody and before identify. IP SANs and DN strings are formatted, not literal: do
 * not prefilter watches on those, nor key fingerprints (hashes), nor regexes without a
 * literal part. Pass '' for such a watch: the empty needle matches everything.
 *
 * Case: only each needle's longest run of ASCII characters is searched, with ASCII case
 * folded, so needles with non-ASCII letters still work with a matcher that lower-cases them.
 * A matcher that folds non-ASCII characters into ASCII ones (the Kelvin sign into "k") is
 * outside this contract. An empty needle list returns false for every input: nothing is
 * watched.
 */
export function createPrefilter(needles: readonly string[]): Prefilter {
  const patterns = [...new Set(needles.map(longestAsciiRun))].map((run) =>
    Buffer.from(run.toLowerCase(), 'latin1'),
  );
  if (patterns.length === 0) return () => false;
  if (patterns.some((p) => p.length === 0)) return () => true;
  return (raw) => {
    const folded = asciiLowerCase(raw);
    return patterns.some((pattern) => folded.indexOf(pattern) >= 0);
  };
}

/** The longest substring of `needle` made of ASCII characters (the first, on a tie). */
function longestAsciiRun(needle: string): string {
  let best = '';
  for (const run of needle.split(/[^\0-\x7f]+/)) if (run.length > best.length) best = run;
  return best;
}

function asciiLowerCase(raw: Uint8Array): Buffer {
  const folded = Buffer.from(raw);
  for (let i = 0; i < folded.length; i++) {
    const byte = folded[i]!;
    if (byte >= 0x41 && byte <= 0x5a) folded[i] = byte | 0x20;
  }
  return folded;
}
