// The TUF targets Vigil reads from the Sigstore repository (FORMATS.md §5.3), by target name, and
// the one JSON parse they all go through.
import { decodeUtf8Strict } from '../../core/bytes';
import { VerificationError } from '../../core/errors';

/** Required: without a trusted root there are no log keys. */
export const TRUSTED_ROOT_TARGET = 'trusted_root.json';

/** Optional: older and private repositories do not publish them. Order is kept in TrustMaterial. */
export const SIGNING_CONFIG_TARGETS = [
  'signing_config.v0.2.json',
  'signing_config_rekor_v2.v0.2.json',
] as const;

export const TRUST_TARGETS: readonly string[] = [TRUSTED_ROOT_TARGET, ...SIGNING_CONFIG_TARGETS];

/** Target name -> parsed JSON document. Always holds TRUSTED_ROOT_TARGET. */
export type TargetDocuments = ReadonlyMap<string, unknown>;

/**
 * Parses each target's bytes as UTF-8 JSON. Throws VerificationError TRUSTED_ROOT_MALFORMED or
 * SIGNING_CONFIG_MALFORMED naming the target, and TRUSTED_ROOT_MALFORMED if the trusted root is
 * missing. Syntax only: the schema is checked by core/trust (parseTrustedRoot, parseSigningConfig).
 */
export function parseTargetDocuments(
  bytesByName: ReadonlyMap<string, Uint8Array>,
): TargetDocuments {
  if (!bytesByName.has(TRUSTED_ROOT_TARGET)) {
    throw new VerificationError(
      'TRUSTED_ROOT_MALFORMED',
      `target ${TRUSTED_ROOT_TARGET} is missing`,
    );
  }
  const documents = new Map<string, unknown>();
  for (const [name, bytes] of bytesByName) {
    const code =
      name === TRUSTED_ROOT_TARGET ? 'TRUSTED_ROOT_MALFORMED' : 'SIGNING_CONFIG_MALFORMED';
    documents.set(name, parseJsonDocument(bytes, code, name));
  }
  return documents;
}

/** Parses UTF-8 JSON bytes, throwing VerificationError(code) that names `what` on bad input. */
export function parseJsonDocument(
  bytes: Uint8Array,
  code: 'TRUSTED_ROOT_MALFORMED' | 'SIGNING_CONFIG_MALFORMED',
  what: string,
): unknown {
  const text = decodeUtf8Strict(bytes);
  if (text === undefined) throw new VerificationError(code, `${what} is not valid utf-8`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VerificationError(code, `${what} is not valid json`, undefined, { cause: err });
  }
}
