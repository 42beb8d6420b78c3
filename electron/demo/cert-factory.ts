// X.509 certificates for tests, without any package: a small DER encoder (X.690) and ECDSA
// P-256 signatures from node:crypto. Makes a fake Fulcio (root + intermediate), leaf signing
// certificates with chosen SANs, Fulcio extensions, validity and EKU, self-signed look-alikes,
// and entry bodies that carry them (for planted signings).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { FULCIO_EXTENSIONS } from '../core/identity/fulcio-extensions';
import type { SubjectAltName } from '../core/identity/types';
import type { CertificateAuthority, ValidityWindow } from '../core/trust/types';
import { der } from './der-encoder';

export { der } from './der-encoder';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

// ---------------------------------------------------------------------------------------------
// Certificates

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  fulcioUsername: '1.3.6.1.4.1.57264.1.7',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
} as const;

/** Name attributes in DER order (O first, as Fulcio writes them). */
export interface NameSpec {
  readonly O?: string;
  readonly CN?: string;
}

export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly privateKey: KeyObject;
  readonly spkiDer: Uint8Array;
  readonly subject: NameSpec;
}

export interface RawExtension {
  readonly oid: string;
  readonly critical?: boolean;
  /** The extnValue contents. */
  readonly value: Uint8Array;
}

export interface LeafOptions {
  /** SANs in order; `otherName` becomes Fulcio's username otherName (.1.7). Default: none. */
  readonly sans?: readonly SubjectAltName[];
  /** Fulcio extensions by OID, encoded raw or as UTF8String per FULCIO_EXTENSIONS. */
  readonly extensions?: Readonly<Record<string, string>>;
  /** Any further extensions, verbatim. */
  readonly rawExtensions?: readonly RawExtension[];
  /** Default 2025-01-01T00:00:00Z. */
  readonly notBeforeMs?: number;
  /** Default notBefore + 10 minutes, like Fulcio. */
  readonly notAfterMs?: number;
  /** Extended key usages; default [codeSigning]; null leaves the extension out. */
  readonly eku?: readonly string[] | null;
  /** Default empty, like Fulcio leaves. */
  readonly subject?: NameSpec;
  readonly serial?: bigint;
  /** Flip a bit of the signature so it no longer verifies. */
  readonly corruptSignature?: boolean;
}

export interface TestCaOptions {
  /** Validity of the CA certificates; default 2020-01-01 to 2040-01-01. */
  readonly notBeforeMs?: number;
  readonly notAfterMs?: number;
  /** Default Fulcio's names: O=sigstore.dev with CN=sigstore / CN=sigstore-intermediate. */
  readonly rootName?: NameSpec;
  readonly intermediateName?: NameSpec;
}

export interface TestCa {
  readonly root: TestCertificate;
  readonly intermediate: TestCertificate;
  /** Issues a leaf signing certificate from the intermediate. */
  issueLeaf(options?: LeafOptions): TestCertificate;
  /** This CA in the trust/types.ts shape: chain [intermediate, root], validFor as given. */
  toCertificateAuthority(overrides?: {
    uri?: string;
    validFor?: ValidityWindow;
  }): CertificateAuthority;
}

export const DEFAULT_LEAF_NOT_BEFORE_MS = Date.UTC(2025, 0, 1);
const DEFAULT_CA_NOT_BEFORE_MS = Date.UTC(2020, 0, 1);
const DEFAULT_CA_NOT_AFTER_MS = Date.UTC(2040, 0, 1);
const TEN_MINUTES_MS = 10 * 60 * 1000;

let nextSerial = 0x1000n;

