// Child process: a database holding 1M matches (and so 1M audit events, one 'match.found' each),
// seeded through the same commitScanBatch a scan uses, in large batches; then the audit page
// query (with filters, at random depths) and the CSV export of every match.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEntryBody } from '../../electron/core/entries/parse-entry-body';
import { identify } from '../../electron/core/identity/identify';
import { sha256 } from '../../electron/core/hash';
import { exportCsv } from '../../electron/monitor/export/csv-export';
import { openDatabase, openStores, type Stores } from '../../electron/monitor/store/index';
import type { AuditQuery, NewMatch } from '../../electron/monitor/store/types';
import { createTestCa, entryBodyFor } from '../../electron/demo/cert-factory';
import { atMost, median, report } from './measure';

export interface StoreConfig {
  readonly matches: number;
}

const ORIGIN = 'log2025-1.bench.test';
const OTHER_ORIGIN = 'rekor.bench.test - 1193050959916656506';
const BATCH = 10_000;
const START_MS = Date.UTC(2025, 0, 1);
/** Batches are committed a minute apart on the audit timeline. */
const BATCH_INTERVAL_MS = 60_000;

const config = JSON.parse(process.argv[2] ?? '{}') as StoreConfig;
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-store-'));
try {
  const stores = openStores(openDatabase(join(dir, 'vigil.db')));
  const seedSeconds = seed(stores, config.matches);
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
 * Commits `count` matches (every entry of a log of that size matched one watch, in batches of
 * BATCH) and returns the seconds it took. The matched entry is a real hashedrekord with a
 * Fulcio-style certificate, identified as a scan would.
 */
function seed(stores: Stores, count: number): number {
  const ca = createTestCa();
  const leaf = ca.issueLeaf({
    sans: [
      {
        type: 'uri',
        value: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
      },
    ],
    extensions: {
      '1.3.6.1.4.1.57264.1.8': 'https://token.actions.githubusercontent.com',
      '1.3.6.1.4.1.57264.1.12': 'https://github.com/acme/widget',
      '1.3.6.1.4.1.57264.1.14': 'refs/tags/v1.0.0',
      '1.3.6.1.4.1.57264.1.20': 'push',
    },
  });
  const entryBytes = entryBodyFor(leaf, 'hashedrekord@0.0.2');
  const signer = identify(parseEntryBody(entryBytes).signers[0]!, {
    certificateAuthorities: [ca.toCertificateAuthority()],
  });
  const leafHash = sha256(Uint8Array.of(0), entryBytes);
  const rootHash = sha256(Uint8Array.of(1));
  const note = `${ORIGIN}\n${count}\n${Buffer.from(rootHash).toString('base64')}\n\n— ${ORIGIN} AAAA\n`;
  const proof = Array.from({ length: 20 }, (_, i) => sha256(Uint8Array.of(i)));

  const started = performance.now();
  for (const origin of [ORIGIN, OTHER_ORIGIN]) {
    stores.logs.upsert(
      { origin, apiVersion: 2, readUrl: `https://${origin}`, state: 'active' },
      START_MS,
    );
  }
  stores.checkpoints.add({
    origin: ORIGIN,
    treeSize: count,
    rootHash,
    signedNote: note,
    verifiedAtMs: START_MS,
  });
  stores.scans.start(ORIGIN, 0, START_MS);
  for (let from = 0, batch = 0; from < count; from += BATCH, batch++) {
    const to = Math.min(from + BATCH, count);
    const matches: NewMatch[] = [];
    for (let index = from; index < to; index++) {
      matches.push({
        logIndex: index,
        watchName: 'github:acme/widget',
        entryBytes,
        leafHash,
        checkpoint: { treeSize: count, signedNote: note },
        inclusionProof: proof,
        signer,
        classification: 'expected',
        reason: 'workflow .github/workflows/release.yml, ref refs/tags/v1.0.0 as expected',
      });
    }
    stores.scans.commitScanBatch({
      origin: ORIGIN,
      fromIndex: from,
      toIndex: to,
      treeSize: count,
      matches,
      atMs: START_MS + batch * BATCH_INTERVAL_MS,
    });
    // Another log's events in between, so the origin filter has something to skip.
    stores.audit.append({
      kind: 'error',
      atMs: START_MS + batch * BATCH_INTERVAL_MS,
      origin: OTHER_ORIGIN,
      detail: { code: 'LOG_TIMEOUT' },
    });
  }
  return (performance.now() - started) / 1000;
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
