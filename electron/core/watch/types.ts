// The watchlist model: watches (an identity to look for + expectations), and the matches they
// produce. The file format that carries it is documented in the README ("Watchlist").

/**
 * A value pattern as written in a watchlist: `exact` text, a `glob` (`*` stays inside one `/`
 * segment, `**` crosses segments) or a `regex` (always anchored). See pattern.ts.
 */
export interface Pattern {
  readonly syntax: 'exact' | 'glob' | 'regex';
  /** The pattern without its `regex:` prefix. */
  readonly source: string;
}

/** What a watch looks for in a signer. Discriminated by `kind`, the watchlist key that names it. */
export type WatchRule =
  | {
      /** GitHub Actions workflow identities of one repository, `owner/repo`. */
      readonly kind: 'github';
      readonly repository: string;
    }
  | {
      /** GitLab CI identities of one project on gitlab.com, `group[/subgroup...]/project`. */
      readonly kind: 'gitlab';
      readonly project: string;
    }
  | {
      /** An e-mail SAN; the domain compares case-insensitively. */
      readonly kind: 'email';
      readonly address: string;
      /** OIDC issuers that count (exact); undefined = any issuer. */
      readonly issuers?: readonly string[];
    }
  | {
      /** Any SAN (every type) matching a pattern, optionally with an issuer pattern. */
      readonly kind: 'san';
      readonly pattern: Pattern;
      readonly issuer?: Pattern;
    }
  | {
      /** A Fulcio extension (dotted OID under 1.3.6.1.4.1.57264.1) with exactly this value. */
      readonly kind: 'oid';
      readonly oid: string;
      readonly value: string;
    }
  | {
      /** A signing key, by SHA-256 of its SubjectPublicKeyInfo DER (lowercase hex). */
      readonly kind: 'key';
      readonly spkiSha256Hex: string;
    };

export type WatchKind = WatchRule['kind'];

/**
 * What a legitimate signing looks like. A trusted match is `expected` only when it meets every
 * listed field (each field: one of the listed values). Only for `github` and `gitlab` watches.
 */
export interface WatchExpectation {
  /** Workflow / CI config paths in the watched repository, e.g. `.github/workflows/release.yml`. */
  readonly workflows?: readonly Pattern[];
  /** Git refs, e.g. `refs/tags/v*`. */
  readonly refs?: readonly Pattern[];
  /** Build triggers (Fulcio .1.20), exact, e.g. `push`, `release`. */
  readonly triggers?: readonly string[];
}

/** One watchlist item. */
export interface Watch {
  /** Unique within the watchlist: given in the file, or derived from the rule (`github:acme/widget`). */
  readonly name: string;
  readonly rule: WatchRule;
  readonly expect?: WatchExpectation;
  readonly enabled: boolean;
  /**
   * Log origins this watch applies to (a host also covers its Rekor v1 shard origins
   * `<host> - <treeID>`); undefined = every log.
   */
  readonly origins?: readonly string[];
}

/** A parsed watchlist file (`version: 1`). */
export interface Watchlist {
  readonly version: 1;
  readonly watches: readonly Watch[];
}

/**
 * `expected`: a trusted signing that meets every expectation. `unexpected`: a trusted signing
 * that does not (or a watch without expectations): the one to alert loudly on. `untrusted`: the
 * certificate does not chain to a trusted Fulcio CA, or was not valid when the entry was
 * integrated: someone claims the identity.
 */
export type Classification = 'expected' | 'unexpected' | 'untrusted';

/** Which part of the signer made the watch match. */
export type MatchedBy = 'source-repository' | 'workflow-san' | 'email-san' | 'san' | 'oid' | 'key';

/** A watch that matched one entry (one per watch, for its most severe signer). */
export interface WatchMatch {
  /** The watch's name. */
  readonly watch: string;
  readonly classification: Classification;
  /** One line for people: what matched and why it is classified so. */
  readonly reason: string;
  /** Index into the entry's signers. */
  readonly signerIndex: number;
  readonly matchedBy: MatchedBy;
}

/** Facts about the entry the signers came from. */
export interface MatchContext {
  /** Rekor v1 integrated time; certificates must have been valid then. Omit for Rekor v2. */
  readonly integratedTimeMs?: number;
  /** Origin of the log the entry is in; watches with `origins` skip other logs. Omit to match all. */
  readonly origin?: string;
}
