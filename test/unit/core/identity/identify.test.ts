import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntryBody } from '../../../../electron/core/entries/parse-entry-body';
import type { Signer } from '../../../../electron/core/entries/types';
import { VerificationError } from '../../../../electron/core/errors';
import { MAX_CERTIFICATE_BYTES } from '../../../../electron/core/identity/certificate';
import { FULCIO_EXTENSIONS } from '../../../../electron/core/identity/fulcio-extensions';
import { identify } from '../../../../electron/core/identity/identify';
import type { CertificateIdentity, KeyIdentity } from '../../../../electron/core/identity/types';
import {
  DEFAULT_LEAF_NOT_BEFORE_MS,
  OID,
  createSelfSignedLeaf,
  createTestCa,
  der,
  type LeafOptions,
} from '../../../../electron/demo/cert-factory';
import {
  loadAllEntries,
  loadCertificateAuthorities,
  loadEntries,
  type RealEntry,
} from './realdata';

const PRODUCTION = { certificateAuthorities: loadCertificateAuthorities('production') };
const STAGING = { certificateAuthorities: loadCertificateAuthorities('staging') };
const ARC = '1.3.6.1.4.1.57264.1';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const x509 = (certificateDer: Uint8Array): Signer => ({
  type: 'x509',
  certificateDer,
  location: 'spec.test',
});
const key = (keyFormat: 'spki' | 'pgp' | 'minisign' | 'ssh', keyBytes: Uint8Array): Signer => ({
  type: 'publicKey',
  keyFormat,
  keyBytes,
  location: 'spec.test',
});
const asCertificate = (identity: ReturnType<typeof identify>) => {
  if (identity.type !== 'x509') throw new Error('want a certificate identity');
  return identity;
};

