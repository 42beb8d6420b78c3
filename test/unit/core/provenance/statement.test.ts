import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/core/errors';
import {
  IN_TOTO_PAYLOAD_TYPE,
  parseStatement,
  subjectDigestMatches,
} from '../../../../electron/core/provenance/statement';
import { refPatterns } from '../../../../electron/core/provenance/publisher';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'widget-1.0.0.tgz', digest: { SHA256: 'AB'.repeat(32) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: { buildDefinition: {} },
};

describe('in-toto statements', () => {
  it('reads subjects with lowercased digests and compares them', () => {
    const parsed = parseStatement(bytes(statement), IN_TOTO_PAYLOAD_TYPE);
    expect(parsed.subjects).toEqual([
      { name: 'widget-1.0.0.tgz', digest: { sha256: 'ab'.repeat(32) } },
    ]);
    expect(subjectDigestMatches(parsed, 'sha256', 'AB'.repeat(32))).toBe(true);
    expect(subjectDigestMatches(parsed, 'sha256', 'ac'.repeat(32))).toBe(false);
    expect(subjectDigestMatches(parsed, 'sha512', 'ab'.repeat(32))).toBe(false);
  });

  it('refuses every malformed statement with PROVENANCE_MALFORMED', () => {
    const bad: [unknown, string?][] = [
      [statement, 'application/json'],
      [{ ...statement, _type: 'x' }],
      [{ ...statement, subject: [] }],
      [{ ...statement, subject: [{ name: 'a', digest: {} }] }],
      [{ ...statement, subject: [{ name: 'a', digest: { sha256: 'xyz' } }] }],
      [{ ...statement, predicateType: '' }],
      ['just a string'],
    ];
    for (const [value, type] of bad) {
      expect(() => parseStatement(bytes(value), type ?? IN_TOTO_PAYLOAD_TYPE)).toThrowCode(
        'PROVENANCE_MALFORMED',
      );
    }
    expect(() => parseStatement(new Uint8Array([0xff, 0xfe]), IN_TOTO_PAYLOAD_TYPE)).toThrowCode(
      'PROVENANCE_MALFORMED',
    );
  });

  it('throws nothing but our own errors on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (payload) => {
        try {
          parseStatement(payload, IN_TOTO_PAYLOAD_TYPE);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
        }
      }),
    );
  });
});

describe('ref patterns for derived expectations', () => {
  it('generalises version tags and keeps other refs as they are', () => {
    expect(refPatterns(['refs/tags/v1.0.0', 'refs/tags/v1.2.0'])).toEqual(['refs/tags/v*']);
    expect(refPatterns(['refs/tags/1.0.0'])).toEqual(['refs/tags/*']);
    expect(refPatterns(['refs/heads/main', 'refs/tags/v1'])).toEqual([
      'refs/heads/main',
      'refs/tags/v1',
    ]);
    expect(refPatterns([])).toEqual([]);
  });
});
