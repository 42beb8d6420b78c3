// The monitor's state: open the database, then openStores(db) for one object per table group.
//
//   const db = openDatabase(databasePath(resolveDataDir({ env, platform })));
//   const stores = openStores(db);
//   const commit = stores.scans.commitScanBatch(batch);   // one transaction
//   if (commit.alerts.length > 0) outbox.wake();          // side effects only after commit
//
// Compose several stores atomically with stores.transaction(() => { ... }): every store method
// joins an enclosing transaction (as a savepoint) instead of committing on its own.
import type { Database } from 'better-sqlite3';
import { createActivityStore, type ActivityStore } from './activity-store';
import { createAlertStore, type AlertStore, type DeliveryPolicy } from './alert-store';
import { createAuditStore, type AuditStore } from './audit-store';
import { createChannelStore, type ChannelStore } from './channel-store';
import { createCheckpointStore, type CheckpointStore } from './checkpoint-store';
import { createLogStore, type LogStore } from './log-store';
import { createMatchStore, type MatchStore } from './match-store';
import { createScanStore, type ScanStore } from './scan-store';
import { createSettingsStore, type SettingsStore } from './settings-store';
import { transactional } from './transaction';
import { createWatchStore, type WatchStore } from './watch-store';

export interface Stores {
  readonly db: Database;
  readonly logs: LogStore;
  readonly checkpoints: CheckpointStore;
  readonly scans: ScanStore;
  readonly watches: WatchStore;
  readonly matches: MatchStore;
  readonly alerts: AlertStore;
  readonly channels: ChannelStore;
  readonly settings: SettingsStore;
  readonly audit: AuditStore;
  /** Entries verified and matches found per log and hour (the Overview's chart). */
  readonly activity: ActivityStore;
  /**
   * Runs `fn` as one write transaction (BEGIN IMMEDIATE; a savepoint when nested) and returns
   * its result. `fn` must be synchronous; notify, emit events and send only after this
   * returns. Throws StorageError DB_LOCKED when another process holds the write lock too long.
   */
  transaction<T>(fn: () => T): T;
}

/**
 * Creates every store on a migrated, read-write database (see openDatabase), preparing their
 * statements once. The stores share one audit chain.
 */
export function openStores(db: Database, options: { delivery?: DeliveryPolicy } = {}): Stores {
  const audit = createAuditStore(db);
  const activity = createActivityStore(db);
  const run = transactional(db, (fn: () => unknown) => fn());
  return {
    db,
    logs: createLogStore(db, audit),
    checkpoints: createCheckpointStore(db, audit),
    scans: createScanStore(db, audit, activity),
    watches: createWatchStore(db, audit),
    matches: createMatchStore(db, audit),
    alerts: createAlertStore(db, audit, options.delivery),
    channels: createChannelStore(db, audit),
    settings: createSettingsStore(db, audit),
    audit,
    activity,
    transaction: <T>(fn: () => T) => run(fn) as T,
  };
}

export { openDatabase, type OpenOptions } from './open';
export { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations/index';
export {
  verifyAuditChain,
  hashAuditEvent,
  AuditChainBrokenError,
  GENESIS_HASH,
  type ChainHead,
  type ChainReport,
} from './audit-chain';
export { DEFAULT_DELIVERY_POLICY, matchDedupeKey, type DeliveryPolicy } from './alert-store';
export type { ActivityHour } from './activity-store';
export type {
  ActivityStore,
  AlertStore,
  AuditStore,
  ChannelStore,
  CheckpointStore,
  LogStore,
  MatchStore,
  ScanStore,
  SettingsStore,
  WatchStore,
};
export type * from './types';
export { AUDIT_KINDS } from './types';
