// The facts about a signer that people read in alerts and exports: who (SANs, issuer, or key),
// and for CI identities which repository, workflow, ref and trigger signed. Fulcio OIDs from
// sigstore/fulcio docs/oid-info.md; the deprecated GitHub-only extensions are the fallbacks.
import type { SignerIdentity } from '../../core/identity/types';
import { extensionValue, OID, uriSans } from '../../core/watch/ci-identity';

/**
 * What a signer says about itself; absent facts are undefined. Every value is attacker-controlled
 * text: display it through displayText.
 */
export interface SignerFacts {
  /** SAN values (certificates) or `key sha256:<hex>` (public keys). */
  readonly identity: string;
  readonly issuer?: string;
  /** Source Repository URI (.1.12), else GitHub Workflow Repository (.1.5). */
  readonly repository?: string;
  /** Build Config URI (.1.18), else the first URI SAN. */
  readonly workflow?: string;
  /** Source Repository Ref (.1.14), else GitHub Workflow Ref (.1.6). */
  readonly ref?: string;
  /** Build Trigger (.1.20), else GitHub Workflow Trigger (.1.2). */
  readonly trigger?: string;
}

/**
 * Reads the displayable facts of a signer. Raw values, neither parsed nor checked: whether they
 * meet a watch's expectations is the matcher's business (core/watch/match.ts).
 */
export function signerFacts(signer: SignerIdentity): SignerFacts {
  if (signer.type === 'publicKey') {
    return { identity: `key sha256:${signer.spkiSha256Hex} (${signer.keyFormat})` };
  }
  const ext = (oid: string, legacy: string) =>
    extensionValue(signer, oid) ?? extensionValue(signer, legacy);
  return {
    identity: signer.sans.map((san) => san.value).join(', '),
    issuer: signer.issuer,
    repository: ext(OID.sourceRepositoryUri, OID.githubWorkflowRepository),
    workflow: extensionValue(signer, OID.buildConfigUri) ?? uriSans(signer)[0],
    ref: ext(OID.sourceRepositoryRef, OID.githubWorkflowRef),
    trigger: ext(OID.buildTrigger, OID.githubWorkflowTrigger),
  };
}

// C0/C1 controls and U+2028/U+2029 end lines or move the cursor; bidi overrides reorder what a
// reader sees (CVE-2021-42574). Any of them lets a certificate value forge the lines around it.
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * `text` made safe for a one-line display: control and bidi-override characters become U+FFFD
 * and anything past `maxChars` UTF-16 units is cut with an ellipsis. For people, not parsers.
 */
export function displayText(text: string, maxChars = 200): string {
  const clean = text.replace(UNSAFE, '\uFFFD');
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars - 1)}…`;
}
