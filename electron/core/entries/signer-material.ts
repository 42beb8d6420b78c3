// Signer material as Rekor logs it, to Signer values: PEM (RFC 7468) certificates, certificate
// bundles and public keys, bare DER, OpenPGP keys (RFC 4880 §6.2 armor or binary), minisign
// public keys and OpenSSH public keys. Only framing is checked here; identify parses contents.
import { entryMalformed } from './entry-json';
import type { Signer } from './types';
import { AppError } from '../errors';
import { DER_TAG, checkDerChildren, readDerChild, readDerWhole } from '../identity/der';
import { decodeBase64Strict, decodeUtf8Strict } from '../bytes';

const PEM_BLOCK =
  /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)\r?\n?-----END \1-----(?:\r?\n|$)/;
const PGP_ARMOR_BEGIN = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const PGP_ARMOR_END = '-----END PGP PUBLIC KEY BLOCK-----';

/**
 * A signer from an X.509-style field: PEM certificate(s) (the first is the signer, the rest
 * its presented chain), a PEM public key, or the same as bare DER. Throws ENTRY_MALFORMED.
 */
export function x509StyleSigner(
  material: Uint8Array,
  location: string,
  keyDetails?: string,
): Signer {
  const text = decodeUtf8Strict(material);
  if (text !== undefined && text.trimStart().startsWith('-----BEGIN ')) {
    const blocks = parsePem(text, location);
    const [first, ...rest] = blocks;
    if (first?.label === 'PUBLIC KEY' && rest.length === 0) {
      return spkiSigner(checkSpki(first.der, location), location, keyDetails);
    }
    if (blocks.every((b) => b.label === 'CERTIFICATE') && first !== undefined) {
      return certificateSigner(
        first.der,
        rest.map((b) => b.der),
        location,
        keyDetails,
      );
    }
    const labels = blocks.map((b) => b.label).join(', ');
    throw entryMalformed(location, `PEM blocks [${labels}], want certificates or one public key`);
  }
  return derSigner(material, location, keyDetails);
}

/** A signer from bare DER: a Certificate or a SubjectPublicKeyInfo, told apart by shape. */
export function derSigner(der: Uint8Array, location: string, keyDetails?: string): Signer {
  const shape = derShape(der, location);
  return shape === 'certificate'
    ? certificateSigner(der, [], location, keyDetails)
    : spkiSigner(der, location, keyDetails);
}

/** A certificate signer from DER, which must at least be one framed SEQUENCE. */
export function certificateSigner(
  der: Uint8Array,
  chain: readonly Uint8Array[],
  location: string,
  keyDetails?: string,
): Signer {
  if (derShape(der, location) !== 'certificate') {
    throw entryMalformed(location, 'DER is not shaped like a certificate');
  }
  return {
    type: 'x509',
    certificateDer: der,
    ...(chain.length > 0 ? { presentedChainDer: chain } : {}),
    location,
    ...(keyDetails === undefined ? {} : { keyDetails }),
  };
}

/** A public-key signer from SubjectPublicKeyInfo DER. */
export function spkiSigner(spki: Uint8Array, location: string, keyDetails?: string): Signer {
  return {
    type: 'publicKey',
    keyFormat: 'spki',
    keyBytes: spki,
    location,
    ...(keyDetails === undefined ? {} : { keyDetails }),
  };
}

/** An OpenPGP public key, ASCII-armored or binary; keyBytes is always the binary packets. */
export function pgpSigner(material: Uint8Array, location: string): Signer {
  const text = decodeUtf8Strict(material);
  let packets = material;
  if (text !== undefined && text.trimStart().startsWith(PGP_ARMOR_BEGIN)) {
    packets = dearmor(text, location);
  } else if (((material[0] ?? 0) & 0x80) === 0) {
    // RFC 4880 §4.2: bit 7 of every packet tag is one.
    throw entryMalformed(location, 'neither an armored nor a binary OpenPGP key');
  }
  return { type: 'publicKey', keyFormat: 'pgp', keyBytes: packets, location };
}

/**
 * A minisign public key, as the key line alone or the two-line file with its untrusted
 * comment; keyBytes is the 42 decoded bytes ("Ed" ‖ key ID ‖ Ed25519 key).
 */
