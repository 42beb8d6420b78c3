// Real production and staging Sigstore checkpoints (test/fixtures/realdata/checkpoints), opened
// with keys from the real trusted roots, then mutated bit by bit.
import { readFileSync } from 'node:fs';
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
  type LogVerifiers,
} from '../../../../electron/core/tlog/checkpoint';
import { keyIdHex, type NoteVerifier } from '../../../../electron/core/tlog/note';
import {
  ecdsaNoteVerifier,
  ed25519NoteVerifier,
  parseVerifierKey,
} from '../../../../electron/core/tlog/note-verifiers';

const REALDATA = fileURLToPath(new URL('../../../fixtures/realdata/', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(join(REALDATA, path), 'utf8'));

interface RealCheckpoint {
  instance: string;
  environment: string;
  origin: string;
  treeSize: number;
  rootHashB64: string;
  extensionLines: string[];
  signedNote: string;
  signatureLines: { name: string; keyIdHex: string }[];
}
const checkpoints: RealCheckpoint[] = readFileSync(
  join(REALDATA, 'checkpoints/sigstore-checkpoints.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line));

interface TrustedTlog {
  baseUrl: string;
  publicKey: { rawBytes: string; keyDetails: string };
}
const tlogs: TrustedTlog[] = [
  ...readJson('trust/trusted_root.production.json').tlogs,
  ...readJson('trust/trusted_root.staging.json').tlogs,
];

const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

/**
 * The checkpoint key of each log instance, from the trusted roots: Rekor v1 signs with key name
 * = hostname (ECDSA, type 0x02), Rekor v2 with key name = origin (Ed25519, type 0x01).
 */
const logKeys = new Map<string, NoteVerifier>(
  tlogs.map((t) => {
    const instance = new URL(t.baseUrl).hostname;
    const spki = new Uint8Array(Buffer.from(t.publicKey.rawBytes, 'base64'));
    if (t.publicKey.keyDetails === 'PKIX_ECDSA_P256_SHA_256') {
      return [instance, ecdsaNoteVerifier(instance, spki)];
    }
    const prefix = Buffer.from(spki.subarray(0, 12)).toString('hex');
    if (t.publicKey.keyDetails !== 'PKIX_ED25519' || prefix !== ED25519_SPKI_PREFIX) {
      throw new Error(`unexpected trusted root key for ${instance}`);
    }
    return [instance, ed25519NoteVerifier(instance, spki.subarray(12))];
  }),
);

const notes = readJson('vectors/signed-note/notes.json');
const witnessKeys: NoteVerifier[] = notes.vkeys
  .filter((k: { signatureType: number }) => k.signatureType === 4)
  .map((k: { vkey: string }) => parseVerifierKey(k.vkey));

const logFor = (c: RealCheckpoint): LogVerifiers => {
  const logKey = logKeys.get(c.instance);
  if (logKey === undefined) throw new Error(`no trusted key for ${c.instance}`);
  return { origin: c.origin, logKey, witnessKeys };
};

describe('openCheckpoint on real Sigstore checkpoints', () => {
  it('has every real checkpoint', () => {
    expect(checkpoints).toHaveLength(159);
  });

  it('derives the same key IDs from the trusted roots as the published vkeys', () => {
    for (const k of notes.vkeys as { name: string; keyIdHex: string }[]) {
      const fromRoot = logKeys.get(k.name);
      if (fromRoot !== undefined) expect(keyIdHex(fromRoot.keyId)).toBe(k.keyIdHex);
    }
    const omniwitnessRekor = parseVerifierKey(
      notes.vkeys.find((k: { name: string }) => k.name === 'rekor.sigstore.dev').vkey,
    );
    expect(omniwitnessRekor.keyId).toBe(logKeys.get('rekor.sigstore.dev')?.keyId);
  });

  it.each(checkpoints.map((c, i) => ({ ...c, i })))(
    'opens #$i: $origin at tree size $treeSize',
    (c) => {
      const checkpoint = openCheckpoint(c.signedNote, logFor(c));
      expect(checkpoint.origin).toBe(c.origin);
      expect(checkpoint.treeSize).toBe(c.treeSize);
      expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(c.rootHashB64);
      expect(checkpoint.extensions).toEqual(c.extensionLines);
      expect(checkpoint.note).toBe(c.signedNote);
      expect(formatCheckpoint(checkpoint)).toBe(
        c.signedNote.slice(0, c.signedNote.lastIndexOf('\n\n') + 1),
      );
      const v1 = parseRekorV1Origin(c.origin);
      if (c.origin.includes(' - ')) expect(v1?.hostname).toBe(c.instance);
      else expect(v1).toBeUndefined();
    },
  );

  it('verifies all three real witness cosignatures on the staging checkpoint', () => {
    const witnessed = checkpoints.find((c) => c.signatureLines.length === 4);
    expect(witnessed?.treeSize).toBe(4026479);
    const checkpoint = openCheckpoint(witnessed!.signedNote, logFor(witnessed!));
    expect(checkpoint.witnesses).toEqual([
      'witness.stagemole.eu',
      'staging.witness.transparency.goog/ring-any-bells',
      'witness.navigli.sunlight.geomys.org',
    ]);
  });

  it('rejects a real checkpoint opened as another log', () => {
    const v1 = checkpoints.find((c) => c.instance === 'rekor.sigstore.dev')!;
    const v2 = checkpoints.find((c) => c.instance === 'log2025-1.rekor.sigstore.dev')!;
    expect(() => openCheckpoint(v1.signedNote, logFor(v2))).toThrowCode('NOTE_UNTRUSTED');
    expect(() => openCheckpoint(v2.signedNote, logFor(v1))).toThrowCode('NOTE_UNTRUSTED');
    const otherShard = { ...logFor(v1), origin: 'rekor.sigstore.dev - 3904496407287907110' };
    expect(() => openCheckpoint(v1.signedNote, otherShard)).toThrowCode('CHECKPOINT_WRONG_ORIGIN');
  });

  it('treats real notes that differ only in their Timestamp line as the same state', () => {
    const pairs = checkpoints.filter((c) => c.treeSize === 28250852);
    expect(pairs).toHaveLength(2);
    const [a, b] = pairs.map((c) => openCheckpoint(c.signedNote, logFor(c)));
    expect(a!.note).not.toBe(b!.note);
    expect(a!.extensions).not.toEqual(b!.extensions);
    expect(sameCheckpointState(a!, b!)).toBe(true);
  });
});

/** One example of each signature type, plus the checkpoint with three cosignatures. */
const samples = [
  checkpoints.find((c) => c.instance === 'rekor.sigstore.dev' && c.extensionLines.length > 0)!,
  checkpoints.find((c) => c.instance === 'log2025-1.rekor.sigstore.dev')!,
  checkpoints.find((c) => c.signatureLines.length === 4)!,
];

/** The envelope with one bit of the decoded payload of signature line `lineIndex` flipped. */
function flipSignatureBit(envelope: string, lineIndex: number, byte: number, bit: number): string {
  const split = envelope.lastIndexOf('\n\n') + 2;
  const lines = envelope.slice(split, -1).split('\n');
  const line = lines[lineIndex]!;
  const space = line.lastIndexOf(' ');
  const payload = Buffer.from(line.slice(space + 1), 'base64');
  payload[byte]! ^= 1 << bit;
  lines[lineIndex] = `${line.slice(0, space + 1)}${payload.toString('base64')}`;
  return `${envelope.slice(0, split)}${lines.join('\n')}\n`;
}

describe('openCheckpoint on bit-flipped real checkpoints', () => {
  it.each(samples)('rejects every signature bit flip of $origin', (c) => {
    const log = logFor(c);
    c.signatureLines.forEach((sig, lineIndex) => {
      const payloadBytes = Buffer.from(
        c.signedNote
          .split('\n')
          .find((l) => l.startsWith(`\u2014 ${sig.name} `))!
          .split(' ')
          .pop()!,
        'base64',
      ).length;
      const isLog = sig.name === log.logKey.keyName;
      for (let byte = 0; byte < payloadBytes; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const mutated = flipSignatureBit(c.signedNote, lineIndex, byte, bit);
          const open = () => openCheckpoint(mutated, log);
          if (byte >= 4) {
            expect(open).toThrowCode('NOTE_BAD_SIGNATURE');
          } else if (isLog) {
            // A changed key ID makes the log's line unknown: no log signature is left.
            expect(open).toThrowCode('NOTE_UNTRUSTED');
          } else {
            // A changed witness key ID makes that cosignature unknown, hence ignored.
            expect(open().witnesses).not.toContain(sig.name);
          }
        }
      }
    });
  });

  it.each(samples)('rejects every bit flip of the root hash of $origin', (c) => {
    const root = Buffer.from(c.rootHashB64, 'base64');
    for (let i = 0; i < root.length * 8; i++) {
      const flipped = Buffer.from(root);
      flipped[i >> 3]! ^= 1 << (i & 7);
      const mutated = c.signedNote.replace(c.rootHashB64, flipped.toString('base64'));
      expect(() => openCheckpoint(mutated, logFor(c))).toThrowCode('NOTE_BAD_SIGNATURE');
    }
  });

  it.each(samples)('rejects every other tree size near that of $origin', (c) => {
    const text = (size: number) => c.signedNote.replace(`\n${c.treeSize}\n`, `\n${size}\n`);
    for (const delta of [-1, 1, 256, -c.treeSize]) {
      expect(() => openCheckpoint(text(c.treeSize + delta), logFor(c))).toThrowCode(
        'NOTE_BAD_SIGNATURE',
      );
    }
    for (let bit = 0; bit < 31; bit++) {
      const size = c.treeSize ^ (1 << bit);
      expect(() => openCheckpoint(text(size), logFor(c))).toThrowCode('NOTE_BAD_SIGNATURE');
    }
  });

  it.each(samples)('rejects every bit flip of any character of the text of $origin', (c) => {
    const textEnd = c.signedNote.lastIndexOf('\n\n') + 1;
    for (let i = 0; i < textEnd; i++) {
      for (let bit = 0; bit < 7; bit++) {
        const char = String.fromCharCode(c.signedNote.charCodeAt(i) ^ (1 << bit));
        const mutated = c.signedNote.slice(0, i) + char + c.signedNote.slice(i + 1);
        const open = () => openCheckpoint(mutated, logFor(c));
        expect(open).toThrow(VerificationError);
        // A flip into "\n" or a control character breaks the note's syntax instead.
        expect(['NOTE_BAD_SIGNATURE', 'NOTE_MALFORMED']).toContain(errorCode(open));
      }
    }
  });

  it('rejects every origin differing in one character from the real one', () => {
    const c = samples[0]!;
    const log = logFor(c);
    for (let i = 0; i < c.origin.length; i++) {
      const origin = `${c.origin.slice(0, i)}x${c.origin.slice(i + 1)}`;
      if (origin === c.origin) continue;
      expect(() => openCheckpoint(c.signedNote, { ...log, origin })).toThrowCode(
        'CHECKPOINT_WRONG_ORIGIN',
      );
    }
  });
});

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof VerificationError ? err.code : undefined;
  }
  return undefined;
}

describe('parseCheckpoint on real checkpoint text', () => {
  it('parses real Rekor v1 "Timestamp:" lines as extension lines', () => {
    const c = samples[0]!;
    const text = c.signedNote.slice(0, c.signedNote.lastIndexOf('\n\n') + 1);
    expect(parseCheckpoint(text).extensions).toEqual([expect.stringMatching(/^Timestamp: \d+$/)]);
  });
});
