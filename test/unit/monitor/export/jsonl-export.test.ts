import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeHex } from '../../../../electron/core/bytes';
import { openCheckpoint } from '../../../../electron/core/tlog/checkpoint';
import { verifyInclusion } from '../../../../electron/core/tlog/merkle';
import { noteVerifierFor } from '../../../../electron/core/trust/log-descriptor';
import {
  exportJsonl,
  type AuditEventLine,
  type MatchLine,
} from '../../../../electron/monitor/export/jsonl-export';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { githubSigner, seedMatches, syntheticLog } from './synthetic-log';

let db: Database;
let stores: Stores;
let dir: string;

beforeEach(async () => {
  db = openDatabase(':memory:');
  stores = openStores(db);
  dir = await mkdtemp(join(tmpdir(), 'vigil-jsonl-'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const sha256Hex = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('exportJsonl', () => {
  it('writes each match with evidence that proves it against the signed checkpoint', async () => {
    const log = syntheticLog(1);
    seedMatches(stores, log, [
      { watchName: 'github:acme/widget', classification: 'unexpected' },
      {
        watchName: 'github:acme/widget',
        classification: 'untrusted',
        signer: githubSigner({ chain: 'untrusted' }),
      },
    ]);
    const path = join(dir, 'export.jsonl');

    const file = await exportJsonl(stores, path);

    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l) as MatchLine | AuditEventLine);
    expect(file.records).toBe(lines.length);
    const matches = lines.filter((l): l is MatchLine => l.type === 'match');
    expect(matches.map((m) => [m.id, m.logIndex, m.shardIndex, m.classification])).toEqual([
      [1, 1000, 0, 'unexpected'],
      [2, 1001, 1, 'untrusted'],
    ]);
    const checkpoint = openCheckpoint(matches[0]!.evidence.checkpoint, {
      origin: log.origin,
      logKey: noteVerifierFor(log.logs[0]!),
    });
    for (const m of matches) {
      const body = Buffer.from(m.evidence.entryBodyBase64, 'base64');
      expect(body).toEqual(Buffer.from(log.tree.entry(m.shardIndex!)));
      expect(m.evidence.leafHashHex).toBe(sha256Hex(Uint8Array.of(0), body));
      const { index, treeSize, hashesHex } = m.evidence.inclusionProof;
      expect(treeSize).toBe(checkpoint.treeSize);
      const proof = hashesHex.map((h) => decodeHex(h)!);
      expect(() =>
        verifyInclusion(
          decodeHex(m.evidence.leafHashHex)!,
          index,
          treeSize,
          proof,
          checkpoint.rootHash,
        ),
      ).not.toThrow();
    }
    expect(matches[1]!.signer).toMatchObject({ type: 'x509', chain: 'untrusted' });
  });

  it('follows the matches with every audit event, oldest first and chained', async () => {
    const log = syntheticLog(2);
    seedMatches(stores, log, [{ watchName: 'w', classification: 'expected' }]);
    const path = join(dir, 'export.jsonl');

    await exportJsonl(stores, path);

    const lines = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].type).toBe('match');
    const events = lines.slice(1) as AuditEventLine[];
    expect(events.every((e) => e.type === 'audit-event')).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.kind)).toEqual([
      'log.added',
      'checkpoint.verified',
      'scan.started',
      'match.found',
      'scan.advanced',
    ]);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.prevHashHex).toBe(events[i - 1]!.hashHex);
    expect(events[0]!.prevHashHex).toBe('00'.repeat(32));
  });

  it('pages through more matches than one store page', async () => {
    const log = syntheticLog(2);
    const seeds = Array.from({ length: 1_234 }, (_, i) => ({
      watchName: `w${i % 3}`,
      classification: 'expected' as const,
    }));
    seedMatches(stores, log, seeds);
    const path = join(dir, 'export.jsonl');
    await exportJsonl(stores, path, { matchIds: undefined });
    const ids = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === 'match')
      .map((l) => l.id);
    expect(ids).toEqual(seeds.map((_, i) => i + 1));
  });
});
