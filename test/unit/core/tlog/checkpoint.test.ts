import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  parseRekorV1Origin,
  sameCheckpointState,
  type Checkpoint,
} from '../../../../electron/core/tlog/checkpoint';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import {
  ed25519FromSeed,
  ed25519NoteSigner,
  signNote,
} from '../../../../electron/demo/note-signer';

interface CheckpointVector {
  file: string;
  desc: string;
  note: string;
  origin: string;
  logVkey: string;
  witnessVkeys: string[];
  want:
    | { error: string }
    | { treeSize: number; rootHash: string; extensions: string[]; witnesses: string[] };
}

const VECTOR_DIR = fileURLToPath(new URL('../../../fixtures/vectors/checkpoint/', import.meta.url));
const vectors: CheckpointVector[] = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, ...JSON.parse(readFileSync(join(VECTOR_DIR, file), 'utf8')) }));

const ROOT_B64 = 'y0mvJokg0K9X78/zSkzLfaoYE1EUnA0l4CTQQXV1g4o=';
const ROOT = new Uint8Array(Buffer.from(ROOT_B64, 'base64'));
const checkpointText = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('openCheckpoint mutation vectors', () => {
  it('loads the vector folder', () => {
    expect(vectors.length).toBeGreaterThan(40);
  });

  it.each(vectors)('$desc ($file)', (v) => {
    const log = {
      origin: v.origin,
      logKey: parseVerifierKey(v.logVkey),
      witnessKeys: v.witnessVkeys.map(parseVerifierKey),
    };
    const open = () => openCheckpoint(v.note, log);
    if ('error' in v.want) {
      expect(open).toThrowCode(v.want.error);
      expect(open).toThrow(VerificationError);
      return;
    }
    const checkpoint = open();
    expect(checkpoint).toEqual({
      origin: v.origin,
      treeSize: v.want.treeSize,
      rootHash: new Uint8Array(Buffer.from(v.want.rootHash, 'base64')),
      extensions: v.want.extensions,
      note: v.note,
      witnesses: v.want.witnesses,
    });
  });
});

describe('openCheckpoint', () => {
  const signer = ed25519NoteSigner('log.example', ed25519FromSeed(new Uint8Array(32)).privateKey);
  const logKey = parseVerifierKey(signer.vkey);
  const text = checkpointText('log.example', '5', ROOT_B64);

  it('accepts a log without witness keys', () => {
    const checkpoint = openCheckpoint(signNote(text, [signer]), { origin: 'log.example', logKey });
    expect(checkpoint.treeSize).toBe(5);
    expect(checkpoint.witnesses).toEqual([]);
  });

  it('reports a witness once when it cosigned twice', () => {
    const witness = ed25519NoteSigner(
      'w.example',
      ed25519FromSeed(new Uint8Array(32).fill(7)).privateKey,
    );
    const checkpoint = openCheckpoint(signNote(text, [signer, witness, witness]), {
      origin: 'log.example',
      logKey,
      witnessKeys: [parseVerifierKey(witness.vkey)],
    });
    expect(checkpoint.witnesses).toEqual(['w.example']);
  });

  it('keeps the envelope as evidence when the log signed another origin', () => {
    const envelope = signNote(checkpointText('other.example', '5', ROOT_B64), [signer]);
    try {
      openCheckpoint(envelope, { origin: 'log.example', logKey });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(VerificationError);
      expect((err as VerificationError).code).toBe('CHECKPOINT_WRONG_ORIGIN');
      expect((err as VerificationError).evidence).toEqual({ note: envelope });
    }
  });

  it('does not parse the text before the log signature verified', () => {
    // Malformed text signed by an unknown key: the signature check must fail first.
    const stranger = ed25519NoteSigner(
      'log.example',
      ed25519FromSeed(new Uint8Array(32).fill(9)).privateKey,
    );
    const envelope = signNote(checkpointText('log.example', '05', ROOT_B64), [stranger]);
    expect(() => openCheckpoint(envelope, { origin: 'log.example', logKey })).toThrowCode(
      'NOTE_UNTRUSTED',
    );
  });
});

