// Signers of every Rekor v1 entry kind, read from the canonicalized body Rekor stores
// (sigstore/rekor pkg/types/<kind>/v<version>/<kind>_v<version>_schema.json and each type's
// Canonicalize, which always inlines fetched keys as `content`). Fields are base64 ([]byte).
import {
  arrayField,
  asObject,
  base64Field,
  entryMalformed,
  objectField,
  stringField,
  type JsonObject,
} from './entry-json';
import { signersOfTimestampResponse } from './rfc3161-response';
import { minisignSigner, pgpSigner, sshSigner, x509StyleSigner } from './signer-material';
import { signersOfTufRoot } from './tuf-root';
import type { Signer } from './types';

/** Reads the signers from a kind's `spec` object. */
export type SignerReader = (spec: JsonObject) => Signer[];

/** spec.signature.publicKey.content, an X.509 PEM (hashedrekord, jar). */
const signaturePublicKey: SignerReader = (spec) => {
  const signature = objectField(spec, 'signature', 'spec');
  const publicKey = objectField(signature, 'publicKey', 'spec.signature');
  const material = base64Field(publicKey, 'content', 'spec.signature.publicKey');
  return [x509StyleSigner(material, 'spec.signature.publicKey.content')];
};

/** spec.publicKey.content, an X.509 PEM public key (alpine). */
const x509PublicKeyContent: SignerReader = (spec) => {
  const publicKey = objectField(spec, 'publicKey', 'spec');
  const material = base64Field(publicKey, 'content', 'spec.publicKey');
  return [x509StyleSigner(material, 'spec.publicKey.content')];
};

/** spec.publicKey.content as an OpenPGP key (helm, rpm). */
const pgpPublicKeyContent: SignerReader = (spec) => {
  const publicKey = objectField(spec, 'publicKey', 'spec');
  const location = 'spec.publicKey.content';
  return [pgpSigner(base64Field(publicKey, 'content', 'spec.publicKey'), location)];
};

/** spec.publicKey as base64 X.509 PEM (intoto 0.0.1, cose). */
const specPublicKey: SignerReader = (spec) => [
  x509StyleSigner(base64Field(spec, 'publicKey', 'spec'), 'spec.publicKey'),
];

/** rekord 0.0.1: spec.signature.format picks how publicKey.content is read. */
const rekord: SignerReader = (spec) => {
  const signature = objectField(spec, 'signature', 'spec');
  const format = stringField(signature, 'format', 'spec.signature');
  const publicKey = objectField(signature, 'publicKey', 'spec.signature');
  const material = base64Field(publicKey, 'content', 'spec.signature.publicKey');
  const location = 'spec.signature.publicKey.content';
  switch (format) {
    case 'x509':
      return [x509StyleSigner(material, location)];
    case 'pgp':
      return [pgpSigner(material, location)];
    case 'minisign':
      return [minisignSigner(material, location)];
    case 'ssh':
      return [sshSigner(material, location)];
    default:
      throw entryMalformed(
        'spec.signature.format',
        `got ${JSON.stringify(format)}, want x509, pgp, minisign or ssh`,
      );
  }
};

/** intoto 0.0.2: one signer per DSSE signature, spec.content.envelope.signatures[i].publicKey. */
const intotoV002: SignerReader = (spec) => {
  const envelope = objectField(objectField(spec, 'content', 'spec'), 'envelope', 'spec.content');
  const path = 'spec.content.envelope.signatures';
  return arrayField(envelope, 'signatures', 'spec.content.envelope').map((entry, i) => {
    const signature = asObject(entry, `${path}[${i}]`);
    return x509StyleSigner(
      base64Field(signature, 'publicKey', `${path}[${i}]`),
      `${path}[${i}].publicKey`,
    );
  });
};

/** dsse 0.0.1: one signer per signature, spec.signatures[i].verifier. */
const dsseV001: SignerReader = (spec) =>
  arrayField(spec, 'signatures', 'spec').map((entry, i) => {
    const signature = asObject(entry, `spec.signatures[${i}]`);
    const location = `spec.signatures[${i}].verifier`;
    return x509StyleSigner(base64Field(signature, 'verifier', `spec.signatures[${i}]`), location);
  });

/** rfc3161 0.0.1: the TSA certificate inside spec.tsr.content (a DER TimeStampResp). */
const rfc3161: SignerReader = (spec) =>
  signersOfTimestampResponse(
    base64Field(objectField(spec, 'tsr', 'spec'), 'content', 'spec.tsr'),
    'spec.tsr.content',
  );

/** Every Rekor v1 kind and version Vigil understands, keyed `kind@apiVersion`. */
export const REKOR_V1_KINDS: Readonly<Record<string, SignerReader>> = {
  'hashedrekord@0.0.1': signaturePublicKey,
  'rekord@0.0.1': rekord,
  'intoto@0.0.1': specPublicKey,
  'intoto@0.0.2': intotoV002,
  'dsse@0.0.1': dsseV001,
  'cose@0.0.1': specPublicKey,
  'jar@0.0.1': signaturePublicKey,
  'helm@0.0.1': pgpPublicKeyContent,
  'rpm@0.0.1': pgpPublicKeyContent,
  'alpine@0.0.1': x509PublicKeyContent,
  'tuf@0.0.1': signersOfTufRoot,
  'rfc3161@0.0.1': rfc3161,
};
