// Matching signer identities against watches, and classifying each match as expected,
// unexpected or untrusted. Pure; rules are compiled once per watchlist, then run per entry.
import type { CertificateIdentity, ClaimedIdentity, SignerIdentity } from '../identity/types';
import {
  asciiLower,
  buildConfig,
  buildTrigger,
  extensionValue,
  GITHUB,
  GITLAB,
  OID,
  parseWorkflowUri,
  sourceRef,
  uriSans,
  type CiPlatform,
} from './ci-identity';
import { compilePattern, formatPattern } from './pattern';
import type {
  Classification,
  MatchContext,
  MatchedBy,
  Watch,
  WatchMatch,
  WatchRule,
  Watchlist,
} from './types';

/** A watchlist prepared for matching many entries. Build it with `compileWatchlist`. */
export interface CompiledWatchlist {
  /** The enabled watches, in file order. */
  readonly watches: readonly Watch[];
  readonly compiled: readonly CompiledWatch[];
}

interface CompiledWatch {
  readonly watch: Watch;
  /** How the rule matches this signer, or undefined. Never depends on the chain check. */
  find(identity: ClaimedIdentity): Found | undefined;
  /** Unmet expectations (empty = all met); undefined when the watch has none. */
  unmet?: (identity: CertificateIdentity) => { unmet: string[]; met: string[] };
}

interface Found {
  readonly matchedBy: MatchedBy;
  /** What matched, for the reason line. */
  readonly description: string;
}

type Predicate = (value: string) => boolean;

const SEVERITY: Readonly<Record<Classification, number>> = {
  expected: 0,
  untrusted: 1,
  unexpected: 2,
};

/**
 * Compiles every enabled watch (patterns to predicates) once. Precondition: the watches come
 * from parseWatchlist/validateWatchlist; an invalid pattern throws WATCHLIST_INVALID.
 */
export function compileWatchlist(watchlist: Watchlist | readonly Watch[]): CompiledWatchlist {
  const watches = ('watches' in watchlist ? watchlist.watches : watchlist).filter((w) => w.enabled);
  return { watches, compiled: watches.map(compileWatch) };
}

/**
 * Returns one match per watch that matches any of `identities` (an entry's signers), for the
 * signer with the most severe classification (unexpected > untrusted > expected; ties: the
 * first signer). A certificate that is untrusted, or was not valid at
 * `context.integratedTimeMs`, makes the match `untrusted` whatever the watch expects.
 * Watches with `origins` are skipped when `context.origin` is given and not listed (a listed
 * host covers its Rekor v1 shards, `rekor.sigstore.dev - <treeID>`).
 */
export function matchEntry(
  identities: readonly SignerIdentity[],
  watchlist: CompiledWatchlist,
  context: MatchContext = {},
): WatchMatch[] {
  const matches: WatchMatch[] = [];
  for (const cw of watchlist.compiled) {
    if (!appliesToOrigin(cw.watch, context.origin)) continue;
    let best: WatchMatch | undefined;
    identities.forEach((identity, signerIndex) => {
      const found = cw.find(identity);
      if (!found) return;
      const { classification, verdict } = classify(cw, identity, context);
      if (best && SEVERITY[classification] <= SEVERITY[best.classification]) return;
      best = {
        watch: cw.watch.name,
        classification,
        reason: `${found.description}; ${verdict}`,
        signerIndex,
        matchedBy: found.matchedBy,
      };
    });
    if (best) matches.push(best);
  }
  return matches;
}

/**
 * Whether a watch that applies to `context.origin` finds `identity`: whether matchEntry can
 * match it, decided before its certificate chain is checked (finding never depends on the
 * chain; classifying does). A scan checks the chain only of identities this admits.
 */
export function isWatched(
  identity: ClaimedIdentity,
  watchlist: CompiledWatchlist,
  context: MatchContext = {},
): boolean {
  return watchlist.compiled.some(
    (cw) => appliesToOrigin(cw.watch, context.origin) && cw.find(identity) !== undefined,
  );
}

/**
 * A watch applies to every log unless it lists origins. A listed host also covers the Rekor v1
 * shard origins `<host> - <treeID>` of that host.
 */
function appliesToOrigin(watch: Watch, origin: string | undefined): boolean {
  if (!watch.origins || origin === undefined) return true;
  return watch.origins.some((o) => origin === o || origin.startsWith(`${o} - `));
}

