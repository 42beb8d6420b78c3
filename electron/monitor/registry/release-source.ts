// What a package watch reads from a registry, whichever registry it is: the releases with their
// artifacts and listed digests, and the attestation bundles of an artifact.
import { VerificationError } from '../../core/errors';

export type Ecosystem = 'npm' | 'pypi';

export interface Artifact {
  /** npm: `name@version`; PyPI: the file name. */
  readonly name: string;
  /** The digest the registry lists, lowercase hex. */
  readonly digest: { readonly algorithm: string; readonly hex: string };
}

export interface Release {
  readonly version: string;
  /** When the registry says it was published; undefined when it does not say. */
  readonly publishedAtMs: number | undefined;
  readonly artifacts: readonly Artifact[];
}

export interface ReleaseSource {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  /** The registry's base URL, for messages and evidence. */
  readonly registry: string;
  /** Every release, oldest first by publication time where known. */
  listReleases(): Promise<Release[]>;
  /** The Sigstore bundles (JSON) attached to one artifact; [] when it has none. */
  attestations(release: Release, artifact: Artifact): Promise<unknown[]>;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A registry answer of the wrong shape: the same code as a body that does not parse. */
export function malformed(what: string, problem: string): never {
  throw new VerificationError('RESPONSE_MALFORMED', `${what}: ${problem}`);
}

/** Sorts releases by publication time (unknown last), keeping the registry's order on ties. */
export function byPublication(releases: Release[]): Release[] {
  return releases
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.publishedAtMs ?? Infinity) - (b.r.publishedAtMs ?? Infinity) || a.i - b.i)
    .map(({ r }) => r);
}
