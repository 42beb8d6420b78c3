// Signers of Rekor v2 entries (sigstore/rekor-tiles api/proto/rekor/v2: hashedrekord.proto,
// dsse.proto, verifier.proto), in protojson form: lowerCamel names, bytes as standard base64.
import {
  arrayField,
  asObject,
  base64Field,
  entryMalformed,
  objectField,
  stringField,
  type JsonObject,
} from './entry-json';
import { certificateSigner, spkiSigner } from './signer-material';
import type { SignerReader } from './rekor-v1-kinds';
import type { Signer } from './types';

/** hashedrekord 0.0.2: spec.hashedRekordV002.signature.verifier. */
const hashedRekordV002: SignerReader = (spec) => {
  const path = 'spec.hashedRekordV002';
  const signature = objectField(objectField(spec, 'hashedRekordV002', 'spec'), 'signature', path);
  return [
    verifierSigner(
      objectField(signature, 'verifier', `${path}.signature`),
      `${path}.signature.verifier`,
    ),
  ];
};

/** dsse 0.0.2: spec.dsseV002.signatures[i].verifier. */
const dsseV002: SignerReader = (spec) => {
  const path = 'spec.dsseV002.signatures';
  return arrayField(objectField(spec, 'dsseV002', 'spec'), 'signatures', 'spec.dsseV002').map(
    (entry, i) => {
      const signature = asObject(entry, `${path}[${i}]`);
      return verifierSigner(
        objectField(signature, 'verifier', `${path}[${i}]`),
        `${path}[${i}].verifier`,
      );
    },
  );
};

/** Verifier { oneof { PublicKey public_key; X509Certificate x509_certificate }; key_details }. */
function verifierSigner(verifier: JsonObject, path: string): Signer {
  const keyDetails = stringField(verifier, 'keyDetails', path);
  const hasCertificate = verifier.x509Certificate !== undefined;
  if (hasCertificate === (verifier.publicKey !== undefined)) {
    throw entryMalformed(path, 'want exactly one of x509Certificate and publicKey');
  }
  const key = hasCertificate ? 'x509Certificate' : 'publicKey';
  const der = base64Field(objectField(verifier, key, path), 'rawBytes', `${path}.${key}`);
  return verifierKeySigner(key, der, path, keyDetails);
}

/**
 * The signer of a verifier at `path` whose `key` field (x509Certificate or publicKey) holds
 * `der` in its rawBytes: the last step of verifierSigner, shared with the canonical-form
 * reader so that both build signers, and throw, alike.
 */
export function verifierKeySigner(
  key: 'x509Certificate' | 'publicKey',
  der: Uint8Array,
  path: string,
  keyDetails: string,
): Signer {
  const location = `${path}.${key}.rawBytes`;
  return key === 'x509Certificate'
    ? certificateSigner(der, [], location, keyDetails)
    : spkiSigner(der, location, keyDetails);
}

/** Every Rekor v2 kind and version Vigil understands, keyed `kind@apiVersion`. */
export const REKOR_V2_KINDS: Readonly<Record<string, SignerReader>> = {
  'hashedrekord@0.0.2': hashedRekordV002,
  'dsse@0.0.2': dsseV002,
};
