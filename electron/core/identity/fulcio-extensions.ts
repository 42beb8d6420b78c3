// Fulcio certificate extensions under 1.3.6.1.4.1.57264.1 (sigstore/fulcio docs/oid-info.md,
// as tabulated in FORMATS.md §6): .1–.6 hold raw UTF-8, .8–.24 a DER UTF8String.
import { DER_TAG, derMalformed, readDerFrame } from './der';
import { decodeUtf8Strict } from '../bytes';

/** How an extension's extnValue octets encode its text. */
export type FulcioExtensionEncoding = 'raw' | 'DER-UTF8String';

export interface FulcioExtensionSpec {
  readonly name: string;
  readonly encoding: FulcioExtensionEncoding;
}

/** The Fulcio OID arc; .7 is not an extension but the otherName SAN type (see OTHERNAME_USERNAME_OID). */
export const FULCIO_OID_ARC = '1.3.6.1.4.1.57264.1';

/** SAN otherName type-id Fulcio uses for usernames (value: DER UTF8String). */
export const OTHERNAME_USERNAME_OID = `${FULCIO_OID_ARC}.7`;

/** Every Fulcio extension Vigil decodes, by dotted OID, with its FORMATS.md §6 name. */
export const FULCIO_EXTENSIONS: Readonly<Record<string, FulcioExtensionSpec>> = {
  [`${FULCIO_OID_ARC}.1`]: { name: 'Issuer (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.2`]: { name: 'GitHub Workflow Trigger (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.3`]: { name: 'GitHub Workflow SHA (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.4`]: { name: 'GitHub Workflow Name (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.5`]: { name: 'GitHub Workflow Repository (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.6`]: { name: 'GitHub Workflow Ref (deprecated)', encoding: 'raw' },
  [`${FULCIO_OID_ARC}.8`]: { name: 'Issuer (V2)', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.9`]: { name: 'Build Signer URI', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.10`]: { name: 'Build Signer Digest', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.11`]: { name: 'Runner Environment', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.12`]: { name: 'Source Repository URI', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.13`]: { name: 'Source Repository Digest', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.14`]: { name: 'Source Repository Ref', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.15`]: { name: 'Source Repository Identifier', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.16`]: { name: 'Source Repository Owner URI', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.17`]: {
    name: 'Source Repository Owner Identifier',
    encoding: 'DER-UTF8String',
  },
  [`${FULCIO_OID_ARC}.18`]: { name: 'Build Config URI', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.19`]: { name: 'Build Config Digest', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.20`]: { name: 'Build Trigger', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.21`]: { name: 'Run Invocation URI', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.22`]: {
    name: 'Source Repository Visibility At Signing',
    encoding: 'DER-UTF8String',
  },
  [`${FULCIO_OID_ARC}.23`]: { name: 'Deployment Environment', encoding: 'DER-UTF8String' },
  [`${FULCIO_OID_ARC}.24`]: { name: 'Token Subject', encoding: 'DER-UTF8String' },
};

/** The Fulcio OIDC issuer extensions, preferred first (.8 replaced .1 in Fulcio 1.0). */
export const ISSUER_V2_OID = `${FULCIO_OID_ARC}.8`;
export const ISSUER_V1_OID = `${FULCIO_OID_ARC}.1`;

/**
 * Decodes the extnValue octets of a Fulcio extension to text per its table encoding. Requires
 * valid UTF-8 (raw) or exactly one DER UTF8String (V2); anything else is CERTIFICATE_MALFORMED.
 */
export function decodeFulcioExtension(
  oid: string,
  spec: FulcioExtensionSpec,
  value: Uint8Array,
): string {
  let octets = value;
  if (spec.encoding === 'DER-UTF8String') {
    const frame = readDerFrame(value, 0, value.length);
    if (frame.end !== value.length) throw derMalformed(`extension ${oid} has trailing bytes`);
    if (frame.tag !== DER_TAG.UTF8_STRING) {
      throw derMalformed(`extension ${oid} is not a UTF8String`);
    }
    octets = value.subarray(frame.contentsStart);
  }
  const text = decodeUtf8Strict(octets);
  if (text === undefined) throw derMalformed(`extension ${oid} is not valid UTF-8`);
  return text;
}
