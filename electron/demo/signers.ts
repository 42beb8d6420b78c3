// Signing identities for planted entries: GitHub Actions workflows and e-mail logins, as Fulcio
// certificates from the demo's test CA (or self-signed / expired look-alikes).
import {
  DEFAULT_LEAF_NOT_BEFORE_MS,
  createSelfSignedLeaf,
  type LeafOptions,
  type TestCa,
  type TestCertificate,
} from './cert-factory';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** A GitHub Actions workflow identity: `https://github.com/<repo>/<workflow>@<ref>`. */
export interface WorkflowIdentity {
  readonly repo: string;
  readonly workflow: string;
  readonly ref: string;
}

/** Leaf options for a GitHub Actions signing certificate with Fulcio's extensions. */
export function workflowLeafOptions(
  id: WorkflowIdentity,
  validity: Partial<LeafOptions> = {},
): LeafOptions {
  const san = `https://github.com/${id.repo}/${id.workflow}@${id.ref}`;
  return {
    ...validity,
    sans: [{ type: 'uri', value: san }],
    extensions: {
      '1.3.6.1.4.1.57264.1.8': GITHUB_ISSUER,
      '1.3.6.1.4.1.57264.1.12': `https://github.com/${id.repo}`,
      '1.3.6.1.4.1.57264.1.14': id.ref,
      '1.3.6.1.4.1.57264.1.18': san,
      '1.3.6.1.4.1.57264.1.20': 'push',
    },
  };
}

/** An e-mail identity, as a Fulcio certificate from an OIDC login carries it. */
export interface EmailIdentity {
  readonly email: string;
}

export type SignerSpec = WorkflowIdentity | EmailIdentity;

function leafOptionsFor(id: SignerSpec, validity: Partial<LeafOptions>): LeafOptions {
  if ('repo' in id) return workflowLeafOptions(id, validity);
  return {
    ...validity,
    sans: [{ type: 'email', value: id.email }],
    extensions: { '1.3.6.1.4.1.57264.1.8': 'https://accounts.example.test' },
  };
}

/** How a planted signing's certificate is made. */
export type Issuer =
  /** Issued by the trusted test CA, valid when the entry is integrated. */
  | 'trusted'
  /** A self-signed look-alike: same names and extensions, chains to nothing. */
  | 'self-signed'
  /** Issued by the trusted CA but expired a day before the entry was integrated. */
  | 'expired';

/**
 * A signing certificate for `id`. `integratedAtS` is when the entry will be integrated (Rekor v1;
 * undefined for v2, whose entries carry no time).
 */
export function signingCertificate(
  ca: TestCa,
  id: SignerSpec,
  issuer: Issuer,
  integratedAtS?: number,
): TestCertificate {
  const atMs = integratedAtS === undefined ? DEFAULT_LEAF_NOT_BEFORE_MS : integratedAtS * 1000;
  const notBeforeMs = issuer === 'expired' ? atMs - 86_400_000 : atMs - 60_000;
  const options = leafOptionsFor(id, { notBeforeMs });
  return issuer === 'self-signed' ? createSelfSignedLeaf(options) : ca.issueLeaf(options);
}
