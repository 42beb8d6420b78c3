// TrustedRoot (sigstore/protobuf-specs protos/sigstore_trustroot.proto), protobuf-JSON, media
// types v0.1 and v0.2. Parsing only: whether a key is valid at some time is the caller's check.
import { encodeHex } from '../bytes';
import { VerificationError } from '../errors';
import { protoJsonReader } from './proto-json';
import type { CertificateAuthority, TransparencyLogKey, TrustedRoot } from './types';

/** The media types parseTrustedRoot accepts. */
export const TRUSTED_ROOT_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
];

const read = protoJsonReader(
  (why) => new VerificationError('TRUSTED_ROOT_MALFORMED', `malformed trusted root: ${why}`),
);

/**
 * Parses a trusted root already decoded from JSON. Strict: unknown media types, missing keys,
 * non-canonical base64, a validFor without a start, or an end before the start throw
 * TRUSTED_ROOT_MALFORMED. Unknown fields are ignored. Does not check that keys parse as keys.
 */
export function parseTrustedRoot(json: unknown): TrustedRoot {
  const root = read.object(json, '');
  const mediaType = read.reqString(root, 'mediaType', '');
  if (!TRUSTED_ROOT_MEDIA_TYPES.includes(mediaType)) {
    throw read.fail(`unsupported mediaType ${JSON.stringify(mediaType)}`);
  }
  return {
    mediaType,
    tlogs: read.array(root, 'tlogs', '').map((v, i) => parseLogKey(v, `tlogs[${i}]`)),
    certificateAuthorities: read
      .array(root, 'certificateAuthorities', '')
      .map((v, i) => parseAuthority(v, `certificateAuthorities[${i}]`)),
    ctlogs: read.array(root, 'ctlogs', '').map((v, i) => parseLogKey(v, `ctlogs[${i}]`)),
    timestampAuthorities: read
      .array(root, 'timestampAuthorities', '')
      .map((v, i) => parseAuthority(v, `timestampAuthorities[${i}]`)),
  };
}

function parseLogKey(value: unknown, path: string): TransparencyLogKey {
  const log = read.object(value, path);
  const baseUrl = read.reqString(log, 'baseUrl', path);
  if (!URL.canParse(baseUrl)) throw read.fail(`${path}.baseUrl is not a URL`);
  const publicKey = read.reqObject(log, 'publicKey', path);
  const keyPath = `${path}.publicKey`;
  const checkpointKeyId = read.optObject(log, 'checkpointKeyId', path);
  const operator = read.optString(log, 'operator', path);
  return {
    baseUrl,
    hashAlgorithm: read.reqString(log, 'hashAlgorithm', path),
    publicKeySpki: read.reqBytes(publicKey, 'rawBytes', keyPath),
    keyDetails: read.reqString(publicKey, 'keyDetails', keyPath),
    validFor: read.validFor(publicKey, 'validFor', keyPath),
    logIdHex: encodeHex(
      read.reqBytes(read.reqObject(log, 'logId', path), 'keyId', `${path}.logId`),
    ),
    ...(checkpointKeyId && {
      checkpointKeyIdHex: encodeHex(
        read.reqBytes(checkpointKeyId, 'keyId', `${path}.checkpointKeyId`),
      ),
    }),
    ...(operator !== undefined && { operator }),
  };
}

function parseAuthority(value: unknown, path: string): CertificateAuthority {
  const ca = read.object(value, path);
  const subject = read.optObject(ca, 'subject', path);
  const chain = read.reqObject(ca, 'certChain', path);
  const certs = read.array(chain, 'certificates', `${path}.certChain`);
  return {
    uri: read.optString(ca, 'uri', path) ?? '',
    ...(subject && {
      subject: {
        organization: read.optString(subject, 'organization', `${path}.subject`),
        commonName: read.optString(subject, 'commonName', `${path}.subject`),
      },
    }),
    certChainDer: certs.map((c, i) => {
      const p = `${path}.certChain.certificates[${i}]`;
      return read.reqBytes(read.object(c, p), 'rawBytes', p);
    }),
    validFor: read.validFor(ca, 'validFor', path),
  };
}