/** A fake Fulcio: a self-signed root and an intermediate it issued, both P-256. */
export function createTestCa(options: TestCaOptions = {}): TestCa {
  const notBeforeMs = options.notBeforeMs ?? DEFAULT_CA_NOT_BEFORE_MS;
  const notAfterMs = options.notAfterMs ?? DEFAULT_CA_NOT_AFTER_MS;
  const rootName = options.rootName ?? { O: 'sigstore.dev', CN: 'sigstore' };
  const intermediateName = options.intermediateName ?? {
    O: 'sigstore.dev',
    CN: 'sigstore-intermediate',
  };
  const rootKey = newKey();
  const root = issue({
    subject: rootName,
    key: rootKey,
    issuer: { name: rootName, privateKey: rootKey.privateKey },
    notBeforeMs,
    notAfterMs,
    extensions: caExtensions(),
  });
  const intermediate = issue({
    subject: intermediateName,
    key: newKey(),
    issuer: { name: rootName, privateKey: root.privateKey },
    notBeforeMs,
    notAfterMs,
    extensions: caExtensions(),
  });
  return {
    root,
    intermediate,
    issueLeaf: (leaf = {}) => issueLeafFrom(intermediate, leaf),
    toCertificateAuthority: (overrides = {}) => ({
      uri: overrides.uri ?? 'https://fulcio.test',
      subject: { organization: rootName.O, commonName: rootName.CN },
      certChainDer: [intermediate.der, root.der],
      validFor: overrides.validFor ?? { startMs: notBeforeMs },
    }),
  };
}

/**
 * A self-signed leaf that looks like a Fulcio one (issuer name = Fulcio's intermediate name,
 * same SANs, extensions and EKU) but chains to nothing.
 */
export function createSelfSignedLeaf(options: LeafOptions = {}): TestCertificate {
  const key = newKey();
  const issuerName = { O: 'sigstore.dev', CN: 'sigstore-intermediate' };
  return issue({
    ...leafFields(options),
    key,
    issuer: { name: issuerName, privateKey: key.privateKey },
  });
}

function issueLeafFrom(issuer: TestCertificate, options: LeafOptions): TestCertificate {
  return issue({
    ...leafFields(options),
    key: newKey(),
    issuer: { name: issuer.subject, privateKey: issuer.privateKey },
  });
}

function leafFields(options: LeafOptions) {
  const notBeforeMs = options.notBeforeMs ?? DEFAULT_LEAF_NOT_BEFORE_MS;
  const extensions: RawExtension[] = [
    { oid: OID.keyUsage, critical: true, value: der.bitString(Buffer.from([0x80])) },
  ];
  const eku = options.eku === undefined ? [OID.codeSigning] : options.eku;
  if (eku !== null) {
    extensions.push({ oid: OID.extKeyUsage, value: der.sequence(...eku.map((o) => der.oid(o))) });
  }
  if (options.sans !== undefined && options.sans.length > 0) {
    extensions.push({
      oid: OID.subjectAltName,
      critical: true,
      value: subjectAltNames(options.sans),
    });
  }
  for (const [oid, value] of Object.entries(options.extensions ?? {})) {
    const spec = FULCIO_EXTENSIONS[oid];
    if (spec === undefined) throw new Error(`cert-factory: ${oid} is not a Fulcio extension`);
    extensions.push({ oid, value: spec.encoding === 'raw' ? text(value) : der.utf8String(value) });
  }
  extensions.push(...(options.rawExtensions ?? []));
  return {
    subject: options.subject ?? {},
    notBeforeMs,
    notAfterMs: options.notAfterMs ?? notBeforeMs + TEN_MINUTES_MS,
    extensions,
    serial: options.serial,
    corruptSignature: options.corruptSignature,
  };
}

function subjectAltNames(sans: readonly SubjectAltName[]): Uint8Array {
  return der.sequence(
    ...sans.map((san) => {
      switch (san.type) {
        case 'email':
          return der.implicit(1, text(san.value));
        case 'dns':
          return der.implicit(2, text(san.value));
        case 'uri':
          return der.implicit(6, text(san.value));
        case 'ip':
          return der.implicit(7, Buffer.from(san.value.split('.').map(Number)));
        case 'otherName':
          return der.tlv(
            0xa0,
            Buffer.concat([
              der.oid(OID.fulcioUsername),
              der.explicit(0, der.utf8String(san.value)),
            ]),
          );
      }
    }),
  );
}

function caExtensions(): RawExtension[] {
  return [
    { oid: OID.basicConstraints, critical: true, value: der.sequence(der.boolean(true)) },
    // keyCertSign (bit 5) and cRLSign (bit 6).
    { oid: OID.keyUsage, critical: true, value: der.tlv(0x03, Buffer.from([0x01, 0x06])) },
  ];
}

interface IssueInput {
  readonly subject: NameSpec;
  readonly key: { privateKey: KeyObject; spkiDer: Uint8Array };
  readonly issuer: { name: NameSpec; privateKey: KeyObject };
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly extensions: readonly RawExtension[];
  readonly serial?: bigint | undefined;
  readonly corruptSignature?: boolean | undefined;
}

