// Entries for growing the fake log: well-formed hashedrekord bodies (canonical JSON) signed by a
// fixed throwaway key, so entry-body parsers and matchers see realistic input. Each is a cheap,
// deterministic function of its index: the fake log rebuilds generated entries on demand
// instead of storing them.
import { generateKeyPairSync } from 'node:crypto';

const SIGNER = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const SIGNER_PEM_B64 = Buffer.from(SIGNER.export({ format: 'pem', type: 'spki' })).toString(
  'base64',
);
const SIGNER_SPKI_B64 = Buffer.from(SIGNER.export({ format: 'der', type: 'spki' })).toString(
  'base64',
);
// Not a valid signature over anything: the log never checks it, and neither does a monitor.
const DUMMY_SIGNATURE_B64 = Buffer.alloc(70, 0x30).toString('base64');

// The JSON around the one field that varies, keys in RFC 8785 order.
const V1_HEAD =
  '{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"';
const V1_TAIL = `"}},"signature":{"content":"${DUMMY_SIGNATURE_B64}","publicKey":{"content":"${SIGNER_PEM_B64}"}}}}`;
const V2_HEAD =
  '{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":{"algorithm":"SHA2_256","digest":"';
const V2_TAIL = `"},"signature":{"content":"${DUMMY_SIGNATURE_B64}","verifier":{"keyDetails":"PKIX_ECDSA_P256_SHA_256","publicKey":{"rawBytes":"${SIGNER_SPKI_B64}"}}}}}}`;

/** A 32-byte artifact digest unique to `index`. */
function digestOf(index: number): Buffer {
  const digest = Buffer.alloc(32, 0xd1);
  digest.writeUIntBE(index, 26, 6);
  return digest;
}

/** A Rekor v1 hashedrekord/0.0.1 body (the leaf bytes) for an artifact unique to `index`. */
export function v1HashedRekordBody(index: number): Uint8Array {
  return Buffer.from(V1_HEAD + digestOf(index).toString('hex') + V1_TAIL);
}

/** A Rekor v2 hashedrekord/0.0.2 entry (the leaf bytes) for an artifact unique to `index`. */
export function v2HashedRekordEntry(index: number): Uint8Array {
  return Buffer.from(V2_HEAD + digestOf(index).toString('base64') + V2_TAIL);
}
