// Schema 6: the activity aggregate behind the Overview's chart. One row per log and UTC hour:
// the entries scanned batches proved and matched in that hour, and the matches they recorded.
// commitScanBatch adds to it in the batch's own transaction (scan-store.ts), so the chart reads
// a few hundred rows, never the audit log.
//
// Backfilled here from what schema 1 already keeps, both read through an index or a table
// scan that does not decode entries: the batches from the audit log's 'scan.advanced' events
// (one per committed batch, found through audit_events_by_kind), and the matches from
// matches.found_at_ms.
import type { Migration } from './migration';

export const m0006ActivityHourly: Migration = {
  version: 6,
  name: 'activity hourly',
  up: (db) =>
    db.exec(`
      CREATE TABLE activity_hourly (
        origin TEXT NOT NULL,
        hour_ms INTEGER NOT NULL CHECK (hour_ms >= 0 AND hour_ms % 3600000 = 0),
        entries_verified INTEGER NOT NULL DEFAULT 0 CHECK (entries_verified >= 0),
        matches INTEGER NOT NULL DEFAULT 0 CHECK (matches >= 0),
        PRIMARY KEY (origin, hour_ms)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX activity_hourly_by_hour ON activity_hourly (hour_ms);

      INSERT INTO activity_hourly (origin, hour_ms, entries_verified)
        SELECT origin, at_ms - at_ms % 3600000,
               sum(json_extract(detail, '$.toIndex') - json_extract(detail, '$.fromIndex'))
        FROM audit_events
        WHERE kind = 'scan.advanced' AND origin IS NOT NULL
        GROUP BY origin, at_ms - at_ms % 3600000;

      INSERT INTO activity_hourly (origin, hour_ms, matches)
        SELECT origin, found_at_ms - found_at_ms % 3600000, count(*)
        FROM matches WHERE true
        GROUP BY origin, found_at_ms - found_at_ms % 3600000
        ON CONFLICT (origin, hour_ms) DO UPDATE SET matches = excluded.matches;
    `),
};
