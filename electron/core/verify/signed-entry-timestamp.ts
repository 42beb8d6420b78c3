// Rekor v1 Signed Entry Timestamp (FORMATS.md §1.6; sigstore/rekor pkg/api/entries.go signEntry):
// an ASN.1 DER ECDSA signature, by the log key, over the RFC 8785 canonical JSON of exactly
// {body, integratedTime, logID, logIndex}.
import { createPublicKey, verify } from 'node:crypto';
import { encodeBase64, encodeUtf8 } from '../bytes';
import { VerificationError } from '../errors';

/** The four signed fields. `logIndex` is the global (virtual) index. */
export interface SetPayloadFields {
  readonly body: Uint8Array;
  /** Unix seconds. */
  readonly integratedTime: number;
  readonly logIdHex: string;
  readonly logIndex: number;
}

/**
 * The SET payload bytes: RFC 8785 canonical JSON of the four fields. Canonical JSON is written
 * by hand because it is tiny here: keys in UTF-16 order (body, integratedTime, logID, logIndex),
 * no whitespace, integers in shortest decimal form, and strings (base64 and lowercase hex) that
 * need no escaping. Requires safe non-negative integers and a hex logID (callers parsed them).
 */
export function setPayload(fields: SetPayloadFields): Uint8Array {
  const { body, integratedTime, logIdHex, logIndex } = fields;
  for (const [name, n] of [
    ['integratedTime', integratedTime],
    ['logIndex', logIndex],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new VerificationError('SET_INVALID', `${name} ${n} is not a non-negative integer`);
    }
  }
  if (!/^[0-9a-f]+$/.test(logIdHex)) {
    throw new VerificationError('SET_INVALID', 'logID is not lowercase hex');
  }
  return encodeUtf8(
    `{"body":"${encodeBase64(body)}","integratedTime":${integratedTime},"logID":"${logIdHex}","logIndex":${logIndex}}`,
  );
}

/**
 * Verifies a SET with the log key `spki` (DER SubjectPublicKeyInfo, ECDSA). Throws
 * VerificationError('SET_INVALID') if the signature does not verify, is not DER, or the key
 * does not parse. Does not check which log the key belongs to or when it was valid.
 */
export function verifySignedEntryTimestamp(
  fields: SetPayloadFields,
  signature: Uint8Array,
  spki: Uint8Array,
): void {
  const payload = setPayload(fields);
  let ok: boolean;
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    ok = verify('sha256', payload, key, signature);
  } catch {
    // OpenSSL throws plain Errors for unparsable keys; a bad key is a failed verification.
    ok = false;
  }
  if (!ok) {
    throw new VerificationError(
      'SET_INVALID',
      `signed entry timestamp of entry ${fields.logIndex} does not verify with log ${fields.logIdHex}`,
    );
  }
}
