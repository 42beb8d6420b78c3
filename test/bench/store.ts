// Child process: a database holding 1M matches (and so 1M audit events, one 'match.found' each),
// seeded through the same commitScanBatch a scan uses, in large batches; then the audit page
// query (with filters, at random depths) and the CSV export of every match.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportCsv } from '../../electron/monitor/export/csv-export';
import { openDatabase, openStores, type Stores } from '../../electron/monitor/store/index';
import type { AuditQuery } from '../../electron/monitor/store/types';
import { atMost, median, report } from './measure';
import { BATCH, BATCH_INTERVAL_MS, ORIGIN, OTHER_ORIGIN, seedStore, START_MS } from './seed-store';

export interface StoreConfig {
  readonly matches: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as StoreConfig;
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
try {
  const stores = openStores(openDatabase(join(dir, 'vigil.db')));
  const seedSeconds = seedStore(stores, { matches: config.matches });
  const events = stores.audit.head()?.seq ?? 0;
  const queries = auditQueries(stores, config.matches);
  report(
    atMost('audit page query (median)', queries.worstMs, 'ms', 20, {
      events,
      perFilterMs: queries.perFilterMs,
      samplesPerFilter: queries.samples,
      seedSeconds: Math.round(seedSeconds),
    }),
  );
  const started = performance.now();
  const file = await exportCsv(stores, join(dir, 'matches.csv'));
  const seconds = (performance.now() - started) / 1000;
  if (file.records !== config.matches) {
    throw new Error(`exported ${file.records} rows, want ${config.matches}`);
  }
  report(
    atMost('CSV export', seconds, 's', 15, {
      rows: file.records,
      what: 'matches (the only CSV export)',
      megabytes: Math.round(file.bytes / 1e6),
    }),
  );
  stores.db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Times stores.audit.page for several filters, each at `samples` random depths (beforeSeq), and
 * returns each filter's median and the worst of them.
 */
function auditQueries(stores: Stores, count: number) {
  const samples = 101;
  const head = stores.audit.head()?.seq ?? 1;
  const batches = Math.ceil(count / BATCH);
  const randomSeq = (i: number) => 1 + ((i * 2654435761) % head);
  const randomMs = (i: number) => START_MS + ((i * 40503) % batches) * BATCH_INTERVAL_MS;
  const filters: Record<string, (i: number) => AuditQuery> = {
    kind: (i) => ({ kind: 'scan.advanced', beforeSeq: randomSeq(i) }),
    'origin+kind': (i) => ({ origin: ORIGIN, kind: 'match.found', beforeSeq: randomSeq(i) }),
    'rare origin': (i) => ({ origin: OTHER_ORIGIN, beforeSeq: randomSeq(i) }),
    'time range': (i) => ({ fromMs: randomMs(i), toMs: randomMs(i) + 10 * BATCH_INTERVAL_MS }),
    'text+time range': (i) => ({
      text: 'release.yml',
      fromMs: randomMs(i),
      toMs: randomMs(i) + BATCH_INTERVAL_MS,
    }),
  };
  const perFilterMs: Record<string, number> = {};
  for (const [name, query] of Object.entries(filters)) {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const q = query(i);
      const started = performance.now();
      stores.audit.page({ ...q, limit: 50 });
      times.push(performance.now() - started);
    }
    perFilterMs[name] = Math.round(median(times) * 1000) / 1000;
  }
  return { perFilterMs, worstMs: Math.max(...Object.values(perFilterMs)), samples };
}
