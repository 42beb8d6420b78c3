// The canonical Rekor v2 fast path must be invisible: on any input, parseEntryBody (which tries
// it first) and parseEntryBodyJson (the general path alone) return or throw the same thing.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseEntryBody,
  parseEntryBodyJson,
} from '../../../../electron/core/entries/parse-entry-body';
import { readCanonicalRekorV2Entry } from '../../../../electron/core/entries/rekor-v2-canonical';
import { AppError } from '../../../../electron/core/errors';
import { createTestCa } from '../../../../electron/demo/cert-factory';
import { loadEntries } from '../identity/realdata';

const ca = createTestCa();
const leaf = ca.issueLeaf({ sans: [{ type: 'email', value: 'maintainer@example.com' }] });
const spki = new Uint8Array(
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'der',
  }),
);
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** A protojson Verifier with its keys in RFC 8785 order. */
const verifier = (key: 'x509Certificate' | 'publicKey', der: Uint8Array) => ({
  keyDetails: 'PKIX_ECDSA_P256_SHA_256',
  [key]: { rawBytes: b64(der) },
});
const hashOutput = { algorithm: 'SHA2_256', digest: b64(new Uint8Array(32).fill(7)) };

/** Canonical JSON as rekor-tiles logs it: JSON.stringify keeps these keys in sorted order. */
const hashedRekord = (key: 'x509Certificate' | 'publicKey', der: Uint8Array) =>
  utf8(
    JSON.stringify({
      apiVersion: '0.0.2',
      kind: 'hashedrekord',
      spec: {
        hashedRekordV002: {
          data: hashOutput,
          signature: { content: b64('signature'), verifier: verifier(key, der) },
        },
      },
    }),
  );
const dsse = (...signers: ['x509Certificate' | 'publicKey', Uint8Array][]) =>
  utf8(
    JSON.stringify({
      apiVersion: '0.0.2',
      kind: 'dsse',
      spec: {
        dsseV002: {
          payloadHash: hashOutput,
          signatures: signers.map(([key, der], i) => ({
            content: b64(`signature ${i}`),
            verifier: verifier(key, der),
          })),
        },
      },
    }),
  );

const realV2 = [
  ...loadEntries('rekor-v2/entries.production.jsonl'),
  ...loadEntries('rekor-v2/entries.staging.jsonl'),
];
const realV1 = [
  ...loadEntries('rekor-v1/entries.production.jsonl'),
  ...loadEntries('rekor-v1/entries.staging.jsonl'),
];
const CANONICAL: { desc: string; body: Uint8Array }[] = [
  ...realV2.map((e) => ({ desc: `real ${e.id} (${e.kind})`, body: e.body })),
  { desc: 'a hashedrekord with a certificate', body: hashedRekord('x509Certificate', leaf.der) },
  { desc: 'a hashedrekord with a public key', body: hashedRekord('publicKey', spki) },
  {
    desc: 'a dsse with two signatures',
    body: dsse(['x509Certificate', leaf.der], ['publicKey', spki]),
  },
];

/** What a parse produced: its value, or the class, code and message of what it threw. */
function outcome(parse: (bytes: Uint8Array) => unknown, bytes: Uint8Array): unknown {
  try {
    return { value: parse(bytes) };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { threw: err.constructor.name, code: err.code, message: err.message };
  }
}

const expectSameAsGeneralPath = (bytes: Uint8Array): void => {
  expect(outcome(parseEntryBody, bytes)).toEqual(outcome(parseEntryBodyJson, bytes));
};

