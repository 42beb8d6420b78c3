// Exports of 100k matches must stream: the live heap (measured after a forced GC at progress
// points) stays far below the size of the files written. No timing assertions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv } from '../../../../electron/monitor/export/csv-export';
import { exportJsonl } from '../../../../electron/monitor/export/jsonl-export';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { T0, githubSigner, syntheticLog } from './synthetic-log';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 100_000;
const MIB = 2 ** 20;

let stores: Stores;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-bulk-'));
  stores = openStores(openDatabase(join(dir, 'vigil.db')));
  const log = syntheticLog(2);
  for (let i = 0; i < 17; i++) log.tree.append(Buffer.from(`{"kind":"hashedrekord","n":${i}}`));
  stores.logs.upsert(log.record, T0);
  // Bulk rows straight into the table: commitScanBatch checks and audits each match (about
  // 100 µs apiece), which would make this test about seeding. The rows only need a realistic
  // size; their evidence is one real entry and proof, repeated.
  stores.db
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @rows - 1)
       INSERT INTO matches (origin, log_index, watch_name, entry_bytes, leaf_hash,
         checkpoint_tree_size, checkpoint_note, inclusion_proof, signer, classification, reason,
         triage, found_at_ms)
       SELECT @origin, i, 'github:acme/widget', @body, @leaf, 17, @note, @proof, @signer,
         'unexpected', 'workflow .github/workflows/x.yml is not in expect.workflows', 'new', @t
       FROM n`,
    )
    .run({
      rows: ROWS,
      origin: log.origin,
      body: log.tree.entry(3),
      leaf: log.tree.leafHash(3),
      note: log.checkpoint(17),
      proof: Buffer.concat(log.tree.inclusionProof(3, 17)),
      signer: JSON.stringify(githubSigner()),
      t: T0,
    });
}, 120_000);

afterAll(async () => {
  stores.db.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs `exportFn`, forcing a GC and sampling the live heap every 10k records. */
async function peakHeapGrowth(
  exportFn: (onProgress: (records: number) => void) => Promise<{ bytes: number; records: number }>,
) {
  gc();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  const file = await exportFn((records) => {
    if (records % 10_000 !== 0) return;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  });
  return { file, peak };
}

describe('exports of 100k matches', () => {
  it('streams the CSV in bounded memory', async () => {
    const { file, peak } = await peakHeapGrowth((onProgress) =>
      exportCsv(stores, join(dir, 'matches.csv'), { onProgress }),
    );
    expect(file.records).toBe(ROWS);
    expect(file.bytes).toBeGreaterThan(40 * MIB);
    expect(peak).toBeLessThan(16 * MIB);
  }, 120_000);

  it('streams the JSON Lines in bounded memory', async () => {
    const { file, peak } = await peakHeapGrowth((onProgress) =>
      exportJsonl(stores, join(dir, 'export.jsonl'), { onProgress }),
    );
    expect(file.records).toBeGreaterThan(ROWS);
    expect(file.bytes).toBeGreaterThan(150 * MIB);
    expect(peak).toBeLessThan(16 * MIB);
  }, 120_000);
});