function classify(
  cw: CompiledWatch,
  identity: SignerIdentity,
  context: MatchContext,
): { classification: Classification; verdict: string } {
  if (identity.type === 'x509') {
    if (identity.chain !== 'trusted') {
      const why = identity.chainProblem === undefined ? '' : ` (${identity.chainProblem})`;
      return {
        classification: 'untrusted',
        verdict: `certificate does not chain to a trusted Fulcio CA${why}`,
      };
    }
    const t = context.integratedTimeMs;
    if (t !== undefined && (t < identity.notBeforeMs || t > identity.notAfterMs)) {
      return {
        classification: 'untrusted',
        verdict:
          `certificate was not valid at the integrated time ${iso(t)} ` +
          `(valid ${iso(identity.notBeforeMs)} to ${iso(identity.notAfterMs)})`,
      };
    }
  }
  if (!cw.unmet)
    return { classification: 'unexpected', verdict: 'no expectations: every use is unexpected' };
  // Watches with expectations are github/gitlab watches, which only match certificates.
  const { unmet, met } = cw.unmet(identity as CertificateIdentity);
  if (unmet.length > 0) return { classification: 'unexpected', verdict: unmet.join(', ') };
  return { classification: 'expected', verdict: `${met.join(', ')} as expected` };
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function compileWatch(watch: Watch): CompiledWatch {
  const rule = watch.rule;
  switch (rule.kind) {
    case 'github':
      return compileCiWatch(watch, GITHUB, rule.repository);
    case 'gitlab':
      return compileCiWatch(watch, GITLAB, rule.project);
    default:
      return { watch, find: compileIdentityRule(rule) };
  }
}

function compileIdentityRule(rule: Exclude<WatchRule, { kind: 'github' | 'gitlab' }>) {
  switch (rule.kind) {
    case 'email': {
      const at = rule.address.lastIndexOf('@');
      const local = rule.address.slice(0, at);
      const domain = asciiLower(rule.address.slice(at + 1));
      const issuers = rule.issuers;
      return (identity: ClaimedIdentity): Found | undefined => {
        if (identity.type !== 'x509') return undefined;
        if (issuers && (identity.issuer === undefined || !issuers.includes(identity.issuer)))
          return undefined;
        const san = identity.sans.find((s) => {
          if (s.type !== 'email') return false;
          const sAt = s.value.lastIndexOf('@');
          return s.value.slice(0, sAt) === local && asciiLower(s.value.slice(sAt + 1)) === domain;
        });
        return san
          ? {
              matchedBy: 'email-san',
              description: `e-mail ${san.value} (issuer ${identity.issuer ?? 'none'})`,
            }
          : undefined;
      };
    }
    case 'san': {
      const matches = compilePattern(rule.pattern);
      const issuerMatches: Predicate | undefined = rule.issuer
        ? compilePattern(rule.issuer)
        : undefined;
      return (identity: ClaimedIdentity): Found | undefined => {
        if (identity.type !== 'x509') return undefined;
        if (issuerMatches && (identity.issuer === undefined || !issuerMatches(identity.issuer)))
          return undefined;
        const san = identity.sans.find((s) => matches(s.value));
        return san
          ? {
              matchedBy: 'san',
              description: `SAN ${san.value} matches ${formatPattern(rule.pattern)}`,
            }
          : undefined;
      };
    }
    case 'oid':
      return (identity: ClaimedIdentity): Found | undefined =>
        identity.type === 'x509' && extensionValue(identity, rule.oid) === rule.value
          ? { matchedBy: 'oid', description: `extension ${rule.oid} is ${rule.value}` }
          : undefined;
    case 'key':
      return (identity: ClaimedIdentity): Found | undefined =>
        identity.spkiSha256Hex === rule.spkiSha256Hex
          ? { matchedBy: 'key', description: `key ${rule.spkiSha256Hex}` }
          : undefined;
  }
}

/**
 * GitHub / GitLab: the certificate's issuer is the platform's, and either the Source Repository
 * URI (.1.12; GitHub's deprecated .1.5 when .1.12 is absent) is the repository, or a URI SAN is
 * a workflow inside it (which is also how someone calling the repository's reusable workflow
 * from elsewhere shows up: `workflow-san`). Names compare ASCII-case-insensitively.
 */
function compileCiWatch(watch: Watch, platform: CiPlatform, repository: string): CompiledWatch {
  const repoLower = asciiLower(repository);
  const repoUrl = `${platform.urlPrefix}${repoLower}`;
  const find = (identity: ClaimedIdentity): Found | undefined => {
    if (identity.type !== 'x509' || identity.issuer !== platform.issuer) return undefined;
    const source = extensionValue(identity, OID.sourceRepositoryUri);
    const legacy =
      platform === GITHUB ? extensionValue(identity, OID.githubWorkflowRepository) : undefined;
    if (
      (source !== undefined && asciiLower(source) === repoUrl) ||
      (source === undefined && legacy !== undefined && asciiLower(legacy) === repoLower)
    ) {
      return {
        matchedBy: 'source-repository',
        description: `source repository ${source ?? legacy}`,
      };
    }
    for (const san of uriSans(identity)) {
      const parsed = parseWorkflowUri(platform, san);
      if (parsed && asciiLower(parsed.repository) === repoLower) {
        const caller = source ?? legacy;
        return {
          matchedBy: 'workflow-san',
          description: `workflow ${san}${caller === undefined ? '' : ` run from ${caller}`}`,
        };
      }
    }
    return undefined;
  };
  const expect = watch.expect;
  if (!expect) return { watch, find };
  const workflows = expect.workflows?.map(compilePattern);
  const refs = expect.refs?.map(compilePattern);
  const triggers = expect.triggers;
  const unmet = (identity: CertificateIdentity) => {
    const out = { unmet: [] as string[], met: [] as string[] };
    if (workflows) {
      const config = buildConfig(platform, identity);
      if (!config) out.unmet.push('no build config URI or workflow SAN to check expect.workflows');
      else if (asciiLower(config.repository) !== repoLower) {
        // A workflow of the same name in another repository is not the expected one.
        out.unmet.push(`workflow ${config.path} is in ${config.repository}, not ${repository}`);
      } else if (!workflows.some((m) => m(config.path))) {
        out.unmet.push(`workflow ${config.path} is not in expect.workflows`);
      } else out.met.push(`workflow ${config.path}`);
    }
    if (refs) {
      const ref = sourceRef(platform, identity);
      if (ref === undefined) out.unmet.push('no source ref to check expect.refs');
      else if (!refs.some((m) => m(ref))) out.unmet.push(`ref ${ref} is not in expect.refs`);
      else out.met.push(`ref ${ref}`);
    }
    if (triggers) {
      const trigger = buildTrigger(identity);
      if (trigger === undefined) out.unmet.push('no build trigger to check expect.triggers');
      else if (!triggers.includes(trigger))
        out.unmet.push(`trigger ${trigger} is not in expect.triggers`);
      else out.met.push(`trigger ${trigger}`);
    }
    return out;
  };
  return { watch, find, unmet };
}
