// Entries for growing the fake log: well-formed hashedrekord bodies signed by a fixed throwaway
// key, so entry-body parsers and matchers see realistic input without real signing cost.
import { createHash, generateKeyPairSync } from 'node:crypto';

const SIGNER = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const SIGNER_PEM = SIGNER.export({ format: 'pem', type: 'spki' }).toString();
const SIGNER_SPKI_B64 = Buffer.from(SIGNER.export({ format: 'der', type: 'spki' })).toString(
  'base64',
);
// Not a valid signature over anything: the log never checks it, and neither does a monitor.
const DUMMY_SIGNATURE_B64 = Buffer.alloc(70, 0x30).toString('base64');

function digestOf(index: number): Buffer {
  return createHash('sha256').update(`fake entry ${index}`).digest();
}

/** A Rekor v1 hashedrekord/0.0.1 body (the JSON leaf bytes), canonical JSON, unique per index. */
export function v1HashedRekordBody(index: number): Uint8Array {
  const body = {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: digestOf(index).toString('hex') } },
      signature: {
        content: DUMMY_SIGNATURE_B64,
        publicKey: { content: Buffer.from(SIGNER_PEM).toString('base64') },
      },
    },
  };
  return new Uint8Array(Buffer.from(JSON.stringify(body)));
}

/** A Rekor v2 hashedrekord/0.0.2 entry (the JSON leaf bytes), canonical JSON, unique per index. */
export function v2HashedRekordEntry(index: number): Uint8Array {
  const entry = {
    apiVersion: '0.0.2',
    kind: 'hashedrekord',
    spec: {
      hashedRekordV002: {
        data: { algorithm: 'SHA2_256', digest: digestOf(index).toString('base64') },
        signature: {
          content: DUMMY_SIGNATURE_B64,
          verifier: {
            keyDetails: 'PKIX_ECDSA_P256_SHA_256',
            publicKey: { rawBytes: SIGNER_SPKI_B64 },
          },
        },
      },
    },
  };
  return new Uint8Array(Buffer.from(JSON.stringify(entry)));
}
