// Walks matches and audit events oldest first in keyset pages, so an export holds one page in
// memory however large the database is. Pages are separate reads, not one open statement: an
// open better-sqlite3 iterator would keep the connection busy, and the monitor must keep
// writing while an export streams to disk.
import { InputError } from '../../core/errors';
import type { Stores } from '../store/index';
import type { AuditEvent, Match } from '../store/types';

/** Rows per store read: the stores' largest page. */
const PAGE = 500;

/**
 * Yields every match with id <= the newest id when iteration starts, by ascending id; or, with
 * `matchIds`, those matches in the order given (InputError NOT_FOUND for an unknown id).
 * Matches found while it runs are left for the next export.
 */
export function* matchesOldestFirst(
  stores: Stores,
  matchIds?: readonly number[],
): Generator<Match> {
  if (matchIds !== undefined) {
    for (const id of matchIds) {
      const match = stores.matches.get(id);
      if (match === undefined) throw new InputError('NOT_FOUND', `match ${id} not found`);
      yield match;
    }
    return;
  }
  const newest = stores.matches.page({ limit: 1 }).matches[0]?.id ?? 0;
  yield* ascending(newest, (beforeId) =>
    stores.matches.page({ beforeId, limit: PAGE }).matches.map((m) => [m.id, m] as const),
  );
}

/** Yields every audit event with seq <= the head when iteration starts, by ascending seq. */
export function* auditEventsOldestFirst(stores: Stores): Generator<AuditEvent> {
  const head = stores.audit.head()?.seq ?? 0;
  yield* ascending(head, (beforeSeq) =>
    stores.audit.page({ beforeSeq, limit: PAGE }).events.map((e) => [e.seq, e] as const),
  );
}

/**
 * Keys 1..last in ascending order from a newest-first keyset query. `pageBefore(k)` returns
 * up to PAGE rows with key < k, newest first: the window [lo, lo + PAGE) holds at most PAGE
 * keys, so asking below lo + PAGE returns all of them (and maybe older ones, dropped here).
 */
function* ascending<T>(
  last: number,
  pageBefore: (before: number) => readonly (readonly [number, T])[],
): Generator<T> {
  for (let lo = 1; lo <= last; lo += PAGE) {
    const rows = pageBefore(Math.min(lo + PAGE, last + 1));
    for (let i = rows.length - 1; i >= 0; i--) {
      const [key, row] = rows[i]!;
      if (key >= lo) yield row;
    }
  }
}