/** Fulcio's own names and the realdata's (Go-style) differ in spelling only. */
const normaliseName = (name: string) =>
  name
    .replace(/\(.*?\)/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();

function identities(entry: RealEntry, trust = PRODUCTION) {
  return parseEntryBody(entry.body).signers.map((signer) => identify(signer, trust));
}

describe('identify', () => {
  describe('on real entries', () => {
    const entries = loadAllEntries();

    it.each(entries.map((e) => ({ entry: e, name: e.id })))(
      'matches the recorded signer fields of $name',
      ({ entry }) => {
        const got = identities(entry);
        expect(got).toHaveLength(entry.signers.length);
        got.forEach((identity, i) => {
          const want = entry.signers[i]!;
          expect(identity.location).toBe(want.location);
          if (want.type === 'publicKey') {
            expect(identity).toMatchObject({
              type: 'publicKey',
              spkiSha256Hex: want.spkiSha256Hex,
              chain: 'n/a',
            });
            return;
          }
          const cert = asCertificate(identity);
          expect({
            subject: cert.subjectDn,
            issuer: cert.issuerDn,
            serialHex: cert.serialHex,
            notBefore: iso(cert.notBeforeMs),
            notAfter: iso(cert.notAfterMs),
            sha256Hex: cert.certSha256Hex,
            san: cert.sans,
          }).toEqual({
            subject: want.subject,
            issuer: want.issuer,
            serialHex: want.serialHex,
            notBefore: want.notBefore,
            notAfter: want.notAfter,
            sha256Hex: want.sha256Hex,
            san: want.san,
          });
          const extensions = Object.entries(cert.extensions).map(([oid, e]) => [
            oid,
            normaliseName(e.name),
            e.value,
            FULCIO_EXTENSIONS[oid]?.encoding,
          ]);
          const wantExtensions = Object.entries(want.fulcioExtensions).map(([oid, e]) => [
            oid,
            normaliseName(e.name),
            e.value,
            e.encoding,
          ]);
          expect(extensions).toEqual(wantExtensions);
          const issuer = want.fulcioExtensions[`${ARC}.8`] ?? want.fulcioExtensions[`${ARC}.1`];
          expect(cert.issuer).toBe(issuer?.value);
        });
      },
    );

    it('finds every production certificate trusted, except the Fulcio root logged in a jar entry', () => {
      const production = [
        ...loadEntries('rekor-v1/entries.production.jsonl'),
        ...loadEntries('rekor-v2/entries.production.jsonl'),
      ];
      const untrusted = production.flatMap((entry) =>
        identities(entry)
          .filter((identity) => identity.chain === 'untrusted')
          .map((identity) => ({ id: entry.id, problem: asCertificate(identity).chainProblem })),
      );
      // rekor.sigstore.dev#3120029 logs the Fulcio 2022 root CA certificate itself as the jar
      // signer: a CA certificate, without the code-signing EKU, is no signing identity.
      expect(untrusted).toEqual([
        {
          id: 'rekor.sigstore.dev#3120029',
          problem: 'certificate lacks the code-signing extended key usage',
        },
      ]);
      const trusted = production
        .flatMap((entry) => identities(entry))
        .filter((identity) => identity.chain === 'trusted');
      const certificates = production.flatMap((e) => e.signers).filter((s) => s.type === 'x509');
      expect(trusted).toHaveLength(certificates.length - 1);
    });

    it('finds staging certificates trusted by the staging or production root, except self-made test certificates', () => {
      const staging = [
        ...loadEntries('rekor-v1/entries.staging.jsonl'),
        ...loadEntries('rekor-v2/entries.staging.jsonl'),
      ];
      const untrusted = staging.flatMap((entry) => {
        const byStaging = identities(entry, STAGING);
        const byProduction = identities(entry, PRODUCTION);
        return byStaging
          .filter(
            (identity, i) =>
              identity.chain === 'untrusted' && byProduction[i]!.chain === 'untrusted',
          )
          .map((identity) => ({ id: entry.id, issuer: asCertificate(identity).issuerDn }));
      });
      // Two staging hashedrekord entries carry a self-issued "test certificate" (sigstore test
      // fixtures), which no Fulcio issued.
      expect(untrusted).toEqual([
        { id: 'rekor.sigstage.dev#79', issuer: 'O=test certificate,CN=test' },
        { id: 'rekor.sigstage.dev#1688', issuer: 'O=test certificate,CN=test' },
      ]);
    });

    it('finds no real production certificate trusted by the staging root', () => {
      const production = loadEntries('rekor-v1/entries.production.jsonl');
      expect(
        production.flatMap((e) => identities(e, STAGING)).filter((i) => i.chain === 'trusted'),
      ).toEqual([]);
    });
  });

  describe('on certificates from a test Fulcio', () => {
    const ca = createTestCa();
    const trust = { certificateAuthorities: [ca.toCertificateAuthority()] };
    const github: LeafOptions = {
      sans: [
        {
          type: 'uri',
          value: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
        },
      ],
      extensions: {
        [`${ARC}.1`]: 'https://token.actions.githubusercontent.com',
        [`${ARC}.5`]: 'acme/app',
        [`${ARC}.8`]: 'https://token.actions.githubusercontent.com',
        [`${ARC}.12`]: 'https://github.com/acme/app',
      },
    };

    it('reads SANs of every kind in certificate order', () => {
      const leaf = ca.issueLeaf({
        sans: [
          { type: 'email', value: 'Maintainer@Example.com' },
          { type: 'uri', value: 'https://example.com/ci' },
          { type: 'otherName', value: 'octocat' },
          { type: 'dns', value: 'build.example.com' },
          { type: 'ip', value: '192.0.2.1' },
        ],
      });
      expect(asCertificate(identify(x509(leaf.der), trust)).sans).toEqual([
        { type: 'email', value: 'Maintainer@Example.com' },
        { type: 'uri', value: 'https://example.com/ci' },
        { type: 'otherName', value: 'octocat' },
        { type: 'dns', value: 'build.example.com' },
        { type: 'ip', value: '192.0.2.1' },
      ]);
    });

    it('decodes raw and UTF8String Fulcio extensions with their table names, and fingerprints', () => {
      const leaf = ca.issueLeaf(github);
      const identity = identify(x509(leaf.der), trust);
      expect(identity).toEqual({
        type: 'x509',
        location: 'spec.test',
        sans: github.sans ?? [],
        issuer: 'https://token.actions.githubusercontent.com',
        extensions: {
          [`${ARC}.1`]: {
            name: 'Issuer (deprecated)',
            value: 'https://token.actions.githubusercontent.com',
          },
          [`${ARC}.5`]: { name: 'GitHub Workflow Repository (deprecated)', value: 'acme/app' },
          [`${ARC}.8`]: {
            name: 'Issuer (V2)',
            value: 'https://token.actions.githubusercontent.com',
          },
          [`${ARC}.12`]: { name: 'Source Repository URI', value: 'https://github.com/acme/app' },
        },
        subjectDn: '',
        issuerDn: 'CN=sigstore-intermediate,O=sigstore.dev',
        serialHex: expect.stringMatching(/^[0-9a-f]+$/) as string,
        notBeforeMs: DEFAULT_LEAF_NOT_BEFORE_MS,
        notAfterMs: DEFAULT_LEAF_NOT_BEFORE_MS + 600_000,
        certSha256Hex: sha256Hex(leaf.der),
        spkiSha256Hex: sha256Hex(leaf.spkiDer),
        chain: 'trusted',
      } satisfies CertificateIdentity);
    });

    it.each<{ desc: string; extensions: Record<string, string>; want: string | undefined }>([
      {
        desc: 'both issuer extensions',
        extensions: { [`${ARC}.1`]: 'https://v1.test', [`${ARC}.8`]: 'https://v2.test' },
        want: 'https://v2.test',
      },
      {
        desc: 'only the deprecated one',
        extensions: { [`${ARC}.1`]: 'https://v1.test' },
        want: 'https://v1.test',
      },
      { desc: 'no issuer extension', extensions: {}, want: undefined },
    ])(
      'takes the issuer from .8, else .1, when the certificate has $desc',
      ({ extensions, want }) => {
        expect(asCertificate(identify(x509(ca.issueLeaf({ extensions }).der), trust)).issuer).toBe(
          want,
        );
      },
    );

    it('is deterministic', () => {
      const leaf = ca.issueLeaf(github);
      expect(identify(x509(leaf.der), trust)).toEqual(identify(x509(leaf.der), trust));
    });

    describe('chain check', () => {
      const lookAlikeCa = createTestCa();
      const otherCa = createTestCa({
        rootName: { O: 'other', CN: 'other' },
        intermediateName: { O: 'other', CN: 'other-int' },
      });
      const notBefore = DEFAULT_LEAF_NOT_BEFORE_MS;
      const expiredCa = createTestCa({ notAfterMs: notBefore - 1 });
      const window = (validFor: { startMs: number; endMs?: number }) => ({
        certificateAuthorities: [ca.toCertificateAuthority({ validFor })],
      });
      it.each([
        {
          desc: 'a self-signed look-alike',
          make: () => createSelfSignedLeaf(github),
          trust,
          problem: /not signed by any/,
        },
        {
          desc: 'a look-alike CA with Fulcio names',
          make: () => lookAlikeCa.issueLeaf(github),
          trust,
          problem: /not signed by any/,
        },
        {
          desc: 'the server-auth EKU instead of code signing',
          make: () => ca.issueLeaf({ ...github, eku: [OID.serverAuth] }),
          trust,
          problem: /code-signing/,
        },
        {
          desc: 'no EKU at all',
          make: () => ca.issueLeaf({ ...github, eku: null }),
          trust,
          problem: /code-signing/,
        },
        {
          desc: 'a broken signature',
          make: () => ca.issueLeaf({ ...github, corruptSignature: true }),
          trust,
          problem: /not signed by any/,
        },
        {
          desc: 'a CA window that ended before notBefore',
          make: () => ca.issueLeaf(github),
          trust: window({ startMs: 0, endMs: notBefore - 1 }),
          problem: /no certificate authority was valid/,
        },
        {
          desc: 'a CA window that starts after notBefore',
          make: () => ca.issueLeaf(github),
          trust: window({ startMs: notBefore + 1 }),
          problem: /no certificate authority was valid/,
        },
        {
          desc: 'CA certificates that expired before notBefore',
          make: () => expiredCa.issueLeaf(github),
          trust: { certificateAuthorities: [expiredCa.toCertificateAuthority()] },
          problem: /not valid at notBefore/,
        },
        {
          desc: 'a trusted root without a matching CA',
          make: () => ca.issueLeaf(github),
          trust: { certificateAuthorities: [otherCa.toCertificateAuthority()] },
          problem: /not signed by any/,
        },
      ])('reports $desc as untrusted', ({ make, trust: authorities, problem }) => {
        const identity = asCertificate(identify(x509(make().der), authorities));
        expect(identity.chain).toBe('untrusted');
        expect(identity.chainProblem).toMatch(problem);
        // The identity itself is still reported, so a watch can raise it as untrusted.
        expect(identity.sans).toEqual(github.sans);
      });

      it('trusts a leaf when any one of several authorities chains it', () => {
        const authorities = [
          otherCa.toCertificateAuthority(),
          ca.toCertificateAuthority({ uri: 'https://fulcio.example' }),
        ];
        expect(
          identify(x509(ca.issueLeaf(github).der), { certificateAuthorities: authorities }).chain,
        ).toBe('trusted');
      });

      it('trusts a leaf issued at the first and at the last instant of the CA window', () => {
        const window = { startMs: notBefore, endMs: notBefore + 1000 };
        const authority = ca.toCertificateAuthority({ validFor: window });
        for (const at of [window.startMs, window.endMs]) {
          const leaf = ca.issueLeaf({ ...github, notBeforeMs: at });
          expect(identify(x509(leaf.der), { certificateAuthorities: [authority] }).chain).toBe(
            'trusted',
          );
        }
      });

      it('reports an authority whose chain does not parse as untrusted, not as an error', () => {
        const broken = {
          ...ca.toCertificateAuthority(),
          certChainDer: [new Uint8Array([0x30, 0x00])],
        };
        expect(
          asCertificate(
            identify(x509(ca.issueLeaf(github).der), { certificateAuthorities: [broken] }),
          ).chainProblem,
        ).toMatch(/does not parse/);
      });
    });
  });

  describe('on public keys', () => {
    const ed = generateKeyPairSync('ed25519');
    const edSpki = new Uint8Array(ed.publicKey.export({ type: 'spki', format: 'der' }));
    const edRaw = edSpki.subarray(12);
    const sshString = (bytes: Uint8Array | string) => {
      const data = Buffer.from(bytes);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(data.length);
      return Buffer.concat([length, data]);
    };
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const ecJwk = ec.publicKey.export({ format: 'jwk' });
    const ecPoint = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(ecJwk.x!, 'base64url'),
      Buffer.from(ecJwk.y!, 'base64url'),
    ]);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaJwk = rsa.publicKey.export({ format: 'jwk' });
    const mpint = (b64url: string) =>
      Buffer.concat([Buffer.from([0]), Buffer.from(b64url, 'base64url')]);
    const spkiOf = (k: typeof ed.publicKey) => sha256Hex(k.export({ type: 'spki', format: 'der' }));

    it.each([
      { desc: 'an SPKI key', signer: key('spki', edSpki), want: spkiOf(ed.publicKey) },
      {
        desc: 'a minisign key',
        signer: key('minisign', Buffer.concat([Buffer.from('Ed'), Buffer.alloc(8), edRaw])),
        want: spkiOf(ed.publicKey),
      },
      {
        desc: 'an OpenSSH Ed25519 key',
        signer: key('ssh', Buffer.concat([sshString('ssh-ed25519'), sshString(edRaw)])),
        want: spkiOf(ed.publicKey),
      },
      {
        desc: 'an OpenSSH ECDSA key',
        signer: key(
          'ssh',
          Buffer.concat([
            sshString('ecdsa-sha2-nistp384'),
            sshString('nistp384'),
            sshString(ecPoint),
          ]),
        ),
        want: spkiOf(ec.publicKey),
      },
      {
        desc: 'an OpenSSH RSA key',
        signer: key(
          'ssh',
          Buffer.concat([
            sshString('ssh-rsa'),
            sshString(mpint(rsaJwk.e!)),
            sshString(mpint(rsaJwk.n!)),
          ]),
        ),
        want: spkiOf(rsa.publicKey),
      },
      {
        desc: 'an OpenSSH key of another type (raw blob)',
        signer: key('ssh', sshString('ssh-dss')),
        want: sha256Hex(sshString('ssh-dss')),
      },
      {
        desc: 'an OpenPGP key (raw packets)',
        signer: key('pgp', new Uint8Array([0x99, 1, 2])),
        want: sha256Hex(new Uint8Array([0x99, 1, 2])),
      },
    ])('fingerprints $desc by its SPKI where it has one', ({ signer, want }) => {
      expect(identify(signer, PRODUCTION)).toEqual({
        type: 'publicKey',
        location: 'spec.test',
        keyFormat: (signer as Extract<Signer, { type: 'publicKey' }>).keyFormat,
        spkiSha256Hex: want,
        chain: 'n/a',
      } satisfies KeyIdentity);
    });

    it.each([
      { desc: 'a minisign key of the wrong length', signer: key('minisign', new Uint8Array(41)) },
      {
        desc: 'a truncated OpenSSH key',
        signer: key('ssh', sshString('ssh-ed25519').subarray(0, 6)),
      },
      {
        desc: 'an OpenSSH Ed25519 key of 31 bytes',
        signer: key('ssh', Buffer.concat([sshString('ssh-ed25519'), sshString(edRaw.subarray(1))])),
      },
      {
        desc: 'an OpenSSH ECDSA point off the curve',
        signer: key(
          'ssh',
          Buffer.concat([
            sshString('ecdsa-sha2-nistp384'),
            sshString('nistp384'),
            sshString(Buffer.alloc(97, 4)),
          ]),
        ),
      },
      {
        desc: 'an OpenSSH key with trailing bytes',
        signer: key(
          'ssh',
          Buffer.concat([sshString('ssh-ed25519'), sshString(edRaw), Buffer.from([0])]),
        ),
      },
    ])('rejects $desc with KEY_MALFORMED', ({ signer }) => {
      expect(() => identify(signer, PRODUCTION)).toThrowCode('KEY_MALFORMED');
    });
  });

  describe('on hostile certificates', () => {
    const ca = createTestCa();
    const trust = { certificateAuthorities: [ca.toCertificateAuthority()] };
    const good = ca.issueLeaf({ sans: [{ type: 'email', value: 'a@example.com' }] }).der;
    const nested = (depth: number) => {
      let inner: Uint8Array = der.octetString(new Uint8Array(0));
      for (let i = 0; i < depth; i++) inner = der.sequence(inner);
      return inner;
    };
    it.each([
      { desc: 'no bytes', input: new Uint8Array(0) },
      { desc: 'trailing bytes', input: Buffer.concat([good, Buffer.from([0])]) },
      { desc: 'a truncated certificate', input: good.subarray(0, good.length - 1) },
      {
        desc: 'more than MAX_CERTIFICATE_BYTES',
        input: der.sequence(der.octetString(new Uint8Array(MAX_CERTIFICATE_BYTES))),
      },
      {
        desc: 'an indefinite length',
        input: Buffer.concat([Buffer.from([0x30, 0x80]), good.subarray(2)]),
      },
      {
        desc: 'a non-minimal length',
        input: Buffer.concat([Buffer.from([0x30, 0x84, 0, 0]), good.subarray(2)]),
      },
      { desc: 'a multi-byte tag', input: Buffer.from([0x1f, 0x01, 0x00]) },
      {
        desc: 'a SEQUENCE of garbage',
        input: der.sequence(der.integer(1n), der.integer(2n), der.integer(3n)),
      },
      {
        desc: 'a SAN e-mail that is not ASCII',
        input: ca.issueLeaf({ sans: [{ type: 'email', value: 'ä@example.com' }] }).der,
      },
      {
        desc: 'a V2 Fulcio extension that is not a UTF8String',
        input: ca.issueLeaf({ rawExtensions: [{ oid: `${ARC}.9`, value: der.ia5String('x') }] })
          .der,
      },
      {
        desc: 'a raw Fulcio extension that is not UTF-8',
        input: ca.issueLeaf({ rawExtensions: [{ oid: `${ARC}.2`, value: new Uint8Array([0xc3]) }] })
          .der,
      },
      {
        desc: 'a duplicated extension',
        input: ca.issueLeaf({
          eku: null,
          rawExtensions: [
            { oid: OID.extKeyUsage, value: der.sequence() },
            { oid: OID.extKeyUsage, value: der.sequence() },
          ],
        }).der,
      },
      {
        desc: 'an invalid IP SAN length',
        input: ca.issueLeaf({
          rawExtensions: [
            { oid: OID.subjectAltName, value: der.sequence(der.implicit(7, new Uint8Array(5))) },
          ],
        }).der,
      },
      {
        desc: 'a critical flag that is not a DER BOOLEAN (0x01)',
        // The leaf's one BOOLEAN TRUE (keyUsage is critical) turned into 0x01.
        input: (() => {
          const leaf = Buffer.from(ca.issueLeaf({}).der);
          leaf[leaf.indexOf(Buffer.from([0x01, 0x01, 0xff])) + 2] = 0x01;
          return leaf;
        })(),
      },
      {
        desc: 'a key whose DER framing is broken inside',
        input: (() => {
          const leaf = ca.issueLeaf({});
          const broken = Buffer.from(leaf.der);
          // The AlgorithmIdentifier's length, made to overrun the SubjectPublicKeyInfo.
          broken[broken.indexOf(Buffer.from(leaf.spkiDer)) + 3] = 0x7f;
          return broken;
        })(),
      },
      {
        desc: 'a deeply nested SEQUENCE in an extension',
        input: ca.issueLeaf({ rawExtensions: [{ oid: OID.subjectAltName, value: nested(10_000) }] })
          .der,
      },
    ])('rejects $desc with CERTIFICATE_MALFORMED', ({ input }) => {
      expect(() => identify(x509(new Uint8Array(input)), trust)).toThrowCode(
        'CERTIFICATE_MALFORMED',
      );
    });

    it('parses a certificate whose unread extension is nested deeply, without hanging', () => {
      const leaf = ca.issueLeaf({ rawExtensions: [{ oid: '1.2.3.4', value: nested(12_000) }] });
      expect(identify(x509(leaf.der), trust).chain).toBe('trusted');
    });

    const onlyOurErrors = (certificateDer: Uint8Array) => {
      try {
        identify(x509(certificateDer), trust);
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        expect(err.code).toBe('CERTIFICATE_MALFORMED');
      }
    };

    it('throws only CERTIFICATE_MALFORMED for random bytes (property)', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), onlyOurErrors));
    });

    it('throws only CERTIFICATE_MALFORMED for random DER trees (property)', () => {
      const tree = fc.letrec<{ node: Uint8Array }>((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc
            .tuple(fc.integer({ min: 0, max: 0x1e }), fc.uint8Array({ maxLength: 24 }))
            .map(([tag, v]) => der.tlv(tag, v)),
          fc
            .tuple(
              fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x04),
              fc.array(tie('node'), { maxLength: 4 }),
            )
            .map(([tag, kids]) => der.tlv(tag, Buffer.concat(kids))),
        ),
      })).node;
      fc.assert(
        fc.property(tree, (node) =>
          onlyOurErrors(
            der.sequence(
              node,
              der.sequence(der.oid(OID.ecdsaWithSha256)),
              der.bitString(new Uint8Array(2)),
            ),
          ),
        ),
      );
    });

    it('throws only CERTIFICATE_MALFORMED for mutated real certificates (property)', () => {
      const certificates = loadAllEntries()
        .flatMap((e) => parseEntryBody(e.body).signers)
        .flatMap((s) => (s.type === 'x509' ? [s.certificateDer] : []));
      const mutation = fc.record({
        index: fc.nat({ max: certificates.length - 1 }),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      });
      fc.assert(
        fc.property(mutation, ({ index, at, byte }) => {
          const mutated = new Uint8Array(certificates[index]!);
          mutated[at % mutated.length] = byte;
          onlyOurErrors(mutated);
        }),
        { numRuns: 300 },
      );
    });
  });
});
