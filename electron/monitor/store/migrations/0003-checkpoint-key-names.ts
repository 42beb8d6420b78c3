// Schema 3: the key name each log signs its checkpoints under, as last seen on the log's own
// verified signature line (a Rekor v1 log signs under whatever name its operator configured).
import type { Migration } from './migration';

export const m0003CheckpointKeyNames: Migration = {
  version: 3,
  name: 'checkpoint key names',
  up: (db) => db.exec('ALTER TABLE logs ADD COLUMN checkpoint_key_name TEXT;'),
};
