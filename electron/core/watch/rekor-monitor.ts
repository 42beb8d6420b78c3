// Import of sigstore/rekor-monitor's identity configuration (`monitoredValues`, README
// "Configuration file format", pkg/identity and pkg/fulcio/extensions) into watches.
import { GITHUB_ACTIONS_ISSUER } from './ci-identity';
import type { Watch, Watchlist } from './types';
import { parseYaml, validateWatchlist, WatchlistError } from './watchlist';

/** The converted watchlist, and every place where its meaning differs from the original. */
export interface RekorMonitorImport {
  readonly watchlist: Watchlist;
  /** One line per item that was converted inexactly, or not at all (path-qualified). */
  readonly notes: readonly string[];
}

/** rekor-monitor's `fulcioExtensions` keys (pkg/fulcio/extensions) to Fulcio OIDs. */
const FULCIO_EXTENSION_OIDS: Readonly<Record<string, string>> = {
  'github-workflow-trigger': '1.3.6.1.4.1.57264.1.2',
  'github-workflow-sha': '1.3.6.1.4.1.57264.1.3',
  'github-workflow-name': '1.3.6.1.4.1.57264.1.4',
  'github-workflow-repository': '1.3.6.1.4.1.57264.1.5',
  'github-workflow-ref': '1.3.6.1.4.1.57264.1.6',
  'build-signer-uri': '1.3.6.1.4.1.57264.1.9',
  'build-signer-digest': '1.3.6.1.4.1.57264.1.10',
  'runner-environment': '1.3.6.1.4.1.57264.1.11',
  'source-repository-uri': '1.3.6.1.4.1.57264.1.12',
  'source-repository-digest': '1.3.6.1.4.1.57264.1.13',
  'source-repository-ref': '1.3.6.1.4.1.57264.1.14',
  'source-repository-identifier': '1.3.6.1.4.1.57264.1.15',
  'source-repository-owner-uri': '1.3.6.1.4.1.57264.1.16',
  'source-repository-owner-identifier': '1.3.6.1.4.1.57264.1.17',
  'build-config-uri': '1.3.6.1.4.1.57264.1.18',
  'build-config-digest': '1.3.6.1.4.1.57264.1.19',
  'build-trigger': '1.3.6.1.4.1.57264.1.20',
  'run-invocation-uri': '1.3.6.1.4.1.57264.1.21',
  'source-repository-visibility-at-signing': '1.3.6.1.4.1.57264.1.22',
};
const ISSUER_V2_OID = '1.3.6.1.4.1.57264.1.8';

const MONITORED_VALUE_KEYS = [
  'certIdentities',
  'subjects',
  'fingerprints',
  'oidMatchers',
  'fulcioExtensions',
  'customExtensions',
];

/**
 * Converts a rekor-monitor config (YAML text with `monitoredValues`) into a watchlist. Every
 * watch alerts on every use (rekor-monitor has no expectations). What changes meaning is in
 * `notes`: regexes become anchored (rekor-monitor matched them anywhere in the value), literal
 * regexes become exact values, `subjects` and non-SHA-256 fingerprints are dropped.
 * Throws WatchlistError (WATCHLIST_INVALID) when the text is not YAML or has no monitoredValues.
 */
export function importRekorMonitorConfig(yaml: string): RekorMonitorImport {
  const config = parseYaml(yaml);
  if (!isRecord(config) || !isRecord(config.monitoredValues)) {
    throw new WatchlistError([
      'monitoredValues: missing, want a mapping (rekor-monitor identity config)',
    ]);
  }
  const notes: string[] = [];
  const ignored = Object.keys(config).filter((k) => k !== 'monitoredValues');
  if (ignored.length > 0) notes.push(`${ignored.join(', ')}: not a watch setting, ignored`);
  const mv = config.monitoredValues;
  const candidates: { path: string; watch: Record<string, unknown> }[] = [];
  for (const key of Object.keys(mv)) {
    if (!MONITORED_VALUE_KEYS.includes(key)) notes.push(`monitoredValues.${key}: unknown, ignored`);
  }
  list(mv.certIdentities, 'monitoredValues.certIdentities', notes).forEach((item, i) =>
    convertCertIdentity(item, `monitoredValues.certIdentities[${i}]`, candidates, notes),
  );
  list(mv.subjects, 'monitoredValues.subjects', notes).forEach((_, i) =>
    notes.push(
      `monitoredValues.subjects[${i}]: not converted: Vigil identifies non-certificate signers by key fingerprint only`,
    ),
  );
  list(mv.fingerprints, 'monitoredValues.fingerprints', notes).forEach((item, i) =>
    convertFingerprint(item, `monitoredValues.fingerprints[${i}]`, candidates, notes),
  );
  convertOidMatchers(mv, candidates, notes);
  return { watchlist: assemble(candidates, notes), notes };
}

