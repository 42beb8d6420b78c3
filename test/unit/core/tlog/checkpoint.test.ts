import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../../electron/core/errors';
import {
  formatCheckpoint,
  openCheckpoint,
  openCheckpointAsAny,
  parseCheckpoint,
  parseRekorV1Origin,
  sameCheckpointState,
  type Checkpoint,
} from '../../../../electron/core/tlog/checkpoint';
import { parseVerifierKey } from '../../../../electron/core/tlog/note-verifiers';
import {
  ecdsaNoteSigner,
  ed25519FromSeed,
  ed25519NoteSigner,
  generateEcdsaP256,
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
      keyName: log.logKey.keyName,
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

describe('openCheckpoint with a key that accepts any key name (Rekor v1)', () => {
  const { privateKey } = generateEcdsaP256();
  const vkey = ecdsaNoteSigner('rekor.example', privateKey).vkey;
  const logKey = { ...parseVerifierKey(vkey), anyKeyName: true };
  const origin = 'localhost:8000 - 42';
  const text = checkpointText(origin, '5', ROOT_B64);

  it.each(['rekor.example', 'localhost:8000', 'rekor-0'])(
    'accepts the line named %s and records that name',
    (name) => {
      const cp = openCheckpoint(signNote(text, [ecdsaNoteSigner(name, privateKey)]), {
        origin,
        logKey,
      });
      expect([cp.treeSize, cp.keyName]).toEqual([5, name]);
    },
  );

  it('still refuses another name without anyKeyName, as C2SP verifiers do', () => {
    const envelope = signNote(text, [ecdsaNoteSigner('rekor-0', privateKey)]);
    expect(() => openCheckpoint(envelope, { origin, logKey: parseVerifierKey(vkey) })).toThrowCode(
      'NOTE_UNTRUSTED',
    );
  });

  it('names the key as "<any name>+<key ID>" when no line verifies', () => {
    const envelope = signNote(text, [ecdsaNoteSigner('x', generateEcdsaP256().privateKey)]);
    expect(() => openCheckpoint(envelope, { origin, logKey })).toThrow(/<any name>\+[0-9a-f]{8}/);
  });
});

describe('openCheckpointAsAny', () => {
  const key = ed25519FromSeed(new Uint8Array(32).fill(3)).privateKey;
  const signerAs = (name: string) => ed25519NoteSigner(name, key);
  const signers = ['log.example', 'log.example:3003'].map((origin) => ({
    origin,
    logKey: parseVerifierKey(signerAs(origin).vkey),
  }));
  const envelopeAs = (origin: string, ...names: string[]) =>
    signNote(checkpointText(origin, '5', ROOT_B64), names.map(signerAs));

  it.each(['log.example', 'log.example:3003'])('opens a checkpoint of origin %s', (origin) => {
    const cp = openCheckpointAsAny(envelopeAs(origin, origin), signers);
    expect([cp.origin, cp.keyName, cp.witnesses]).toEqual([origin, origin, []]);
  });

  it('takes the preferred signer when the log signed under both names', () => {
    const envelope = envelopeAs('log.example', 'log.example:3003', 'log.example');
    expect(openCheckpointAsAny(envelope, signers).keyName).toBe('log.example');
  });

  it('requires the origin of the signer whose key verified', () => {
    expect(() =>
      openCheckpointAsAny(envelopeAs('log.example', 'log.example:3003'), signers),
    ).toThrowCode('CHECKPOINT_WRONG_ORIGIN');
  });

  it('refuses a note none of the signers signed, naming them all', () => {
    const witness = ed25519NoteSigner('w.example', ed25519FromSeed(new Uint8Array(32)).privateKey);
    const envelope = signNote(checkpointText('log.example', '5', ROOT_B64), [witness]);
    const open = () => openCheckpointAsAny(envelope, signers, [parseVerifierKey(witness.vkey)]);
    expect(open).toThrowCode('NOTE_UNTRUSTED');
    expect(open).toThrow(/log\.example\+[0-9a-f]{8} or log\.example:3003\+[0-9a-f]{8}/);
  });
});
