// Links out of an entry, built from certificate text (attacker-controlled): a URL becomes a link
// only when it is https on a host the platform of the certificate uses, and search.sigstore.dev
// links are built by us from numbers. Anything else stays text. The Electron shell opens links
// in the OS browser through its own allowlist; this one decides what is shown as a link at all.
import type { SignerDetailView } from '../../../shared/domain';

/** Fulcio extension OIDs (sigstore/fulcio docs/oid-info.md). */
export const FULCIO = {
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const;

/** Hosts whose https URLs may be shown as links. */
export const LINK_HOSTS: readonly string[] = ['github.com', 'gitlab.com', 'search.sigstore.dev'];

/** `url` when it is an https URL on an allowed host without credentials, else undefined. */
export function safeLink(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
    return undefined;
  }
  if (!LINK_HOSTS.includes(parsed.hostname)) return undefined;
  return parsed.href;
}

export interface EntryLinks {
  /** The CI run that signed (Run Invocation URI, .1.21). */
  readonly run?: string;
  /** The commit that was built (.1.12 + /commit/ + .1.13). */
  readonly commit?: string;
  /** The entry on search.sigstore.dev (Rekor v1's public instance only). */
  readonly search?: string;
}

const REKOR_V1_ORIGIN = /^rekor\.sigstore\.dev\b/;

/** The links an entry offers; each present only when it passes safeLink. */
export function entryLinks(
  signer: SignerDetailView,
  entry: { readonly origin: string; readonly logIndex: number },
): EntryLinks {
  const ext = (oid: string) => (signer.type === 'x509' ? signer.extensions[oid]?.value : undefined);
  const repo = ext(FULCIO.sourceRepositoryUri);
  const digest = ext(FULCIO.sourceRepositoryDigest);
  const commit =
    repo !== undefined && digest !== undefined && /^[0-9a-f]{40,64}$/i.test(digest)
      ? `${repo.replace(/\/+$/, '')}/${repo.includes('gitlab.com') ? '-/commit' : 'commit'}/${digest}`
      : undefined;
  const run = safeLink(ext(FULCIO.runInvocationUri));
  const commitLink = safeLink(commit);
  // search.sigstore.dev reads Rekor v1's public log by its global index.
  const search = REKOR_V1_ORIGIN.test(entry.origin)
    ? `https://search.sigstore.dev/?logIndex=${entry.logIndex}`
    : undefined;
  return {
    ...(run !== undefined && { run }),
    ...(commitLink !== undefined && { commit: commitLink }),
    ...(search !== undefined && { search }),
  };
}