function convertCertIdentity(
  item: unknown,
  path: string,
  out: { path: string; watch: Record<string, unknown> }[],
  notes: string[],
): void {
  if (!isRecord(item) || typeof item.certSubject !== 'string' || item.certSubject === '') {
    notes.push(`${path}: not converted: want certSubject (a regex)`);
    return;
  }
  const subject = readRegex(item.certSubject, `${path}.certSubject`, notes);
  const issuers = list(item.issuers, `${path}.issuers`, notes).map((v, i) =>
    typeof v === 'string' ? readRegex(v, `${path}.issuers[${i}]`, notes) : undefined,
  );
  if (issuers.some((r) => r === undefined)) {
    notes.push(`${path}: not converted: every issuer must be a string`);
    return;
  }
  const issuerRegexes = issuers as ReadRegex[];
  const literalIssuers = issuerRegexes.every((r) => r.literal !== undefined);
  const email = subject.literal !== undefined && /^[^\s@/:]+@[^\s@/]+$/.test(subject.literal);
  if (email && literalIssuers && !issuerRegexes.some((r) => r.literal === GITHUB_ACTIONS_ISSUER)) {
    out.push({
      path,
      watch: {
        email: subject.literal,
        ...(issuerRegexes.length > 0 ? { issuers: issuerRegexes.map((r) => r.literal) } : {}),
      },
    });
    return;
  }
  const watch: Record<string, unknown> = { san: subject.pattern };
  if (issuerRegexes.length === 1) watch.issuer = issuerRegexes[0]!.pattern;
  else if (issuerRegexes.length > 1) {
    watch.issuer = `regex:${issuerRegexes.map((r) => `(?:${r.regex})`).join('|')}`;
  }
  out.push({ path, watch });
}

interface ReadRegex {
  /** The regex without `^`/`$` anchors. */
  readonly regex: string;
  /** The plain text it stands for, when it has no metacharacters. */
  readonly literal: string | undefined;
  /** As a Vigil pattern: exact text for literals, else `regex:`. */
  readonly pattern: string;
}

/**
 * Reads a rekor-monitor (RE2, unanchored) regex as an anchored Vigil pattern, noting the change
 * of meaning when it was not anchored at both ends.
 */
function readRegex(source: string, path: string, notes: string[]): ReadRegex {
  let regex = source;
  const start = regex.startsWith('^');
  if (start) regex = regex.slice(1);
  const end = regex.endsWith('$') && !regex.endsWith('\\$');
  if (end) regex = regex.slice(0, -1);
  const literal = regexLiteral(regex);
  const pattern = literal !== undefined && !literal.includes('*') ? literal : `regex:${regex}`;
  if (!start || !end) {
    notes.push(
      `${path}: rekor-monitor matched ${JSON.stringify(source)} anywhere in the value; ` +
        `Vigil matches whole values only (${JSON.stringify(pattern)}): check it is the complete value`,
    );
  }
  return { regex, literal, pattern };
}

