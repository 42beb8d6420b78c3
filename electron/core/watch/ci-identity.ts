// CI facts (repository, workflow, ref, trigger) read from a Fulcio certificate identity, for
// GitHub Actions and GitLab CI. OIDs from sigstore/fulcio docs/oid-info.md.
import type { ClaimedCertificateIdentity } from '../identity/types';

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

const FULCIO = '1.3.6.1.4.1.57264.1';
export const OID = {
  githubWorkflowTrigger: `${FULCIO}.2`,
  githubWorkflowRepository: `${FULCIO}.5`,
  githubWorkflowRef: `${FULCIO}.6`,
  sourceRepositoryUri: `${FULCIO}.12`,
  sourceRepositoryRef: `${FULCIO}.14`,
  buildConfigUri: `${FULCIO}.18`,
  buildTrigger: `${FULCIO}.20`,
} as const;

/** A CI platform Vigil understands, with how its workflow URIs are laid out. */
export interface CiPlatform {
  readonly name: 'github' | 'gitlab';
  readonly issuer: string;
  /** `https://github.com/` */
  readonly urlPrefix: string;
  /**
   * What separates the repository from the workflow path in a workflow URI: GitHub writes
   * `https://github.com/o/r/.github/workflows/x.yml@ref`, GitLab `https://gitlab.com/g/p//.gitlab-ci.yml@ref`
   * (GitLab projects nest, so only the `//` is unambiguous).
   */
  readonly pathSeparator: '/' | '//';
}

export const GITHUB: CiPlatform = {
  name: 'github',
  issuer: GITHUB_ACTIONS_ISSUER,
  urlPrefix: 'https://github.com/',
  pathSeparator: '/',
};

export const GITLAB: CiPlatform = {
  name: 'gitlab',
  issuer: GITLAB_ISSUER,
  urlPrefix: 'https://gitlab.com/',
  pathSeparator: '//',
};

/** A workflow URI split into its parts; `repository` is as written (not case-folded). */
export interface WorkflowUri {
  readonly repository: string;
  readonly path: string;
  /** After the first `@`; undefined when the URI has none. */
  readonly ref: string | undefined;
}

/** Lowercases ASCII letters only: GitHub and GitLab names are ASCII, and Unicode case folding
 * would let look-alike characters (U+212A KELVIN SIGN folds to `k`) compare equal. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Splits `https://github.com/o/r/path@ref` (or GitLab's `https://gitlab.com/g/p//path@ref`).
 * The ref starts at the first `@`, so a branch named `x@refs/tags/v1` cannot pose as a tag.
 * Returns undefined for anything else.
 */
export function parseWorkflowUri(platform: CiPlatform, uri: string): WorkflowUri | undefined {
  if (!uri.startsWith(platform.urlPrefix)) return undefined;
  const rest = uri.slice(platform.urlPrefix.length);
  let repoEnd: number;
  if (platform.pathSeparator === '//') {
    repoEnd = rest.indexOf('//');
  } else {
    const ownerEnd = rest.indexOf('/');
    repoEnd = ownerEnd === -1 ? -1 : rest.indexOf('/', ownerEnd + 1);
  }
  if (repoEnd <= 0) return undefined;
  const repository = rest.slice(0, repoEnd);
  const pathAndRef = rest.slice(repoEnd + platform.pathSeparator.length);
  const at = pathAndRef.indexOf('@');
  const path = at === -1 ? pathAndRef : pathAndRef.slice(0, at);
  if (path === '') return undefined;
  return { repository, path, ref: at === -1 ? undefined : pathAndRef.slice(at + 1) };
}

/** The value of a Fulcio extension, or undefined. */
export function extensionValue(
  identity: ClaimedCertificateIdentity,
  oid: string,
): string | undefined {
  return Object.hasOwn(identity.extensions, oid) ? identity.extensions[oid]?.value : undefined;
}

/** URI SANs of the certificate. */
export function uriSans(identity: ClaimedCertificateIdentity): string[] {
  return identity.sans.filter((san) => san.type === 'uri').map((san) => san.value);
}

/** The workflow that was run: Build Config URI (.1.18), else the first workflow-shaped URI SAN. */
export function buildConfig(
  platform: CiPlatform,
  identity: ClaimedCertificateIdentity,
): WorkflowUri | undefined {
  const config = extensionValue(identity, OID.buildConfigUri);
  if (config !== undefined) return parseWorkflowUri(platform, config);
  for (const san of uriSans(identity)) {
    const parsed = parseWorkflowUri(platform, san);
    if (parsed) return parsed;
  }
  return undefined;
}

/** Source ref: .1.14, else the deprecated .1.6, else the first URI SAN's `@ref`. */
export function sourceRef(
  platform: CiPlatform,
  identity: ClaimedCertificateIdentity,
): string | undefined {
  const ref =
    extensionValue(identity, OID.sourceRepositoryRef) ??
    extensionValue(identity, OID.githubWorkflowRef);
  if (ref !== undefined) return ref;
  for (const san of uriSans(identity)) {
    const parsed = parseWorkflowUri(platform, san);
    if (parsed?.ref !== undefined) return parsed.ref;
  }
  return undefined;
}

/** Build trigger: .1.20, else the deprecated .1.2. */
export function buildTrigger(identity: ClaimedCertificateIdentity): string | undefined {
  return (
    extensionValue(identity, OID.buildTrigger) ??
    extensionValue(identity, OID.githubWorkflowTrigger)
  );
}
