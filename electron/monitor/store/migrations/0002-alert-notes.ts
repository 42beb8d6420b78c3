// Schema 2: a note on log alerts (a match alert's note is kept on its match).
import type { Migration } from './migration';

export const m0002AlertNotes: Migration = {
  version: 2,
  name: 'alert notes',
  up: (db) => db.exec('ALTER TABLE alerts ADD COLUMN note TEXT;'),
};
