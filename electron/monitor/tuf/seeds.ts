// Trust material shipped inside Vigil: the Sigstore TUF root the client starts from, and the
// production trusted root and signing configs used when no TUF refresh has ever succeeded.
// Imported as modules (not read from disk) so they travel inside the Electron bundle.
import trustedRoot from '../../core/trust/seeds/trusted_root.production.json' with { type: 'json' };
import signingConfig from '../../core/trust/seeds/signing_config.v0.2.production.json' with { type: 'json' };
import signingConfigRekorV2 from '../../core/trust/seeds/signing_config_rekor_v2.v0.2.production.json' with { type: 'json' };
import tufRoot from './seeds/tuf-root.production.v16.json' with { type: 'json' };
import { SIGNING_CONFIG_TARGETS, TRUSTED_ROOT_TARGET } from './trust-targets';

/** The public Sigstore TUF mirror (FORMATS.md §5.3). */
export const SIGSTORE_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

const encode = (json: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(json));

/**
 * Root metadata v16 of the Sigstore TUF repository, as shipped (seeds/README.md). Re-serialised
 * JSON: TUF verifies the canonical form of the parsed "signed" object, not these bytes.
 */
export function readShippedTufRoot(): Uint8Array {
  return encode(tufRoot);
}

/** The production targets shipped in electron/core/trust/seeds, keyed by their TUF target name. */
export function readShippedTargets(): ReadonlyMap<string, Uint8Array> {
  const [signingConfigName, signingConfigRekorV2Name] = SIGNING_CONFIG_TARGETS;
  return new Map([
    [TRUSTED_ROOT_TARGET, encode(trustedRoot)],
    [signingConfigName, encode(signingConfig)],
    [signingConfigRekorV2Name, encode(signingConfigRekorV2)],
  ]);
}
