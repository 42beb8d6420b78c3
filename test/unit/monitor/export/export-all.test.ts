import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAll, type ExportProgress } from '../../../../electron/monitor/export/export-all';
import type { Manifest } from '../../../../electron/monitor/export/manifest';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { T0, seedMatches, syntheticLog } from './synthetic-log';

let db: Database;
let stores: Stores;
let dir: string;

beforeEach(async () => {
  db = openDatabase(':memory:');
  stores = openStores(db);
  dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('exportAll', () => {
  it('writes CSV, JSON Lines and evidence with one manifest over every file', async () => {
    const log = syntheticLog(2);
    seedMatches(stores, log, [
      { watchName: 'a', classification: 'unexpected' },
      { watchName: 'b', classification: 'expected' },
    ]);
    const progress: ExportProgress[] = [];

    await exportAll(stores, dir, {
      logs: log.logs,
      nowMs: T0,
      onProgress: (p) => progress.push(p),
    });

    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.path)).toEqual([
      'matches.csv',
      'vigil.jsonl',
      'evidence/match-1.json',
      'evidence/match-2.json',
    ]);
    for (const f of manifest.files) {
      const bytes = await readFile(join(dir, f.path));
      expect([f.path, f.sha256, f.bytes]).toEqual([
        f.path,
        createHash('sha256').update(bytes).digest('hex'),
        bytes.length,
      ]);
    }
    expect((await readdir(dir)).sort()).toEqual([
      'evidence',
      'manifest.json',
      'matches.csv',
      'vigil.jsonl',
    ]);
    expect(progress.filter((p) => p.file === 'evidence')).toEqual([
      { file: 'evidence', records: 1 },
      { file: 'evidence', records: 2 },
    ]);
    expect(progress.filter((p) => p.file === 'matches.csv').at(-1)).toEqual({
      file: 'matches.csv',
      records: 2,
    });
  });
});
