// Sigstore bundles (sigstore/protobuf-specs protos/sigstore_bundle.proto): only the
// transparency log entries in verificationMaterial.tlogEntries are read here.
import { VerificationError } from '../errors';
import { protoJsonReader } from '../trust/proto-json';
import { parseTransparencyLogEntry, type EntryInput } from './entry-input';

/** Bundle media types and the bundle format version each denotes. */
export const BUNDLE_MEDIA_TYPES: Readonly<Record<string, '0.1' | '0.2' | '0.3'>> = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
};

/** True if `mediaType` claims to be some Sigstore bundle, known version or not. */
export function isBundleMediaType(mediaType: unknown): boolean {
  return (
    typeof mediaType === 'string' && mediaType.startsWith('application/vnd.dev.sigstore.bundle')
  );
}

const read = protoJsonReader(
  (why) => new VerificationError('BUNDLE_MALFORMED', `malformed bundle: ${why}`),
);

/**
 * Parses the tlog entries of a bundle, in order. Enforces the bundle format's own rules: a
 * v0.1 entry must carry an inclusion promise (SET); v0.2 and later entries must carry an
 * inclusion proof with a checkpoint. Throws VerificationError('BUNDLE_MALFORMED') for an
 * unknown media type, a bundle without tlog entries, or a malformed entry. Verifies nothing.
 */
export function parseBundleEntries(json: unknown): EntryInput[] {
  const bundle = read.object(json, 'bundle');
  const mediaType = read.reqString(bundle, 'mediaType', 'bundle');
  const version = Object.hasOwn(BUNDLE_MEDIA_TYPES, mediaType)
    ? BUNDLE_MEDIA_TYPES[mediaType]
    : undefined;
  if (version === undefined) throw read.fail(`unsupported mediaType ${JSON.stringify(mediaType)}`);
  const material = read.reqObject(bundle, 'verificationMaterial', 'bundle');
  const tlogEntries = read.array(material, 'tlogEntries', 'bundle.verificationMaterial');
  if (tlogEntries.length === 0) throw read.fail('no transparency log entries (tlogEntries)');
  return tlogEntries.map((value, i) => {
    const path = `bundle.verificationMaterial.tlogEntries[${i}]`;
    const entry = parseTransparencyLogEntry(value, 'bundle', path);
    if (version === '0.1' && entry.signedEntryTimestamp === undefined) {
      throw read.fail(`${path}: a v0.1 bundle entry needs an inclusionPromise`);
    }
    if (version !== '0.1' && entry.inclusionProof?.checkpoint === undefined) {
      throw read.fail(
        `${path}: a v${version} bundle entry needs an inclusionProof with a checkpoint`,
      );
    }
    return entry;
  });
}
