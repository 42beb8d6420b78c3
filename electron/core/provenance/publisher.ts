// Who built a release, read from the verified signing certificate of its provenance: the CI
// platform, repository, workflow file, ref and trigger (Fulcio extensions, sigstore/fulcio
// docs/oid-info.md), and the watch expectations that describe such a publisher.
import type { CertificateIdentity } from '../identity/types';
import {
  GITHUB,
  GITLAB,
  buildConfig,
  buildTrigger,
  extensionValue,
  sourceRef,
  type CiPlatform,
} from '../watch/ci-identity';
import type { WatchExpectation, WatchRule } from '../watch/types';

export interface Publisher {
  readonly platform: 'github' | 'gitlab';
  /** `owner/repo` (GitLab: `group/.../project`), as the certificate writes it. */
  readonly repository: string;
  /** The workflow file that ran, e.g. `.github/workflows/release.yml`. */
  readonly workflow: string;
  readonly ref: string | undefined;
  readonly trigger: string | undefined;
  /** Source repository digest (.1.13): the commit built. */
  readonly commit: string | undefined;
}

const PLATFORMS: readonly CiPlatform[] = [GITHUB, GITLAB];
const SOURCE_DIGEST_OID = '1.3.6.1.4.1.57264.1.13';
const WORKFLOW_SHA_OID = '1.3.6.1.4.1.57264.1.3';

/** The CI publisher of a certificate, or undefined when no GitHub/GitLab workflow signed it. */
export function publisherOf(identity: CertificateIdentity): Publisher | undefined {
  for (const platform of PLATFORMS) {
    if (identity.issuer !== platform.issuer) continue;
    const config = buildConfig(platform, identity);
    if (config === undefined) continue;
    return {
      platform: platform.name,
      repository: config.repository,
      workflow: config.path,
      ref: sourceRef(platform, identity),
      trigger: buildTrigger(identity),
      // Source Repository Digest (.1.13), else the deprecated GitHub Workflow SHA (.1.3).
      commit:
        extensionValue(identity, SOURCE_DIGEST_OID) ?? extensionValue(identity, WORKFLOW_SHA_OID),
    };
  }
  return undefined;
}

/**
 * The ref pattern that covers every ref seen: the refs themselves when they differ in kind, or
 * `refs/tags/<common prefix>*` for tags that share a non-empty prefix of letters (e.g. `v`).
 */
export function refPatterns(refs: readonly string[]): string[] {
  const unique = [...new Set(refs)];
  if (unique.length === 0) return [];
  const tags = unique.filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice(10));
  if (tags.length === unique.length) {
    const prefix = commonPrefix(tags).replace(/[^A-Za-z_-]+.*$/, '');
    if (prefix !== '' || tags.every((t) => /^[0-9]/.test(t))) return [`refs/tags/${prefix}*`];
  }
  return unique.sort();
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? '';
  for (const v of values) {
    while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** The watch rule and expectations that accept these publishers (one repository). */
export function watchFor(
  publishers: readonly Publisher[],
): { rule: WatchRule; expect: WatchExpectation } | undefined {
  const first = publishers[0];
  if (first === undefined) return undefined;
  const same = publishers.filter(
    (p) => p.platform === first.platform && p.repository === first.repository,
  );
  const workflows = [...new Set(same.map((p) => p.workflow))].sort();
  const refs = refPatterns(same.flatMap((p) => (p.ref === undefined ? [] : [p.ref])));
  const triggers = [...new Set(same.flatMap((p) => (p.trigger === undefined ? [] : [p.trigger])))];
  const rule: WatchRule =
    first.platform === 'github'
      ? { kind: 'github', repository: first.repository }
      : { kind: 'gitlab', project: first.repository };
  const pattern = (source: string) =>
    ({ syntax: source.includes('*') ? 'glob' : 'exact', source }) as const;
  return {
    rule,
    expect: {
      workflows: workflows.map(pattern),
      ...(refs.length > 0 && { refs: refs.map(pattern) }),
      ...(triggers.length > 0 && { triggers: triggers.sort() }),
    },
  };
}

/** "acme/widget .github/workflows/release.yml on tags v*" */
export function describePublisher(
  repository: string,
  expect: WatchExpectation | undefined,
): string {
  const workflows = expect?.workflows?.map((p) => p.source).join(' or ') ?? 'any workflow';
  const refs =
    expect?.refs?.map((p) =>
      p.source.replace(/^refs\/tags\//, 'tags ').replace(/^refs\/heads\//, 'branch '),
    ) ?? [];
  return `${repository} ${workflows}${refs.length > 0 ? ` on ${refs.join(' or ')}` : ''}`;
}
