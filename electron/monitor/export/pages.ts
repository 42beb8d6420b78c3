// Walks matches and audit events oldest first in keyset pages, so an export holds one page in
// memory however large the database is, and writes each page at once. Pages are separate
// reads, not one open statement: an open better-sqlite3 iterator would keep the connection
// busy, and the monitor must keep writing while an export streams to disk.
import { InputError } from '../../core/errors';
import type { Stores } from '../store/index';
import type { MatchSummary } from '../store/match-store';
import type { AuditEvent, Match } from '../store/types';

/** Rows per store read: the stores' largest page. */
const PAGE = 500;

/**
 * Yields every match with id <= the newest id when iteration starts, by ascending id, in pages
 * of up to PAGE; or, with `matchIds`, those matches in the order given, one per page, each read
 * when it is due (InputError NOT_FOUND for an unknown id). Matches found while it runs are left
 * for the next export.
 */
export function* matchPagesOldestFirst(
  stores: Stores,
  matchIds?: readonly number[],
): Generator<readonly Match[]> {
  if (matchIds !== undefined) {
    yield* chosen(matchIds, (id) => stores.matches.get(id));
    return;
  }
  yield* ascending(newestMatchId(stores), (beforeId) =>
    stores.matches.page({ beforeId, limit: PAGE }).matches.map((m) => [m.id, m] as const),
  );
}

/**
 * As matchPagesOldestFirst, but without the evidence (MatchSummary): what a CSV row needs,
 * read at a fraction of the cost.
 */
export function* matchSummaryPagesOldestFirst(
  stores: Stores,
  matchIds?: readonly number[],
): Generator<readonly MatchSummary[]> {
  if (matchIds !== undefined) {
    yield* chosen(matchIds, (id) => stores.matches.getSummary(id));
    return;
  }
  const newest = newestMatchId(stores);
  for (let afterId = 0; afterId < newest;) {
    const page = stores.matches.summariesAfter(afterId, newest, PAGE);
    if (page.length === 0) return;
    yield page;
    afterId = page.at(-1)!.id;
  }
}

/** Yields every audit event with seq <= the head when iteration starts, by ascending seq. */
export function* auditEventPagesOldestFirst(stores: Stores): Generator<readonly AuditEvent[]> {
  const head = stores.audit.head()?.seq ?? 0;
  yield* ascending(head, (beforeSeq) =>
    stores.audit.page({ beforeSeq, limit: PAGE }).events.map((e) => [e.seq, e] as const),
  );
}

const newestMatchId = (stores: Stores): number =>
  stores.matches.page({ limit: 1 }).matches[0]?.id ?? 0;

/** The matches `matchIds` names, in that order, one per page. */
function* chosen<T>(
  matchIds: readonly number[],
  get: (id: number) => T | undefined,
): Generator<readonly T[]> {
  for (const id of matchIds) {
    const match = get(id);
    if (match === undefined) throw new InputError('NOT_FOUND', `match ${id} not found`);
    yield [match];
  }
}

/**
 * Keys 1..last in ascending order, one page per read, from a newest-first keyset query.
 * `pageBefore(k)` returns up to PAGE rows with key < k, newest first: the window
 * [lo, lo + PAGE) holds at most PAGE keys, so asking below lo + PAGE returns all of them (and
 * maybe older ones, dropped here).
 */
function* ascending<T>(
  last: number,
  pageBefore: (before: number) => readonly (readonly [number, T])[],
): Generator<readonly T[]> {
  for (let lo = 1; lo <= last; lo += PAGE) {
    const rows = pageBefore(Math.min(lo + PAGE, last + 1));
    const page: T[] = [];
    for (let i = rows.length - 1; i >= 0; i--) {
      const [key, row] = rows[i]!;
      if (key >= lo) page.push(row);
    }
    if (page.length > 0) yield page;
  }
}
