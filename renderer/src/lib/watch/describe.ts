// A watch in words: what a pasted repository URL means, which certificates a watch matches, and
// what its expectations accept. For people; the engine's validator decides what is valid.
import type { WatchItem } from '../../../../shared/domain';

/**
 * `owner/repo` (or `group/sub/project`) from what a user pastes: the path itself, or an
 * https URL of the repository on github.com / gitlab.com (a trailing `.git`, `/` or the rest of
 * a page path such as `/tree/main` is dropped for GitHub). Anything else is returned trimmed,
 * for the engine's validator to judge.
 */
export function repositoryFrom(kind: 'github' | 'gitlab', input: string): string {
  const text = input.trim();
  const host = kind === 'github' ? 'github.com' : 'gitlab.com';
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch {
    return text;
  }
  if (url.hostname !== host && url.hostname !== `www.${host}`) return text;
  let parts = url.pathname.split('/').filter((p) => p !== '');
  // GitHub repositories are exactly owner/repo; GitLab's path ends at "/-/".
  if (kind === 'github') parts = parts.slice(0, 2);
  else {
    const dash = parts.indexOf('-');
    if (dash >= 0) parts = parts.slice(0, dash);
  }
  return parts.join('/').replace(/\.git$/, '');
}

/** Which certificates the watch matches, in one sentence. */
export function describeMatch(item: WatchItem): string {
  if (item.github !== undefined) {
    return `Signed by a GitHub Actions workflow in ${item.github || 'the repository'}, or by any workflow calling one of its reusable workflows.`;
  }
  if (item.gitlab !== undefined) {
    return `Signed by a GitLab CI pipeline of ${item.gitlab || 'the project'} on gitlab.com.`;
  }
  if (item.email !== undefined) {
    const issuers = item.issuers?.length
      ? ` through ${item.issuers.join(' or ')}`
      : ' through any OIDC provider';
    return `Signed by someone who proved they own ${item.email || 'the address'}${issuers}.`;
  }
  if (item.san !== undefined) {
    return `Certificates whose subject alternative name matches ${item.san || 'the pattern'}${item.issuer ? `, issued for ${item.issuer}` : ''}.`;
  }
  if (item.oid !== undefined) {
    return `Certificates whose extension ${item.oid || 'OID'} is ${item.value ?? '…'}.`;
  }
  if (item.key !== undefined)
    return `Entries signed with the key whose SPKI SHA-256 is ${item.key || '…'}.`;
  return 'Nothing yet.';
}

/** What the expectations accept, in one sentence; absent expectations accept any signing. */
export function describeExpect(item: WatchItem): string {
  if (item.github === undefined && item.gitlab === undefined) {
    return 'Every match alerts: this kind of watch has no expectations.';
  }
  const e = item.expect;
  if (!e || (!e.workflows?.length && !e.refs?.length && !e.triggers?.length)) {
    return 'No expectations: every signing alerts as unexpected until you mark one expected.';
  }
  const parts = [
    e.workflows?.length ? `workflow ${e.workflows.join(' or ')}` : undefined,
    e.refs?.length ? `ref ${e.refs.join(' or ')}` : undefined,
    e.triggers?.length ? `trigger ${e.triggers.join(' or ')}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `Expected: ${parts.join(', ')}. Anything else alerts.`;
}
