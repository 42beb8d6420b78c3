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
  // Folded in one buffer reused across calls (a prefilter runs, synchronously, for nearly every
  // entry of a scan), grown to the largest input seen: no allocation per certificate.
  let scratch = createScratch(SCRATCH_START_BYTES);
  return (raw) => {
    if (raw.length > scratch.bytes.length) scratch = createScratch(raw.length);
    scratch.bytes.set(raw);
    foldAsciiCase(scratch.words, Math.ceil(raw.length / 4));
    const folded = scratch.bytes.subarray(0, raw.length);
    return patterns.some((pattern) => folded.indexOf(pattern) >= 0);
  };
}

/** Room for a typical Fulcio certificate (about 1 KB) before the first growth. */
const SCRATCH_START_BYTES = 4096;

interface Scratch {
  readonly bytes: Buffer;
  /** The same memory as 32-bit words, for foldAsciiCase. */
  readonly words: Uint32Array;
}

function createScratch(minBytes: number): Scratch {
  const memory = new ArrayBuffer(Math.ceil(minBytes / 4) * 4);
  return { bytes: Buffer.from(memory), words: new Uint32Array(memory) };
}

/**
 * Maps ASCII A-Z to a-z in the first `count` words, leaving every other byte (non-ASCII ones
 * included) as it is: four bytes per step, as a byte-wise loop is the prefilter's main cost.
 * Per byte b, with h = b & 0x7f: h + 0x3f sets bit 7 iff h >= 0x41 ('A'), h + 0x25 iff
 * h >= 0x5b (past 'Z'); neither sum carries into the next byte (h + 0x3f <= 0xbe). So bit 7 of
 * `upper` is set exactly for bytes 0x41..0x5a (bit 7 of b clear), and moved to bit 5 (0x20) it
 * lower-cases them. Byte order does not matter: no bit crosses a byte.
 */
function foldAsciiCase(words: Uint32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const word = words[i] as number;
    const low7 = word & 0x7f7f7f7f;
    const upper = (low7 + 0x3f3f3f3f) & ~(low7 + 0x25252525) & ~word & 0x80808080;
    words[i] = word | (upper >>> 2);
  }
}

/** The longest substring of `needle` made of ASCII characters (the first, on a tie). */
function longestAsciiRun(needle: string): string {
  let best = '';
  for (const run of needle.split(/[^\0-\x7f]+/)) if (run.length > best.length) best = run;
  return best;
}
