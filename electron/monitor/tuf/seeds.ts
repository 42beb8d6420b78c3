// Trust material shipped inside Vigil: the Sigstore TUF root the client starts from, and the
// production trusted root and signing configs used when no TUF refresh has ever succeeded.
import { readFileSync } from 'node:fs';
import { SIGNING_CONFIG_TARGETS, TRUSTED_ROOT_TARGET } from './trust-targets';

/** The public Sigstore TUF mirror (FORMATS.md §5.3). */
export const SIGSTORE_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

/** Root metadata v16 of the Sigstore TUF repository, as shipped (seeds/README.md). */
export function readShippedTufRoot(): Uint8Array {
  return readFileSync(new URL('./seeds/tuf-root.production.v16.json', import.meta.url));
}

/** The production targets shipped in electron/core/trust/seeds, keyed by their TUF target name. */
export function readShippedTargets(): ReadonlyMap<string, Uint8Array> {
  const seeds = new URL('../../core/trust/seeds/', import.meta.url);
  const [signingConfig, signingConfigRekorV2] = SIGNING_CONFIG_TARGETS;
  return new Map([
    [TRUSTED_ROOT_TARGET, readFileSync(new URL('trusted_root.production.json', seeds))],
    [signingConfig, readFileSync(new URL('signing_config.v0.2.production.json', seeds))],
    [
      signingConfigRekorV2,
      readFileSync(new URL('signing_config_rekor_v2.v0.2.production.json', seeds)),
    ],
  ]);
}
