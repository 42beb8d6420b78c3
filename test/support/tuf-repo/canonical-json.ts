// OLPC canonical JSON, as securesystemslib `encode_canonical` produces it for TUF signatures
// (http://wiki.laptop.org/go/Canonical_JSON): object keys sorted by code point, no whitespace,
// integers only, and in strings only `\` and `"` escaped (every other character is raw).
// Written independently of tuf-js's own @tufjs/canonical-json so the tests cross-check it.

/** The canonical form of `value`. Throws on numbers that are not integers and on undefined. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new Error(`canonical json allows integers only, got ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical json cannot encode ${typeof value}`);
}

// Python sorts str by code point; JS's default sort compares UTF-16 code units, which differs
// for characters outside the BMP.
function compareCodePoints(a: string, b: string): number {
  const ca = [...a].map((c) => c.codePointAt(0)!);
  const cb = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  }
  return ca.length - cb.length;
}