function issue(input: IssueInput): TestCertificate {
  const algorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.integer(2n)),
    der.integer(input.serial ?? nextSerial++),
    algorithm,
    name(input.issuer.name),
    der.sequence(der.time(input.notBeforeMs), der.time(input.notAfterMs)),
    name(input.subject),
    input.key.spkiDer,
    der.explicit(
      3,
      der.sequence(
        ...input.extensions.map((e) =>
          der.sequence(
            der.oid(e.oid),
            ...(e.critical ? [der.boolean(true)] : []),
            der.octetString(e.value),
          ),
        ),
      ),
    ),
  );
  const signature = sign('sha256', tbs, input.issuer.privateKey);
  if (input.corruptSignature) signature[signature.length - 1]! ^= 0x01;
  const certificate = new Uint8Array(der.sequence(tbs, algorithm, der.bitString(signature)));
  return {
    der: certificate,
    pem: toPem(certificate, 'CERTIFICATE'),
    privateKey: input.key.privateKey,
    spkiDer: input.key.spkiDer,
    subject: input.subject,
  };
}

function name(spec: NameSpec): Uint8Array {
  const rdns: Uint8Array[] = [];
  if (spec.O !== undefined)
    rdns.push(der.set(der.sequence(der.oid(OID.organizationName), der.utf8String(spec.O))));
  if (spec.CN !== undefined)
    rdns.push(der.set(der.sequence(der.oid(OID.commonName), der.utf8String(spec.CN))));
  return der.sequence(...rdns);
}

function newKey(): { privateKey: KeyObject; spkiDer: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })) };
}

/** PEM (RFC 7468) with 64-character lines and a trailing newline, as Rekor writes it. */
export function toPem(bytes: Uint8Array, label: string): string {
  const lines =
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// ---------------------------------------------------------------------------------------------
// Entry bodies carrying a signer (planted signings). Hashes and signatures are placeholders:
// the parsers under test read signers, not signatures.

export type PlantedKind =
  'hashedrekord@0.0.1' | 'hashedrekord@0.0.2' | 'dsse@0.0.1' | 'intoto@0.0.2';

/** An entry body of `kind` whose signer is `certificate` (certificate DER or TestCertificate). */
export function entryBodyFor(
  certificate: TestCertificate | Uint8Array,
  kind: PlantedKind,
): Uint8Array {
  const certDer = certificate instanceof Uint8Array ? certificate : certificate.der;
  const pemB64 = Buffer.from(toPem(certDer, 'CERTIFICATE')).toString('base64');
  const digestHex = 'ab'.repeat(32);
  const signature = Buffer.from('placeholder signature').toString('base64');
  let body: unknown;
  switch (kind) {
    case 'hashedrekord@0.0.1':
      body = {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: {
          data: { hash: { algorithm: 'sha256', value: digestHex } },
          signature: { content: signature, publicKey: { content: pemB64 } },
        },
      };
      break;
    case 'hashedrekord@0.0.2':
      body = {
        apiVersion: '0.0.2',
        kind: 'hashedrekord',
        spec: {
          hashedRekordV002: {
            data: {
              algorithm: 'SHA2_256',
              digest: Buffer.from(digestHex, 'hex').toString('base64'),
            },
            signature: {
              content: signature,
              verifier: {
                keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                x509Certificate: { rawBytes: Buffer.from(certDer).toString('base64') },
              },
            },
          },
        },
      };
      break;
    case 'dsse@0.0.1':
      body = {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: digestHex },
          payloadHash: { algorithm: 'sha256', value: digestHex },
          signatures: [{ signature, verifier: pemB64 }],
        },
      };
      break;
    case 'intoto@0.0.2':
      body = {
        apiVersion: '0.0.2',
        kind: 'intoto',
        spec: {
          content: {
            envelope: {
              payloadType: 'application/vnd.in-toto+json',
              signatures: [{ publicKey: pemB64, sig: Buffer.from(signature).toString('base64') }],
            },
            hash: { algorithm: 'sha256', value: digestHex },
            payloadHash: { algorithm: 'sha256', value: digestHex },
          },
        },
      };
      break;
  }
  return new Uint8Array(Buffer.from(JSON.stringify(body)));
}
