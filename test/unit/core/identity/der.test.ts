import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkDerChildren,
  checkDerFraming,
  decodeOid,
  decodeOidAt,
  readDerChild,
  readDerChildren,
  readDerElement,
  readDerWhole,
  type DerElement,
} from '../../../../electron/core/identity/der';
import { createTestCa } from '../../../../electron/demo/cert-factory';
import { der } from '../../../../electron/demo/cert-factory';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('readDerElement', () => {
  it.each([
    {
      desc: 'a short-form length',
      input: bytes(0x04, 0x02, 0xaa, 0xbb),
      want: { tag: 0x04, start: 0, end: 4, contents: bytes(0xaa, 0xbb) },
    },
    {
      desc: 'a long-form length',
      input: new Uint8Array(der.octetString(new Uint8Array(200))),
      want: { tag: 0x04, start: 0, end: 203, contents: new Uint8Array(200) },
    },
  ])('reads $desc', ({ input, want }) => {
    expect(readDerElement(input)).toEqual(want);
  });

  it.each([
    { desc: 'an empty input', input: bytes() },
    { desc: 'a lone tag', input: bytes(0x30) },
    { desc: 'a multi-byte tag', input: bytes(0x1f, 0x01, 0x00) },
    { desc: 'an indefinite length', input: bytes(0x30, 0x80, 0x00, 0x00) },
    { desc: 'a non-minimal long form', input: bytes(0x04, 0x81, 0x01, 0xaa) },
    { desc: 'a leading zero length octet', input: bytes(0x04, 0x82, 0x00, 0x80) },
    { desc: 'five length octets', input: bytes(0x04, 0x85, 1, 0, 0, 0, 0) },
    { desc: 'a length beyond the input', input: bytes(0x04, 0x03, 0xaa) },
    { desc: 'a truncated long-form length', input: bytes(0x04, 0x82, 0x01) },
  ])('rejects $desc with CERTIFICATE_MALFORMED', ({ input }) => {
    expect(() => readDerElement(input)).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('readDerWhole', () => {
  it('rejects trailing bytes', () => {
    expect(() => readDerWhole(bytes(0x05, 0x00, 0x00))).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('readDerChildren', () => {
  it('reads the children of a constructed element with offsets inside it', () => {
    const [a, b] = readDerChildren(
      readDerWhole(new Uint8Array(der.sequence(der.integer(1n), der.boolean(true)))),
    );
    expect([a, b]).toEqual([
      { tag: 0x02, start: 0, end: 3, contents: bytes(1) },
      { tag: 0x01, start: 3, end: 6, contents: bytes(0xff) },
    ]);
  });

  it.each([
    { desc: 'a primitive element', input: der.octetString(der.integer(1n)) },
    { desc: 'a child that overruns its parent', input: bytes(0x30, 0x03, 0x04, 0x05, 0x00) },
  ])('rejects $desc', ({ input }) => {
    expect(() => readDerChildren(readDerWhole(input))).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

/** What `run` returned, or the code and message it threw. */
function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (err) {
    return { threw: (err as { code?: string }).code, message: (err as Error).message };
  }
}

describe('checkDerChildren and readDerChild', () => {
  const certificate = createTestCa().issueLeaf({ sans: [{ type: 'email', value: 'a@b.example' }] });
  const tbs = readDerChildren(readDerWhole(certificate.der))[0]!;

  it('find the children readDerChildren finds', () => {
    const children = readDerChildren(tbs);
    expect(children.length).toBeGreaterThan(6);
    children.forEach((child, i) => expect(readDerChild(tbs, i)).toEqual(child));
    expect(readDerChild(tbs, children.length)).toBeUndefined();
    expect(() => checkDerChildren(tbs)).not.toThrow();
  });

  it('reject a primitive element as readDerChildren does', () => {
    const primitive = readDerWhole(der.integer(5n));
    expect(() => checkDerChildren(primitive)).toThrowCode('CERTIFICATE_MALFORMED');
    expect(() => readDerChild(primitive, 0)).toThrowCode('CERTIFICATE_MALFORMED');
  });

  it('throw what readDerChildren throws, or find its children, on mutated DER (property)', () => {
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(mutation, fc.nat({ max: 9 }), ({ at, byte }, index) => {
        const bytes = Uint8Array.from(tbs.contents);
        bytes[at % bytes.length] = byte;
        const parent: DerElement = { tag: 0x30, start: 0, end: bytes.length, contents: bytes };
        const all = outcome(() => readDerChildren(parent));
        expect(outcome(() => checkDerChildren(parent))).toEqual(
          'value' in (all as object) ? { value: undefined } : all,
        );
        // readDerChild reads only the framing up to its child: it may succeed where
        // readDerChildren fails later on, but never fails differently nor finds another child.
        const one = outcome(() => readDerChild(parent, index));
        if ('value' in (all as object)) {
          expect(one).toEqual({ value: (all as { value: DerElement[] }).value[index] });
        } else if (!('value' in (one as object))) {
          expect(one).toEqual(all);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodeOid', () => {
  it.each(['1.3.6.1.4.1.57264.1.12', '2.5.29.17', '2.999.1', '0.9.2342.19200300.100.1.25'])(
    'round-trips %s',
    (oid) => {
      expect(decodeOid(readDerWhole(der.oid(oid)).contents)).toBe(oid);
    },
  );

  it.each([
    { desc: 'no arcs', input: bytes() },
    { desc: 'a truncated arc', input: bytes(0x2b, 0x86) },
    { desc: 'a non-minimal arc', input: bytes(0x2b, 0x80, 0x01) },
  ])('rejects $desc', ({ input }) => {
    expect(() => decodeOid(input)).toThrowCode('CERTIFICATE_MALFORMED');
  });
});

describe('checkDerFraming', () => {
  const certificate = createTestCa().issueLeaf({ sans: [{ type: 'email', value: 'a@b.example' }] });

  it('accepts a certificate, and DER that is not DER inside an OCTET STRING', () => {
    expect(() => checkDerFraming(certificate.der)).not.toThrow();
    expect(() => checkDerFraming(der.sequence(der.octetString(bytes(0x30, 0x05))))).not.toThrow();
    expect(() => checkDerFraming(der.sequence(der.sequence(), der.set()))).not.toThrow();
  });

  it.each([
    { desc: 'no bytes', input: bytes() },
    { desc: 'trailing bytes', input: bytes(0x30, 0x00, 0x00) },
    { desc: 'two elements', input: bytes(0x30, 0x00, 0x30, 0x00) },
    {
      desc: 'a grandchild that overruns its parent',
      input: der.sequence(der.sequence(bytes(0x04, 0x05, 0x00)), der.integer(1n)),
    },
    {
      desc: 'a non-minimal length deep inside',
      input: der.sequence(der.set(bytes(0x04, 0x81, 1, 0))),
    },
    { desc: 'an end-of-contents tag', input: der.sequence(bytes(0x00, 0x00)) },
  ])('rejects $desc with CERTIFICATE_MALFORMED', ({ input }) => {
    expect(() => checkDerFraming(new Uint8Array(input))).toThrowCode('CERTIFICATE_MALFORMED');
  });

  it('walks 20,000 nested SEQUENCEs without exhausting the stack', () => {
    let nested: Uint8Array = der.integer(1n);
    for (let i = 0; i < 20_000; i++) nested = der.sequence(nested);
    expect(() => checkDerFraming(nested)).not.toThrow();
  });

  it('accepts exactly what reading every constructed element with readDerChildren accepts (property)', () => {
    const readAll = (input: Uint8Array) => {
      const pending = [readDerWhole(input)];
      for (let e = pending.pop(); e !== undefined; e = pending.pop()) {
        if (e.tag === 0) throw new Error('end-of-contents');
        if (e.tag & 0x20) pending.push(...readDerChildren(e));
      }
    };
    const ok = (run: () => void) => {
      try {
        run();
        return true;
      } catch {
        return false;
      }
    };
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(mutation, ({ at, byte }) => {
        const input = Uint8Array.from(certificate.der);
        input[at % input.length] = byte;
        expect(ok(() => checkDerFraming(input))).toBe(ok(() => readAll(input)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decodeOidAt', () => {
  it('decodes the OID inside a larger buffer, the same each time', () => {
    const inner = readDerWhole(der.oid('1.3.6.1.4.1.57264.1.12')).contents;
    const padded = Uint8Array.from([0xff, ...inner, 0xff]);
    expect(decodeOidAt(padded, 1, 1 + inner.length)).toBe('1.3.6.1.4.1.57264.1.12');
    expect(decodeOidAt(padded, 1, 1 + inner.length)).toBe('1.3.6.1.4.1.57264.1.12');
    expect(decodeOid(inner)).toBe('1.3.6.1.4.1.57264.1.12');
  });

  it('tells apart OIDs however many have been decoded before (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 6 }), (arcs) => {
        const oid = ['1', '3', ...arcs.map(String)].join('.');
        expect(decodeOid(readDerWhole(der.oid(oid)).contents)).toBe(oid);
      }),
      { numRuns: 2000 },
    );
  });
});