describe('readCanonicalRekorV2Entry', () => {
  it('has real Rekor v2 entries of both kinds to test on', () => {
    expect(new Set(realV2.map((e) => e.kind))).toEqual(new Set(['hashedrekord', 'dsse']));
    expect(realV2.length).toBeGreaterThanOrEqual(16);
  });

  it.each(CANONICAL)('reads $desc as the general path does', ({ body }) => {
    const fast = readCanonicalRekorV2Entry(body);
    expect(fast).toBeDefined();
    expect(fast).toEqual(parseEntryBodyJson(body));
  });

  it('leaves every real Rekor v1 entry to the general path', () => {
    expect(realV1.length).toBeGreaterThan(100);
    for (const entry of realV1) {
      expect(readCanonicalRekorV2Entry(entry.body), entry.id).toBeUndefined();
    }
  });

  const base = text(hashedRekord('x509Certificate', leaf.der));
  /** The hashedrekord with public key `spki`, its rawBytes JSON text replaced verbatim. */
  const withRawBytes = (json: string) =>
    text(hashedRekord('publicKey', spki)).replace(`"${b64(spki)}"`, `"${json}"`);
  // A P-256 SubjectPublicKeyInfo is 91 bytes: the last base64 group holds one byte and 4 unused bits.
  const spkiB64 = b64(spki);
  it.each([
    { desc: 'a space after a colon', input: base.replace('"kind":', '"kind": ') },
    { desc: 'a trailing newline', input: `${base}\n` },
    { desc: 'a byte order mark', input: `\ufeff${base}` },
    { desc: 'an escaped letter in keyDetails', input: base.replace('"PKIX', '"\\u0050KIX') },
    { desc: 'an escaped character in rawBytes', input: withRawBytes(`\\u004d${spkiB64.slice(1)}`) },
    { desc: 'a non-ASCII letter in content', input: base.replace('"content":"', '"content":"é') },
    { desc: 'a control character in digest', input: base.replace('"digest":"', '"digest":"\t') },
    {
      desc: 'a quote-free rawBytes with a tab',
      input: withRawBytes(`${spkiB64.slice(0, 8)}\t${spkiB64.slice(8)}`),
    },
    {
      desc: 'URL-safe base64 in rawBytes',
      input: withRawBytes(spkiB64.replace(/\+/g, '-').replace(/\//g, '_')),
    },
    { desc: 'rawBytes without padding', input: withRawBytes(spkiB64.replace(/=+$/, '')) },
    { desc: 'non-zero unused bits in rawBytes', input: withRawBytes(`${spkiB64.slice(0, -3)}B==`) },
    {
      desc: 'a line break in rawBytes',
      input: withRawBytes(`${spkiB64.slice(0, 64)}\\n${spkiB64.slice(64)}`),
    },
    {
      desc: 'keys out of order',
      input: base.replace(
        '"apiVersion":"0.0.2","kind":"hashedrekord"',
        '"kind":"hashedrekord","apiVersion":"0.0.2"',
      ),
    },
    { desc: 'an extra field', input: base.replace('"kind":', '"extra":1,"kind":') },
    {
      desc: 'a duplicated kind',
      input: base.replace('"kind":"hashedrekord"', '"kind":"dsse","kind":"hashedrekord"'),
    },
    {
      desc: 'both verifier keys',
      input: base.replace(
        '"x509Certificate":',
        `"publicKey":{"rawBytes":"${spkiB64}"},"x509Certificate":`,
      ),
    },
    { desc: 'a dsse without signatures', input: text(dsse()) },
    { desc: 'another API version', input: base.replace('0.0.2', '0.0.3') },
    { desc: 'a truncated body', input: base.slice(0, -1) },
  ])('falls back to the general path for $desc', ({ input }) => {
    const bytes = utf8(input);
    expect(readCanonicalRekorV2Entry(bytes)).toBeUndefined();
    expectSameAsGeneralPath(bytes);
  });

  it('builds its non-canonical rawBytes from a key of the length they assume', () => {
    expect(spki).toHaveLength(91);
    expect(spkiB64.endsWith('==')).toBe(true);
  });

  it('finds the same signer through an escaped character, the general way', () => {
    const escaped = utf8(withRawBytes(`\\u004d${spkiB64.slice(1)}`));
    expect(spkiB64.startsWith('M')).toBe(true);
    expect(parseEntryBody(escaped)).toEqual(parseEntryBody(hashedRekord('publicKey', spki)));
  });

  it.each([
    { desc: 'a certificate that is not DER', der: utf8('not a certificate') },
    { desc: 'a certificate that is a public key', der: spki },
  ])('throws what the general path throws for $desc', ({ der }) => {
    const body = hashedRekord('x509Certificate', der);
    expect(() => readCanonicalRekorV2Entry(body)).toThrowCode('ENTRY_MALFORMED');
    expectSameAsGeneralPath(body);
  });

  it('throws for the first bad signer of a dsse, as the general path does', () => {
    const body = dsse(
      ['publicKey', spki],
      ['x509Certificate', spki],
      ['x509Certificate', utf8('x')],
    );
    expect(() => readCanonicalRekorV2Entry(body)).toThrowCode('ENTRY_MALFORMED');
    expectSameAsGeneralPath(body);
  });
});

describe('parseEntryBody (property)', () => {
  const bodies = CANONICAL.map((c) => c.body);
  const anyBody = fc.nat({ max: bodies.length - 1 }).map((i) => bodies[i] as Uint8Array);
  /** Bytes that matter to a JSON or base64 reader, and some that never do. */
  const interesting = fc.constantFrom(
    ...[0x00, 0x09, 0x0a, 0x20, 0x22, 0x2b, 0x2c, 0x2d, 0x2f, 0x3a, 0x3d, 0x41, 0x5c, 0x5f],
    ...[0x5b, 0x5d, 0x61, 0x7b, 0x7d, 0x7f, 0x80, 0xc3, 0xe9, 0xff],
  );
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), interesting);

  it('agrees with the general path on canonical bodies with one byte replaced', () => {
    fc.assert(
      fc.property(anyBody, fc.nat(), byte, (body, at, value) => {
        const mutated = Uint8Array.from(body);
        mutated[at % mutated.length] = value;
        expectSameAsGeneralPath(mutated);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the general path on canonical bodies with bytes inserted or removed', () => {
    fc.assert(
      fc.property(
        anyBody,
        fc.nat(),
        fc.uint8Array({ maxLength: 4 }),
        fc.nat({ max: 4 }),
        (body, at, inserted, removed) => {
          const cut = at % (body.length + 1);
          const mutated = Uint8Array.from([
            ...body.subarray(0, cut),
            ...inserted,
            ...body.subarray(Math.min(body.length, cut + removed)),
          ]);
          expectSameAsGeneralPath(mutated);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with the general path on canonical bodies cut short', () => {
    for (const body of bodies) {
      for (let length = 0; length < body.length; length += 7) {
        expectSameAsGeneralPath(body.subarray(0, length));
      }
    }
  });

  it('agrees with the general path on random bytes after the canonical prefix', () => {
    const prefix = utf8('{"apiVersion":"0.0.2","kind":"');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        expectSameAsGeneralPath(Uint8Array.from([...prefix, ...tail]));
      }),
      { numRuns: 500 },
    );
  });
});
