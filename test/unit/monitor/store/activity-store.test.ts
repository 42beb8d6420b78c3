import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../../electron/monitor/store/activity-store';
import { MIGRATIONS, migrate } from '../../../../electron/monitor/store/migrations/index';
import { realV2Match, seededStores, syntheticV2Match, V2_ORIGIN } from './fixtures';

// 2025-10-09T08:53:20Z: a few minutes before the next hour, so batches straddle it.
const AT = 1_760_000_000_000;
const HOUR = AT - (AT % HOUR_MS);

describe('activity aggregate', () => {
  it('counts each committed batch and its new matches in the hour it committed, in the same transaction', () => {
    const s = seededStores();
    s.scans.start(V2_ORIGIN, 412_000, AT);
    s.scans.commitScanBatch({
      origin: V2_ORIGIN,
      fromIndex: 412_000,
      toIndex: 412_110,
      treeSize: 412_115,
      matches: [],
      atMs: AT,
    });
    s.scans.commitScanBatch({
      origin: V2_ORIGIN,
      fromIndex: 412_110,
      toIndex: 412_115,
      treeSize: 412_115,
      matches: [realV2Match(), syntheticV2Match(412_112, { classification: 'expected' })],
      atMs: HOUR + HOUR_MS + 5,
    });
    expect(s.activity.hours(0, AT * 2)).toEqual([
      { hourMs: HOUR, entriesVerified: 110, matches: 0 },
      { hourMs: HOUR + HOUR_MS, entriesVerified: 5, matches: 2 },
    ]);
    // A batch that fails part-way adds nothing: it is rolled back with the matches and cursor.
    const bad = syntheticV2Match(412_113, { leafHash: new Uint8Array(32) });
    expect(() =>
      s.scans.commitScanBatch({
        origin: V2_ORIGIN,
        fromIndex: 412_110,
        toIndex: 412_115,
        treeSize: 412_115,
        matches: [bad],
        atMs: HOUR + HOUR_MS + 6,
      }),
    ).toThrowCode('INVALID_INPUT');
    expect(s.activity.hours(HOUR + HOUR_MS, HOUR + 2 * HOUR_MS)).toEqual([
      { hourMs: HOUR + HOUR_MS, entriesVerified: 5, matches: 2 },
    ]);
  });

  it('counts a re-scanned batch again but not its matches found before', () => {
    const s = seededStores();
    s.scans.start(V2_ORIGIN, 412_110, AT);
    const again = {
      origin: V2_ORIGIN,
      fromIndex: 412_110,
      toIndex: 412_115,
      treeSize: 412_115,
      matches: [realV2Match()],
      atMs: AT,
    };
    s.scans.commitScanBatch(again);
    s.scans.commitScanBatch(again);
    expect(s.activity.hours(HOUR, HOUR + HOUR_MS)).toEqual([
      { hourMs: HOUR, entriesVerified: 10, matches: 1 },
    ]);
  });

  it('answers a range of hours summed over logs, and per log, leaving out what lies outside', () => {
    const s = seededStores();
    s.activity.add('a', HOUR - 1, 7, 0); // the hour before: outside
    s.activity.add('a', HOUR, 100, 1);
    s.activity.add('b', HOUR + 10, 50, 0);
    s.activity.add('b', HOUR + 2 * HOUR_MS, 3, 2);
    s.activity.add('b', HOUR + 3 * HOUR_MS, 9, 9); // at toMs: outside
    s.activity.add('b', HOUR + 4, 0, 0); // nothing: no row
    expect(s.activity.hours(HOUR, HOUR + 3 * HOUR_MS)).toEqual([
      { hourMs: HOUR, entriesVerified: 150, matches: 1 },
      { hourMs: HOUR + 2 * HOUR_MS, entriesVerified: 3, matches: 2 },
    ]);
    expect(s.activity.byLog(HOUR, HOUR + 3 * HOUR_MS)).toEqual([
      { origin: 'a', entriesVerified: 100, matches: 1 },
      { origin: 'b', entriesVerified: 53, matches: 2 },
    ]);
    expect(() => s.activity.add('a', HOUR, -1, 0)).toThrowCode('INVALID_INPUT');
  });
});

describe('migration 0006 activity hourly', () => {
  it('backfills a schema-3 database from its scan.advanced events and its matches', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 3));
    const event = db.prepare(
      `INSERT INTO audit_events (seq, at_ms, kind, origin, detail, prev_hash, hash)
       VALUES (?, ?, ?, 'log.example', ?, zeroblob(32), zeroblob(32))`,
    );
    event.run(1, HOUR + 1, 'scan.advanced', JSON.stringify({ fromIndex: 0, toIndex: 1024 }));
    event.run(2, HOUR + 2, 'scan.advanced', JSON.stringify({ fromIndex: 1024, toIndex: 1500 }));
    event.run(
      3,
      HOUR + HOUR_MS,
      'scan.advanced',
      JSON.stringify({ fromIndex: 1500, toIndex: 1600 }),
    );
    event.run(4, HOUR + HOUR_MS, 'match.found', JSON.stringify({ fromIndex: 0, toIndex: 99 }));
    db.prepare(
      `INSERT INTO logs (origin, api_version, read_url, state, added_at_ms)
       VALUES ('log.example', 2, 'https://log.example', 'active', 5)`,
    ).run();
    const match = db.prepare(
      `INSERT INTO matches (origin, log_index, watch_name, entry_bytes, leaf_hash,
         checkpoint_tree_size, checkpoint_note, inclusion_proof, signer, classification, reason,
         triage, found_at_ms)
       VALUES ('log.example', ?, 'w', x'00', zeroblob(32), 1600, 'n', x'', '{}', 'unexpected',
         'r', 'new', ?)`,
    );
    match.run(5, HOUR + 2 * HOUR_MS + 9);
    match.run(6, HOUR + HOUR_MS + 9);
    migrate(db);
    expect(db.prepare('SELECT * FROM activity_hourly ORDER BY hour_ms').all()).toEqual([
      { origin: 'log.example', hour_ms: HOUR, entries_verified: 1500, matches: 0 },
      { origin: 'log.example', hour_ms: HOUR + HOUR_MS, entries_verified: 100, matches: 1 },
      { origin: 'log.example', hour_ms: HOUR + 2 * HOUR_MS, entries_verified: 0, matches: 1 },
    ]);
  });
});