describe('parseCheckpoint', () => {
  it('parses the lines of a checkpoint', () => {
    expect(
      parseCheckpoint(checkpointText('o', '31550402', ROOT_B64, 'Timestamp: 1', 'x y')),
    ).toEqual({
      origin: 'o',
      treeSize: 31550402,
      rootHash: ROOT,
      extensions: ['Timestamp: 1', 'x y'],
    });
  });

  it.each([
    {
      desc: 'text without a final newline',
      text: `o\n5\n${ROOT_B64}`,
      code: 'CHECKPOINT_MALFORMED',
    },
    { desc: 'empty text', text: '', code: 'CHECKPOINT_MALFORMED' },
    { desc: 'a lone newline', text: '\n', code: 'CHECKPOINT_MALFORMED' },
    {
      desc: 'an empty last extension line',
      text: `o\n5\n${ROOT_B64}\n\n`,
      code: 'CHECKPOINT_MALFORMED',
    },
    {
      desc: 'a carriage return after the size',
      text: `o\n5\r\n${ROOT_B64}\n`,
      code: 'CHECKPOINT_MALFORMED',
    },
    {
      desc: 'a size of 2^53',
      text: `o\n9007199254740992\n${ROOT_B64}\n`,
      code: 'TREE_SIZE_TOO_LARGE',
    },
  ])('rejects $desc with $code', ({ text, code }) => {
    expect(() => parseCheckpoint(text)).toThrowCode(code);
  });

  it('checks the tree size before the root hash', () => {
    expect(() => parseCheckpoint('o\n9007199254740993\nbad\n')).toThrowCode('TREE_SIZE_TOO_LARGE');
  });
});

describe('formatCheckpoint', () => {
  it.each([
    { desc: 'no extension lines', extensions: [] },
    { desc: 'two extension lines', extensions: ['Timestamp: 1689176078293604600', 'more'] },
  ])('is the inverse of parseCheckpoint with $desc', ({ extensions }) => {
    const checkpoint: Checkpoint = { origin: 'o.example', treeSize: 0, rootHash: ROOT, extensions };
    const text = formatCheckpoint(checkpoint);
    expect(text).toBe(checkpointText('o.example', '0', ROOT_B64, ...extensions));
    expect(parseCheckpoint(text)).toEqual(checkpoint);
  });
});

describe('parseRekorV1Origin', () => {
  it.each([
    {
      origin: 'rekor.sigstore.dev - 1193050959916656506',
      want: { hostname: 'rekor.sigstore.dev', treeId: '1193050959916656506' },
    },
    {
      origin: 'rekor.sigstage.dev - 108574341321668964',
      want: { hostname: 'rekor.sigstage.dev', treeId: '108574341321668964' },
    },
    { origin: 'localhost:3000 - 1', want: { hostname: 'localhost:3000', treeId: '1' } },
    { origin: 'h - 9223372036854775807', want: { hostname: 'h', treeId: '9223372036854775807' } },
    { origin: 'h - 9223372036854775808', want: undefined },
    { origin: 'h - 10000000000000000000', want: undefined },
    { origin: 'h - 0', want: undefined },
    { origin: 'h - 01', want: undefined },
    { origin: 'h - -1', want: undefined },
    { origin: 'h - 0x10', want: undefined },
    { origin: 'h - 1 ', want: undefined },
    { origin: 'h -  1', want: undefined },
    { origin: 'h  - 1', want: undefined },
    { origin: ' - 1', want: undefined },
    { origin: 'a b - 1', want: undefined },
    { origin: 'h - 1 - 2', want: undefined },
    { origin: 'h-1', want: undefined },
    { origin: 'log2025-1.rekor.sigstore.dev', want: undefined },
  ])('parses $origin as $want', ({ origin, want }) => {
    expect(parseRekorV1Origin(origin)).toEqual(want);
  });
});

describe('sameCheckpointState', () => {
  const base: Checkpoint = { origin: 'o', treeSize: 5, rootHash: ROOT, extensions: [] };

  it('returns true when only the extension lines differ', () => {
    expect(sameCheckpointState(base, { ...base, extensions: ['Timestamp: 1'] })).toBe(true);
  });

  it.each([
    { desc: 'the origin', other: { ...base, origin: 'p' } },
    { desc: 'the tree size', other: { ...base, treeSize: 6 } },
    { desc: 'the root hash', other: { ...base, rootHash: new Uint8Array(32) } },
  ])('returns false when $desc differs', ({ other }) => {
    expect(sameCheckpointState(base, other)).toBe(false);
  });
});
