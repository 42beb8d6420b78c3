import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KNOWN_ENTRY_KINDS,
  parseEntryBody,
} from '../../../../electron/core/entries/parse-entry-body';
import type { Signer } from '../../../../electron/core/entries/types';
import { VerificationError } from '../../../../electron/core/errors';
import { parseCertificate } from '../../../../electron/core/identity/certificate';
import {
  createTestCa,
  der,
  entryBodyFor,
  toPem,
  type PlantedKind,
} from '../../../../electron/demo/cert-factory';
import { loadAllEntries, loadEntries } from '../identity/realdata';

const ca = createTestCa();
const leaf = ca.issueLeaf({ sans: [{ type: 'email', value: 'maintainer@example.com' }] });

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const json = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));
const body = (kind: string, apiVersion: string, spec: unknown) => json({ apiVersion, kind, spec });

// Synthetic signer material in every format Rekor v1 logs.
const certPemB64 = b64(leaf.pem);
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsaSpki = new Uint8Array(rsa.publicKey.export({ type: 'spki', format: 'der' }));
const ed = generateKeyPairSync('ed25519');
const edSpki = new Uint8Array(ed.publicKey.export({ type: 'spki', format: 'der' }));
const edRaw = edSpki.subarray(12);
const sshString = (bytes: Uint8Array | string) => {
  const data = Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
};
const sshBlob = new Uint8Array(Buffer.concat([sshString('ssh-ed25519'), sshString(edRaw)]));
const sshLine = `ssh-ed25519 ${b64(sshBlob)} maintainer@laptop\n`;
const minisignKey = new Uint8Array(Buffer.concat([Buffer.from('Ed'), Buffer.alloc(8, 7), edRaw]));
const minisignFile = `untrusted comment: minisign public key 0707070707070707\n${b64(minisignKey)}\n`;
// An old-format public-key packet header (tag 6) followed by filler: framing is all we read.
const pgpPackets = new Uint8Array([0x99, 0x00, 0x04, 0x04, 0x01, 0x02, 0x03]);
const pgpArmored = `-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: test\n\n${b64(pgpPackets)}\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n`;

function timestampResponse(): Uint8Array {
  const tsa = ca.issueLeaf({ eku: ['1.3.6.1.5.5.7.3.8'], subject: { CN: 'tsa' } });
  const parsed = parseCertificate(tsa.der);
  const signerInfo = der.sequence(
    der.integer(1n),
    der.sequence(parsed.issuerNameDer, der.tlv(0x02, parsed.serialNumber)),
    der.sequence(der.oid('2.16.840.1.101.3.4.2.1')),
  );
  const signedData = der.sequence(
    der.integer(3n),
    der.set(),
    der.sequence(der.oid('1.2.840.113549.1.9.16.1.4')),
    der.tlv(0xa0, Buffer.concat([ca.intermediate.der, tsa.der])),
    der.set(signerInfo),
  );
  const token = der.sequence(der.oid('1.2.840.113549.1.7.2'), der.explicit(0, signedData));
  return der.sequence(der.sequence(der.integer(0n)), token);
}

function tufSpec(asBase64: boolean) {
  const ecdsa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const root = {
    signatures: [],
    signed: {
      _type: 'root',
      keys: {
        aa: {
          keytype: 'ed25519',
          scheme: 'ed25519',
          keyval: { public: Buffer.from(edRaw).toString('hex') },
        },
        bb: {
          keytype: 'ecdsa',
          scheme: 'ecdsa-sha2-nistp256',
          keyval: { public: ecdsa.publicKey.export({ type: 'spki', format: 'pem' }) },
        },
        cc: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: '00'.repeat(32) } },
      },
    },
  };
  const metadata = {
    signatures: [
      { keyid: 'bb', sig: '00' },
      { keyid: 'aa', sig: '00' },
      { keyid: 'bb', sig: '01' },
      { keyid: 'zz', sig: '00' },
    ],
    signed: { _type: 'timestamp' },
  };
  const wrap = (doc: unknown) => (asBase64 ? b64(JSON.stringify(doc)) : doc);
  return {
    metadata: { content: wrap(metadata) },
    root: { content: wrap(root) },
    spec_version: '1.0',
  };
}