/** The text a regex matches when it is a plain string with escaped punctuation, else undefined. */
function regexLiteral(regex: string): string | undefined {
  let out = '';
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i]!;
    if (c === '\\') {
      const next = regex[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      out += next;
      i++;
    } else if ('.^$*+?()[]{}|'.includes(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

function convertFingerprint(
  item: unknown,
  path: string,
  out: { path: string; watch: Record<string, unknown> }[],
  notes: string[],
): void {
  if (typeof item !== 'string' || !/^[0-9a-fA-F]{64}$/.test(item)) {
    notes.push(
      `${path}: not converted: only hex SHA-256 fingerprints are supported (SSH and PGP fingerprints are not)`,
    );
    return;
  }
  notes.push(
    `${path}: converted as a key (SPKI SHA-256) fingerprint; a certificate SHA-256 fingerprint does not match a key watch`,
  );
  out.push({ path, watch: { key: item.toLowerCase() } });
}

/** Handles `oidMatchers: { oidExtensions, fulcioExtensions, customExtensions }` and the older
 * layouts with those lists directly under monitoredValues (or `oidMatchers` as a list). */
function convertOidMatchers(
  mv: Record<string, unknown>,
  out: { path: string; watch: Record<string, unknown> }[],
  notes: string[],
): void {
  const pairs: { path: string; oid: unknown; values: unknown }[] = [];
  const fromList = (value: unknown, path: string) =>
    list(value, path, notes).forEach((item, i) => {
      if (!isRecord(item))
        notes.push(`${path}[${i}]: not converted: want objectIdentifier and extensionValues`);
      else
        pairs.push({
          path: `${path}[${i}]`,
          oid: item.objectIdentifier,
          values: item.extensionValues,
        });
    });
  const fromFulcio = (value: unknown, path: string) => {
    if (value === undefined || value === null) return;
    if (!isRecord(value)) {
      notes.push(`${path}: not converted: want a mapping of extension names to values`);
      return;
    }
    for (const [name, values] of Object.entries(value)) {
      if (name === 'issuer') {
        notes.push(
          `${path}.issuer: matched as extension ${ISSUER_V2_OID} only; certificates carrying only the deprecated .1.1 issuer do not match`,
        );
        pairs.push({ path: `${path}.issuer`, oid: ISSUER_V2_OID, values });
      } else if (Object.hasOwn(FULCIO_EXTENSION_OIDS, name)) {
        pairs.push({ path: `${path}.${name}`, oid: FULCIO_EXTENSION_OIDS[name], values });
      } else {
        notes.push(`${path}.${name}: not converted: unknown Fulcio extension name`);
      }
    }
  };
  const matchers = mv.oidMatchers;
  if (Array.isArray(matchers)) fromList(matchers, 'monitoredValues.oidMatchers');
  else if (isRecord(matchers)) {
    fromList(matchers.oidExtensions, 'monitoredValues.oidMatchers.oidExtensions');
    fromFulcio(matchers.fulcioExtensions, 'monitoredValues.oidMatchers.fulcioExtensions');
    fromList(matchers.customExtensions, 'monitoredValues.oidMatchers.customExtensions');
  } else if (matchers !== undefined && matchers !== null) {
    notes.push('monitoredValues.oidMatchers: not converted: want a mapping');
  }
  fromFulcio(mv.fulcioExtensions, 'monitoredValues.fulcioExtensions');
  fromList(mv.customExtensions, 'monitoredValues.customExtensions');
  for (const { path, oid, values } of pairs) {
    const dotted = dottedOid(oid);
    if (dotted === undefined) {
      notes.push(`${path}: not converted: objectIdentifier ${JSON.stringify(oid)} is not an OID`);
      continue;
    }
    // rekor-monitor accepts one value or a list of values.
    if (typeof values === 'string') {
      out.push({ path: `${path}.extensionValues`, watch: { oid: dotted, value: values } });
      continue;
    }
    list(values, `${path}.extensionValues`, notes).forEach((value, i) =>
      out.push({ path: `${path}.extensionValues[${i}]`, watch: { oid: dotted, value } }),
    );
  }
}

/** An OID written as a dotted string or (asn1.ObjectIdentifier in YAML) a list of integers. */
function dottedOid(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (
    Array.isArray(value) &&
    value.length > 1 &&
    value.every((n) => Number.isSafeInteger(n) && n >= 0)
  ) {
    return value.join('.');
  }
  return undefined;
}

/** Validates each candidate on its own (invalid ones become notes), drops duplicates, and names
 * clashing watches apart. */
function assemble(
  candidates: readonly { path: string; watch: Record<string, unknown> }[],
  notes: string[],
): Watchlist {
  const watches: Watch[] = [];
  const seen = new Set<string>();
  for (const { path, watch } of candidates) {
    let valid: Watch;
    try {
      valid = validateWatchlist({ version: 1, watches: [watch] }).watches[0]!;
    } catch (err) {
      if (!(err instanceof WatchlistError)) throw err;
      const why = err.issues.map((m) => m.replace(/^watches\[0\]\.?/, '')).join('; ');
      notes.push(`${path}: not converted: ${why}`);
      continue;
    }
    const key = JSON.stringify(valid.rule);
    if (seen.has(key)) continue;
    seen.add(key);
    let name = valid.name;
    for (let n = 2; watches.some((w) => w.name === name); n++) name = `${valid.name} (${n})`;
    watches.push({ ...valid, name });
  }
  return { version: 1, watches };
}

function list(value: unknown, path: string, notes: string[]): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  notes.push(`${path}: not converted: want a list`);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
