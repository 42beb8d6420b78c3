// In-toto Statements (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md), as
// carried in the DSSE envelope of an npm or PyPI attestation: the subjects (artifact name and
// digests), the predicate type and the predicate. v0.1 statements (npm's SLSA v0.2 provenance)
// have the same fields under another `_type`.
import { decodeUtf8Strict } from '../bytes';
import { VerificationError } from '../errors';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPES = new Set([
  'https://in-toto.io/Statement/v0.1',
  'https://in-toto.io/Statement/v1',
]);

export interface StatementSubject {
  readonly name: string;
  /** Algorithm (lowercase, e.g. "sha256", "sha512") to lowercase hex digest. */
  readonly digest: Readonly<Record<string, string>>;
}

export interface Statement {
  readonly type: string;
  readonly subjects: readonly StatementSubject[];
  readonly predicateType: string;
  /** Opaque here; null for PyPI's publish attestation. */
  readonly predicate: unknown;
}

const fail = (message: string): never => {
  throw new VerificationError('PROVENANCE_MALFORMED', `in-toto statement: ${message}`);
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses the payload of a DSSE envelope as an in-toto Statement. Throws only
 * VerificationError('PROVENANCE_MALFORMED').
 */
export function parseStatement(payload: Uint8Array, payloadType: string): Statement {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) fail(`payload type ${JSON.stringify(payloadType)}`);
  const text = decodeUtf8Strict(payload);
  if (text === undefined) fail('payload is not UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(text as string);
  } catch {
    return fail('payload is not JSON');
  }
  if (!isRecord(value)) return fail('not an object');
  const type = value['_type'];
  if (typeof type !== 'string' || !STATEMENT_TYPES.has(type)) {
    fail(`_type ${JSON.stringify(type)}`);
  }
  const predicateType = value['predicateType'];
  if (typeof predicateType !== 'string' || predicateType === '') fail('no predicateType');
  const subjects = value['subject'];
  if (!Array.isArray(subjects) || subjects.length === 0) fail('no subject');
  return {
    type: type as string,
    subjects: (subjects as unknown[]).map(parseSubject),
    predicateType: predicateType as string,
    predicate: value['predicate'] ?? null,
  };
}

function parseSubject(value: unknown, i: number): StatementSubject {
  if (!isRecord(value)) return fail(`subject[${i}] is not an object`);
  const name = value['name'];
  const digest = value['digest'];
  if (typeof name !== 'string') fail(`subject[${i}].name`);
  if (!isRecord(digest)) return fail(`subject[${i}].digest`);
  const digests: Record<string, string> = {};
  for (const [alg, hex] of Object.entries(digest)) {
    if (typeof hex !== 'string' || !/^[0-9a-fA-F]+$/.test(hex)) fail(`subject[${i}].digest.${alg}`);
    digests[alg.toLowerCase()] = (hex as string).toLowerCase();
  }
  if (Object.keys(digests).length === 0) fail(`subject[${i}] has no digest`);
  return { name: name as string, digest: digests };
}

/**
 * Does some subject carry `digest` (algorithm, lowercase hex) for the artifact? A subject with
 * the same algorithm and another value is a mismatch, not an absence.
 */
export function subjectDigestMatches(
  statement: Statement,
  algorithm: string,
  hex: string,
): boolean {
  const want = hex.toLowerCase();
  return statement.subjects.some((s) => s.digest[algorithm.toLowerCase()] === want);
}