export function minisignSigner(material: Uint8Array, location: string): Signer {
  const lines = (decodeUtf8Strict(material) ?? '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '' && !line.startsWith('untrusted comment:'));
  const key = lines.length === 1 ? decodeBase64Strict(lines[0]!.trim()) : undefined;
  if (key?.length !== 42 || key[0] !== 0x45 || key[1] !== 0x64) {
    throw entryMalformed(location, 'not a minisign Ed25519 public key');
  }
  return { type: 'publicKey', keyFormat: 'minisign', keyBytes: key, location };
}

/**
 * An OpenSSH public key line ("[options] <type> <base64 blob> [comment]"); keyBytes is the
 * decoded blob, whose leading type string must repeat the line's key type.
 */
export function sshSigner(material: Uint8Array, location: string): Signer {
  const fields = (decodeUtf8Strict(material) ?? '').trim().split(/\s+/);
  for (let i = 0; i + 1 < fields.length; i++) {
    const blob = decodeBase64Strict(fields[i + 1]!);
    if (blob !== undefined && sshBlobType(blob) === fields[i]) {
      return { type: 'publicKey', keyFormat: 'ssh', keyBytes: blob, location };
    }
  }
  throw entryMalformed(location, 'not an OpenSSH public key line');
}

interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

function parsePem(text: string, location: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let rest = text.trimStart();
  while (rest !== '') {
    const match = PEM_BLOCK.exec(rest);
    if (match === null) throw entryMalformed(location, 'malformed PEM');
    const der = decodeBase64Strict(match[2]!.replace(/\r?\n/g, ''));
    if (der === undefined || der.length === 0) {
      throw entryMalformed(location, `PEM ${match[1]} is not standard base64`);
    }
    blocks.push({ label: match[1]!, der });
    rest = rest.slice(match[0].length).trimStart();
  }
  return blocks;
}

/** RFC 4880 §6.2: header lines, a blank line, base64 lines, an optional "=" CRC line. */
function dearmor(text: string, location: string): Uint8Array {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== PGP_ARMOR_BEGIN || lines.at(-1) !== PGP_ARMOR_END) {
    throw entryMalformed(location, 'malformed OpenPGP armor');
  }
  const blank = lines.indexOf('');
  if (blank < 0) throw entryMalformed(location, 'OpenPGP armor without a blank line');
  const body = lines.slice(blank + 1, -1).filter((line) => !line.startsWith('='));
  const packets = decodeBase64Strict(body.join(''));
  if (packets === undefined || packets.length === 0) {
    throw entryMalformed(location, 'OpenPGP armor body is not standard base64');
  }
  return packets;
}

function sshBlobType(blob: Uint8Array): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob[0]! * 2 ** 24 + blob[1]! * 2 ** 16 + blob[2]! * 2 ** 8 + blob[3]!;
  if (4 + length > blob.length) return undefined;
  return decodeUtf8Strict(blob.subarray(4, 4 + length));
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version | INTEGER serial, ... } ... }
 * SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier SEQUENCE { OID, ... }, BIT STRING }
 */
function derShape(der: Uint8Array, location: string): 'certificate' | 'spki' {
  try {
    // The framing of every child of both SEQUENCEs is checked; only the first is made.
    const outer = readDerWhole(der);
    if (outer.tag === DER_TAG.SEQUENCE) checkDerChildren(outer);
    const first = outer.tag === DER_TAG.SEQUENCE ? readDerChild(outer, 0) : undefined;
    if (first?.tag === DER_TAG.SEQUENCE) checkDerChildren(first);
    const inner = first?.tag === DER_TAG.SEQUENCE ? readDerChild(first, 0) : undefined;
    if (inner?.tag === DER_TAG.OID) return 'spki';
    if (inner?.tag === 0xa0 || inner?.tag === DER_TAG.INTEGER) return 'certificate';
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw entryMalformed(location, err.message, err);
  }
  throw entryMalformed(location, 'DER is neither a certificate nor a public key');
}

function checkSpki(der: Uint8Array, location: string): Uint8Array {
  if (derShape(der, location) !== 'spki') {
    throw entryMalformed(location, 'PEM PUBLIC KEY is not a SubjectPublicKeyInfo');
  }
  return der;
}
