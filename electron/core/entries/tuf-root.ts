// Signers of a Rekor v1 `tuf` 0.0.1 entry: the root keys whose signatures the logged metadata
// carries (TUF specification §4.2 key formats; Rekor pkg/pki/tuf stores root and metadata as
// canonical JSON, which the entry body holds as base64 `content`, or inline as an object).
import {
  arrayField,
  asObject,
  entryMalformed,
  objectField,
  stringField,
  type JsonObject,
} from './entry-json';
import { spkiSigner, x509StyleSigner } from './signer-material';
import type { Signer } from './types';
import { concatBytes, decodeBase64Strict, decodeHex, decodeUtf8Strict, encodeUtf8 } from '../bytes';

// SubjectPublicKeyInfo DER up to the key bytes, by raw key length (RFC 8410 §4, RFC 5480 §2).
const SPKI_PREFIX_BY_KEY_LENGTH: Readonly<Record<number, string>> = {
  32: '302a300506032b6570032100', // Ed25519
  65: '3059301306072a8648ce3d020106082a8648ce3d030107034200', // P-256 uncompressed point
  97: '3076301006072a8648ce3d020106052b81040022036200', // P-384
  133: '30819b301006072a8648ce3d020106052b8104002303818600', // P-521
};

/**
 * The public keys of spec.root that signed spec.metadata, in signature order, each once.
 * Signatures by key IDs the root does not list are skipped: such a key vouches for nothing.
 * Throws ENTRY_MALFORMED for undecodable documents or keys.
 */
export function signersOfTufRoot(spec: JsonObject): Signer[] {
  const root = tufDocument(spec, 'root');
  const metadata = tufDocument(spec, 'metadata');
  const keys = objectField(
    objectField(root, 'signed', 'spec.root.content'),
    'keys',
    'spec.root.content.signed',
  );
  const path = 'spec.metadata.content.signatures';
  const keyIds = arrayField(metadata, 'signatures', 'spec.metadata.content').map((entry, i) =>
    stringField(asObject(entry, `${path}[${i}]`), 'keyid', `${path}[${i}]`),
  );
  const signers: Signer[] = [];
  for (const keyId of new Set(keyIds)) {
    if (!Object.hasOwn(keys, keyId)) continue;
    signers.push(
      tufKeySigner(asObject(keys[keyId], `spec.root.content.signed.keys.${keyId}`), keyId),
    );
  }
  return signers;
}

/** spec.<name>.content: canonical JSON as base64 (how Rekor stores it) or as an object. */
function tufDocument(spec: JsonObject, name: 'root' | 'metadata'): JsonObject {
  const path = `spec.${name}.content`;
  const content = objectField(spec, name, 'spec').content;
  if (typeof content !== 'string') return asObject(content, path);
  const bytes = decodeBase64Strict(content);
  const text = bytes === undefined ? undefined : decodeUtf8Strict(bytes);
  if (text === undefined) throw entryMalformed(path, 'not base64 of UTF-8 text');
  try {
    return asObject(JSON.parse(text), path);
  } catch (err) {
    if (err instanceof SyntaxError) throw entryMalformed(path, 'not JSON', err);
    throw err;
  }
}

/** A TUF key: PEM SubjectPublicKeyInfo, or hex of a raw Ed25519 key or ECDSA point. */
function tufKeySigner(key: JsonObject, keyId: string): Signer {
  const path = `spec.root.content.signed.keys.${keyId}.keyval`;
  const location = `${path}.public`;
  const value = stringField(
    objectField(key, 'keyval', path.slice(0, -'.keyval'.length)),
    'public',
    path,
  );
  if (value.startsWith('-----BEGIN ')) return x509StyleSigner(encodeUtf8(value), location);
  const raw = decodeHex(value);
  const prefix = raw === undefined ? undefined : SPKI_PREFIX_BY_KEY_LENGTH[raw.length];
  if (raw === undefined || prefix === undefined || (raw.length > 32 && raw[0] !== 0x04)) {
    throw entryMalformed(location, 'want PEM, hex Ed25519 key or hex uncompressed ECDSA point');
  }
  return spkiSigner(concatBytes(decodeHex(prefix)!, raw), location);
}
