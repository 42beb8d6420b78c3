// Schema 1: every table the monitor needs. Shipped migrations are never edited; change the
// schema with a new numbered file.
import type { Migration } from './migration';

export const m0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up: (db) =>
    db.exec(`
      CREATE TABLE logs (
        origin TEXT PRIMARY KEY,
        api_version INTEGER NOT NULL CHECK (api_version IN (1, 2)),
        read_url TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'retired')),
        tree_id TEXT,
        index_offset INTEGER CHECK (index_offset >= 0),
        paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        last_error TEXT CHECK (json_valid(last_error)),
        last_error_at_ms INTEGER,
        added_at_ms INTEGER NOT NULL,
        -- A Rekor v1 shard always has a tree ID and an offset; a v2 log never does.
        CHECK (CASE api_version
                 WHEN 1 THEN tree_id IS NOT NULL AND index_offset IS NOT NULL
                 ELSE tree_id IS NULL AND index_offset IS NULL END)
      ) STRICT;

      -- Every accepted checkpoint with its signed note: the evidence. Append-only, and the
      -- latest per origin never moves backwards (sideways is refused by the store).
      CREATE TABLE checkpoints (
        origin TEXT NOT NULL REFERENCES logs (origin),
        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
        root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
        signed_note TEXT NOT NULL,
        verified_at_ms INTEGER NOT NULL,
        PRIMARY KEY (origin, tree_size)
      ) STRICT;
      CREATE TRIGGER checkpoints_never_regress BEFORE INSERT ON checkpoints
        WHEN NEW.tree_size < (SELECT max(tree_size) FROM checkpoints WHERE origin = NEW.origin)
        BEGIN SELECT RAISE(ABORT, 'checkpoint tree size regressed'); END;
      CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
      CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

      CREATE TABLE scan_cursors (
        origin TEXT PRIMARY KEY REFERENCES logs (origin),
        next_index INTEGER NOT NULL CHECK (next_index >= 0),
        tree_size INTEGER NOT NULL CHECK (tree_size >= next_index),
        updated_at_ms INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE watches (
        name TEXT PRIMARY KEY,
        rule TEXT NOT NULL CHECK (json_valid(rule)),
        expect TEXT CHECK (json_valid(expect)),
        origins TEXT CHECK (json_valid(origins)),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at_ms INTEGER NOT NULL
      ) STRICT;

      -- No foreign key to watches: removing a watch keeps its matches (they are evidence).
      CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL REFERENCES logs (origin),
        log_index INTEGER NOT NULL CHECK (log_index >= 0),
        shard_index INTEGER CHECK (shard_index >= 0),
        watch_name TEXT NOT NULL,
        entry_bytes BLOB NOT NULL,
        leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
        integrated_time_ms INTEGER,
        checkpoint_tree_size INTEGER NOT NULL CHECK (checkpoint_tree_size > 0),
        checkpoint_note TEXT NOT NULL,
        inclusion_proof BLOB NOT NULL CHECK (length(inclusion_proof) % 32 = 0),
        signer TEXT NOT NULL CHECK (json_valid(signer)),
        classification TEXT NOT NULL
          CHECK (classification IN ('expected', 'unexpected', 'untrusted')),
        reason TEXT NOT NULL,
        triage TEXT NOT NULL CHECK (triage IN ('new', 'acknowledged', 'expected')),
        note TEXT,
        found_at_ms INTEGER NOT NULL,
        triaged_at_ms INTEGER,
        UNIQUE (origin, log_index, watch_name)
      ) STRICT;
      CREATE INDEX matches_by_triage ON matches (triage, id);
      CREATE INDEX matches_by_watch ON matches (watch_name, id);

      -- origin has no foreign key: a verification failure may concern a log we do not follow.
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
          CHECK (kind IN ('match', 'log-inconsistent', 'log-stale', 'verification-failed')),
        origin TEXT,
        match_id INTEGER REFERENCES matches (id),
        summary TEXT NOT NULL,
        evidence TEXT CHECK (json_valid(evidence)),
        state TEXT NOT NULL CHECK (state IN ('new', 'acknowledged', 'expected')),
        raised_at_ms INTEGER NOT NULL,
        CHECK ((kind = 'match') = (match_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX alerts_by_state ON alerts (state, id);
      CREATE INDEX alerts_by_match ON alerts (match_id) WHERE match_id IS NOT NULL;

      -- kind is checked by the store, not here: a new channel kind must not need a table rebuild.
      CREATE TABLE channels (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        config TEXT NOT NULL CHECK (json_valid(config)),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        disabled_reason TEXT
      ) STRICT;

      -- The outbox: one row per (alert, channel), delivered at least once with backoff.
      CREATE TABLE alert_deliveries (
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        channel TEXT NOT NULL REFERENCES channels (name) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at_ms INTEGER NOT NULL,
        last_error TEXT,
        sent_at_ms INTEGER,
        PRIMARY KEY (alert_id, channel)
      ) STRICT;
      CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at_ms)
        WHERE state = 'pending';

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at_ms INTEGER NOT NULL
      ) STRICT;

      -- Append-only and hash-chained (see audit-chain.ts). seq is assigned by the store, never
      -- by AUTOINCREMENT, because the hash covers it.
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY CHECK (seq > 0),
        at_ms INTEGER NOT NULL CHECK (at_ms >= 0),
        kind TEXT NOT NULL,
        origin TEXT,
        tree_size INTEGER CHECK (tree_size >= 0),
        detail TEXT NOT NULL CHECK (json_valid(detail)),
        prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
        hash BLOB NOT NULL CHECK (length(hash) = 32)
      ) STRICT;
      -- Keyset pages seek one of these (by the filters given) and walk seq downwards; at_ms
      -- never decreases along seq, so a time range becomes a seq range through the at_ms index.
      CREATE INDEX audit_events_by_kind ON audit_events (kind, seq);
      CREATE INDEX audit_events_by_origin ON audit_events (origin, seq);
      CREATE INDEX audit_events_by_origin_kind ON audit_events (origin, kind, seq);
      CREATE INDEX audit_events_by_time ON audit_events (at_ms, seq);
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
    `),
};
