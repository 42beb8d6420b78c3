// Every transparency-dev/merkle golden vector (test/fixtures/realdata/vectors/merkle), one row each.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import { verifyConsistency, verifyInclusion } from '../../../../electron/core/tlog/merkle';

const ROOT = join(import.meta.dirname, '../../../fixtures/realdata/vectors/merkle');

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function loadVectors<T>(dir: string): Array<T & { file: string }> {
  const base = join(ROOT, dir);
  return readdirSync(base, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      ...(JSON.parse(readFileSync(join(base, f), 'utf8')) as T),
      file: relative(ROOT, join(base, f)),
    }));
}

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

const inclusion = loadVectors<InclusionVector>('inclusion');
const consistency = loadVectors<ConsistencyVector>('consistency');

it('loads all 196 golden vectors', () => {
  expect(inclusion.length + consistency.length).toBe(196);
});

describe('verifyInclusion against transparency-dev/merkle golden vectors', () => {
  it.each(inclusion)('$desc ($file)', (v) => {
    const run = () =>
      verifyInclusion(
        b64(v.leafHash),
        v.leafIdx,
        v.treeSize,
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
    if (v.wantErr) expect(run).toThrow(VerificationError);
    else expect(run).not.toThrow();
  });
});

describe('verifyConsistency against transparency-dev/merkle golden vectors', () => {
  it.each(consistency)('$desc ($file)', (v) => {
    const run = () =>
      verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
    if (v.wantErr) expect(run).toThrow(VerificationError);
    else expect(run).not.toThrow();
  });
});
