// SigningConfig v0.2 (sigstore/protobuf-specs protos/sigstore_trustroot.proto): which service
// URLs clients sign with. Vigil reads only rekorTlogUrls, to discover the logs it must watch.
import { VerificationError } from '../errors';
import { protoJsonReader } from './proto-json';
import type { SigningConfig, SigningConfigService } from './types';

export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

const read = protoJsonReader(
  (why) => new VerificationError('SIGNING_CONFIG_MALFORMED', `malformed signing config: ${why}`),
);

/**
 * Parses a v0.2 signing config already decoded from JSON. Strict on what Vigil uses
 * (mediaType, rekorTlogUrls: url, majorApiVersion, validFor with a start); other fields are
 * ignored. Throws SIGNING_CONFIG_MALFORMED.
 */
export function parseSigningConfig(json: unknown): SigningConfig {
  const config = read.object(json, '');
  const mediaType = read.reqString(config, 'mediaType', '');
  if (mediaType !== SIGNING_CONFIG_MEDIA_TYPE) {
    throw read.fail(`unsupported mediaType ${JSON.stringify(mediaType)}`);
  }
  return {
    mediaType,
    rekorTlogUrls: read
      .array(config, 'rekorTlogUrls', '')
      .map((v, i) => parseService(v, `rekorTlogUrls[${i}]`)),
  };
}

function parseService(value: unknown, path: string): SigningConfigService {
  const service = read.object(value, path);
  const url = read.reqString(service, 'url', path);
  if (!URL.canParse(url)) throw read.fail(`${path}.url is not a URL`);
  const majorApiVersion = read.reqUint(service, 'majorApiVersion', path);
  const operator = read.optString(service, 'operator', path);
  return {
    url,
    majorApiVersion,
    validFor: read.validFor(service, 'validFor', path),
    ...(operator !== undefined && { operator }),
  };
}