type SignerSummary = Pick<Signer, 'type' | 'location'> & { format: string; bytes: Uint8Array };
const summary = (s: Signer): SignerSummary =>
  s.type === 'x509'
    ? { type: s.type, location: s.location, format: 'x509', bytes: s.certificateDer }
    : { type: s.type, location: s.location, format: s.keyFormat, bytes: s.keyBytes };

describe('parseEntryBody', () => {
  describe('on real production and staging entries', () => {
    const entries = loadAllEntries();

    it.each(entries.map((e) => ({ ...e, name: `${e.id} (${e.kind} ${e.kindApiVersion})` })))(
      'finds the recorded signers of $name',
      (entry) => {
        const parsed = parseEntryBody(entry.body);
        expect(parsed).toMatchObject({
          kind: entry.kind,
          apiVersion: entry.kindApiVersion,
          known: true,
        });
        expect(parsed.signers.map((s) => [s.type, s.location, s.keyDetails])).toEqual(
          entry.signers.map((s) => [s.type, s.location, s.keyDetails]),
        );
        parsed.signers.forEach((signer, i) => {
          const want = entry.signers[i]!;
          if (signer.type === 'publicKey' && want.type === 'publicKey') {
            expect(signer.keyFormat).toBe('spki');
            expect(b64(signer.keyBytes)).toBe(want.spkiB64);
          }
        });
      },
    );

    it('covers every production entry (149 v1 + 4 v2)', () => {
      expect(loadEntries('rekor-v1/entries.production.jsonl')).toHaveLength(149);
      expect(loadEntries('rekor-v2/entries.production.jsonl')).toHaveLength(4);
    });
  });

  describe('on synthetic bodies of each kind', () => {
    const rows: { desc: string; input: Uint8Array; want: SignerSummary[] }[] = [
      {
        desc: 'rekord 0.0.1 x509 certificate',
        input: body('rekord', '0.0.1', {
          data: { hash: { algorithm: 'sha256', value: 'ab' } },
          signature: { format: 'x509', content: 'AA==', publicKey: { content: certPemB64 } },
        }),
        want: [
          {
            type: 'x509',
            location: 'spec.signature.publicKey.content',
            format: 'x509',
            bytes: leaf.der,
          },
        ],
      },
      {
        desc: 'rekord 0.0.1 pgp (armored)',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: { format: 'pgp', content: 'AA==', publicKey: { content: b64(pgpArmored) } },
        }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.signature.publicKey.content',
            format: 'pgp',
            bytes: pgpPackets,
          },
        ],
      },
      {
        desc: 'rekord 0.0.1 pgp (binary)',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: { format: 'pgp', content: 'AA==', publicKey: { content: b64(pgpPackets) } },
        }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.signature.publicKey.content',
            format: 'pgp',
            bytes: pgpPackets,
          },
        ],
      },
      {
        desc: 'rekord 0.0.1 minisign',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: {
            format: 'minisign',
            content: 'AA==',
            publicKey: { content: b64(minisignFile) },
          },
        }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.signature.publicKey.content',
            format: 'minisign',
            bytes: minisignKey,
          },
        ],
      },
      {
        desc: 'rekord 0.0.1 ssh',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: { format: 'ssh', content: 'AA==', publicKey: { content: b64(sshLine) } },
        }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.signature.publicKey.content',
            format: 'ssh',
            bytes: sshBlob,
          },
        ],
      },
      {
        desc: 'hashedrekord 0.0.1 with a bare DER public key',
        input: body('hashedrekord', '0.0.1', {
          data: {},
          signature: { content: 'AA==', publicKey: { content: b64(rsaSpki) } },
        }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.signature.publicKey.content',
            format: 'spki',
            bytes: rsaSpki,
          },
        ],
      },
      {
        desc: 'helm 0.0.1',
        input: body('helm', '0.0.1', { chart: {}, publicKey: { content: b64(pgpArmored) } }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.publicKey.content',
            format: 'pgp',
            bytes: pgpPackets,
          },
        ],
      },
      {
        desc: 'rpm 0.0.1',
        input: body('rpm', '0.0.1', { package: {}, publicKey: { content: b64(pgpArmored) } }),
        want: [
          {
            type: 'publicKey',
            location: 'spec.publicKey.content',
            format: 'pgp',
            bytes: pgpPackets,
          },
        ],
      },
      {
        desc: 'alpine 0.0.1',
        input: body('alpine', '0.0.1', {
          package: {},
          publicKey: { content: b64(rsa.publicKey.export({ type: 'spki', format: 'pem' })) },
        }),
        want: [
          { type: 'publicKey', location: 'spec.publicKey.content', format: 'spki', bytes: rsaSpki },
        ],
      },
      {
        desc: 'cose 0.0.1',
        input: body('cose', '0.0.1', { data: {}, publicKey: certPemB64 }),
        want: [{ type: 'x509', location: 'spec.publicKey', format: 'x509', bytes: leaf.der }],
      },
      {
        desc: 'intoto 0.0.1',
        input: body('intoto', '0.0.1', { content: { hash: {} }, publicKey: certPemB64 }),
        want: [{ type: 'x509', location: 'spec.publicKey', format: 'x509', bytes: leaf.der }],
      },
      {
        desc: 'jar 0.0.1',
        input: body('jar', '0.0.1', {
          archive: {},
          signature: { content: 'AA==', publicKey: { content: certPemB64 } },
        }),
        want: [
          {
            type: 'x509',
            location: 'spec.signature.publicKey.content',
            format: 'x509',
            bytes: leaf.der,
          },
        ],
      },
      {
        desc: 'rfc3161 0.0.1 (the TSA certificate named by the SignerInfo)',
        input: body('rfc3161', '0.0.1', { tsr: { content: b64(timestampResponse()) } }),
        want: [
          {
            type: 'x509',
            location: 'spec.tsr.content',
            format: 'x509',
            bytes: expect.any(Uint8Array) as Uint8Array,
          },
        ],
      },
      ...[true, false].map((asBase64) => ({
        desc: `tuf 0.0.1 (documents as ${asBase64 ? 'base64' : 'objects'}: signing root keys, once each)`,
        input: body('tuf', '0.0.1', tufSpec(asBase64)),
        want: [
          {
            type: 'publicKey' as const,
            location: 'spec.root.content.signed.keys.bb.keyval.public',
            format: 'spki',
            bytes: expect.any(Uint8Array) as Uint8Array,
          },
          {
            type: 'publicKey' as const,
            location: 'spec.root.content.signed.keys.aa.keyval.public',
            format: 'spki',
            bytes: edSpki,
          },
        ],
      })),
      {
        desc: 'intoto 0.0.2 with two signatures',
        input: body('intoto', '0.0.2', {
          content: {
            envelope: {
              payloadType: 't',
              signatures: [
                { publicKey: certPemB64, sig: 'AA==' },
                { publicKey: b64(toPem(rsaSpki, 'PUBLIC KEY')), sig: 'AA==' },
              ],
            },
          },
        }),
        want: [
          {
            type: 'x509',
            location: 'spec.content.envelope.signatures[0].publicKey',
            format: 'x509',
            bytes: leaf.der,
          },
          {
            type: 'publicKey',
            location: 'spec.content.envelope.signatures[1].publicKey',
            format: 'spki',
            bytes: rsaSpki,
          },
        ],
      },
      ...(
        ['hashedrekord@0.0.1', 'hashedrekord@0.0.2', 'dsse@0.0.1', 'intoto@0.0.2'] as PlantedKind[]
      ).map((kind) => ({
        desc: `${kind} from the cert factory`,
        input: entryBodyFor(leaf, kind),
        want: [
          {
            type: 'x509' as const,
            location: expect.any(String) as string,
            format: 'x509',
            bytes: leaf.der,
          },
        ],
      })),
    ];

    it.each(rows)('reads the signers of $desc', ({ input, want }) => {
      const parsed = parseEntryBody(input);
      expect(parsed.known).toBe(true);
      expect(parsed.signers.map(summary)).toEqual(want);
    });

    it('keeps the rest of a PEM bundle as the presented chain', () => {
      const bundle = b64(leaf.pem + ca.intermediate.pem + ca.root.pem);
      const parsed = parseEntryBody(
        body('hashedrekord', '0.0.1', {
          data: {},
          signature: { content: 'AA==', publicKey: { content: bundle } },
        }),
      );
      expect(parsed.signers).toEqual([
        expect.objectContaining({
          certificateDer: leaf.der,
          presentedChainDer: [ca.intermediate.der, ca.root.der],
        }),
      ]);
    });

    it('names the TSA certificate, not the embedded chain, as the rfc3161 signer', () => {
      const [signer] = parseEntryBody(
        body('rfc3161', '0.0.1', { tsr: { content: b64(timestampResponse()) } }),
      ).signers;
      expect(signer?.type === 'x509' && parseCertificate(signer.certificateDer).subjectDn).toBe(
        'CN=tsa',
      );
    });
  });

  describe('on unknown kinds and versions', () => {
    it.each([
      { desc: 'an unknown kind', input: body('container', '0.0.1', { anything: 1 }) },
      {
        desc: 'an unknown version of a known kind',
        input: body('intoto', '0.0.3', { content: {} }),
      },
      { desc: 'a v2-only version of a v1 kind', input: body('rekord', '0.0.2', null) },
    ])('records $desc as unknown, with no signers', ({ input }) => {
      const parsed = parseEntryBody(input);
      expect(parsed).toEqual({
        apiVersion: expect.any(String),
        kind: expect.any(String),
        known: false,
        signers: [],
      });
    });

    it('knows every kind the issue lists', () => {
      expect([...KNOWN_ENTRY_KINDS].sort()).toEqual(
        [
          'alpine@0.0.1',
          'cose@0.0.1',
          'dsse@0.0.1',
          'dsse@0.0.2',
          'hashedrekord@0.0.1',
          'hashedrekord@0.0.2',
          'helm@0.0.1',
          'intoto@0.0.1',
          'intoto@0.0.2',
          'jar@0.0.1',
          'rekord@0.0.1',
          'rfc3161@0.0.1',
          'rpm@0.0.1',
          'tuf@0.0.1',
        ].sort(),
      );
    });
  });

  describe('on malformed bodies', () => {
    const hashedrekord = (publicKey: unknown) =>
      body('hashedrekord', '0.0.1', { data: {}, signature: { content: 'AA==', publicKey } });
    const v2 = (verifier: unknown) =>
      body('hashedrekord', '0.0.2', {
        hashedRekordV002: { data: {}, signature: { content: 'AA==', verifier } },
      });
    it.each([
      { desc: 'invalid UTF-8', input: new Uint8Array([0x7b, 0xff, 0x7d]) },
      { desc: 'not JSON', input: json('{').subarray(1) },
      { desc: 'a JSON array', input: json([]) },
      { desc: 'kind not a string', input: json({ kind: 1, apiVersion: '0.0.1', spec: {} }) },
      { desc: 'apiVersion missing', input: json({ kind: 'rekord', spec: {} }) },
      { desc: 'spec not an object', input: body('hashedrekord', '0.0.1', 'x') },
      { desc: 'publicKey.content missing', input: hashedrekord({ url: 'https://x.test/key' }) },
      { desc: 'publicKey.content not base64', input: hashedrekord({ content: 'not base64!' }) },
      {
        desc: 'PEM with a bad label',
        input: hashedrekord({ content: b64(toPem(leaf.der, 'PRIVATE KEY')) }),
      },
      {
        desc: 'PEM with bad base64',
        input: hashedrekord({
          content: b64('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'),
        }),
      },
      {
        desc: 'PEM without its end line',
        input: hashedrekord({ content: b64(leaf.pem.split('-----END')[0]!) }),
      },
      { desc: 'PEM followed by junk', input: hashedrekord({ content: b64(`${leaf.pem}junk`) }) },
      {
        desc: 'DER that is neither certificate nor key',
        input: hashedrekord({ content: b64(der.sequence(der.integer(1n))) }),
      },
      {
        desc: 'DER with trailing bytes',
        input: hashedrekord({ content: b64(Buffer.concat([leaf.der, Buffer.from([0])])) }),
      },
      {
        desc: 'rekord with an unknown format',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: { format: 'gpg', content: 'AA==', publicKey: { content: certPemB64 } },
        }),
      },
      {
        desc: 'rekord minisign key of the wrong size',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: {
            format: 'minisign',
            content: 'AA==',
            publicKey: { content: b64('RWQAAA==') },
          },
        }),
      },
      {
        desc: 'rekord ssh line with a mismatched type',
        input: body('rekord', '0.0.1', {
          data: {},
          signature: {
            format: 'ssh',
            content: 'AA==',
            publicKey: { content: b64(`ssh-rsa ${b64(sshBlob)}`) },
          },
        }),
      },
      {
        desc: 'pgp material that is neither armor nor packets',
        input: body('helm', '0.0.1', { chart: {}, publicKey: { content: b64('hello') } }),
      },
      {
        desc: 'intoto 0.0.2 signatures not an array',
        input: body('intoto', '0.0.2', { content: { envelope: { signatures: {} } } }),
      },
      {
        desc: 'dsse 0.0.1 signature not an object',
        input: body('dsse', '0.0.1', { signatures: ['x'] }),
      },
      {
        desc: 'v2 verifier with both key kinds',
        input: v2({
          keyDetails: 'X',
          publicKey: { rawBytes: b64(rsaSpki) },
          x509Certificate: { rawBytes: b64(leaf.der) },
        }),
      },
      { desc: 'v2 verifier with neither key kind', input: v2({ keyDetails: 'X' }) },
      {
        desc: 'v2 verifier without keyDetails',
        input: v2({ publicKey: { rawBytes: b64(rsaSpki) } }),
      },
      {
        desc: 'v2 certificate that is a key',
        input: v2({ keyDetails: 'X', x509Certificate: { rawBytes: b64(rsaSpki) } }),
      },
      {
        desc: 'v2 spec without hashedRekordV002',
        input: body('hashedrekord', '0.0.2', { data: {} }),
      },
      {
        desc: 'tuf root content not JSON',
        input: body('tuf', '0.0.1', { root: { content: b64('{') }, metadata: { content: {} } }),
      },
      {
        desc: 'tuf key in an unknown encoding',
        input: body('tuf', '0.0.1', {
          root: { content: { signed: { keys: { k: { keyval: { public: 'abcd' } } } } } },
          metadata: { content: { signatures: [{ keyid: 'k' }] } },
        }),
      },
      {
        desc: 'rfc3161 tsr that is not DER',
        input: body('rfc3161', '0.0.1', { tsr: { content: b64('hello') } }),
      },
    ])('rejects $desc with ENTRY_MALFORMED', ({ input }) => {
      expect(() => parseEntryBody(input)).toThrowCode('ENTRY_MALFORMED');
    });
  });

  describe('on hostile input (property)', () => {
    const realBodies = loadAllEntries().map((e) => e.body);
    const onlyOurErrors = (input: Uint8Array) => {
      try {
        parseEntryBody(input);
      } catch (err) {
        if (!(err instanceof VerificationError)) throw err;
        expect(err.code).toBe('ENTRY_MALFORMED');
      }
    };

    it('throws only ENTRY_MALFORMED for random bytes', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), onlyOurErrors));
    });

    it('throws only ENTRY_MALFORMED for random JSON in the entry envelope', () => {
      const kinds = fc.constantFrom(
        ...KNOWN_ENTRY_KINDS.map((k) => k.split('@') as [string, string]),
      );
      fc.assert(
        fc.property(kinds, fc.jsonValue(), ([kind, apiVersion], spec) =>
          onlyOurErrors(body(kind, apiVersion, spec)),
        ),
      );
    });

    it('throws only ENTRY_MALFORMED for mutated real bodies', () => {
      const mutation = fc.record({
        index: fc.nat({ max: realBodies.length - 1 }),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
        cut: fc.boolean(),
      });
      fc.assert(
        fc.property(mutation, ({ index, at, byte, cut }) => {
          const original = realBodies[index]!;
          const mutated = new Uint8Array(original);
          mutated[at % mutated.length] = byte;
          onlyOurErrors(cut ? mutated.subarray(0, at % mutated.length) : mutated);
        }),
        { numRuns: 300 },
      );
    });
  });
});
