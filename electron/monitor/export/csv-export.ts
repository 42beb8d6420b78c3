// Matches as a CSV spreadsheet (RFC 4180), one row per match, oldest first.
import { signerFacts } from '../alerts/signer-facts';
import type { Stores } from '../store/index';
import type { MatchSummary } from '../store/match-store';
import { csvRow } from './csv';
import { matchSummaryPagesOldestFirst } from './pages';
import { writeChunks, type Chunk, type WrittenFile } from './writer';

/** The columns, in order. Times are ISO 8601 UTC; hashes lowercase hex. */
export const MATCH_CSV_COLUMNS = [
  'id',
  'found_at',
  'origin',
  'log_index',
  'shard_index',
  'watch',
  'classification',
  'triage',
  'identity',
  'issuer',
  'repository',
  'workflow',
  'ref',
  'trigger',
  'reason',
  'integrated_time',
  'leaf_hash',
  'checkpoint_tree_size',
  'note',
  'triaged_at',
] as const;

export interface ExportOptions {
  /** Called for each record, once written, with the number written so far. */
  readonly onProgress?: (records: number) => void;
  /** Only these matches, in this order (default: every match). */
  readonly matchIds?: readonly number[];
}

/**
 * Streams the matches to `path` as CSV: a header row, then one row per match (see
 * MATCH_CSV_COLUMNS). Cells starting with = + - @ tab or CR are neutralised with a leading
 * apostrophe: identities come from certificates anyone can log. Writes `path.partial` and
 * renames it when complete. Resolves with the file's size and SHA-256; `records` counts data
 * rows, not the header. Memory stays constant: matches are read a page at a time without their
 * evidence, and each page is written as one chunk.
 */
export async function exportCsv(
  stores: Stores,
  path: string,
  options: ExportOptions = {},
): Promise<WrittenFile> {
  function* rows(): Generator<Chunk> {
    yield csvRow(MATCH_CSV_COLUMNS);
    for (const page of matchSummaryPagesOldestFirst(stores, options.matchIds)) {
      yield page.map((match) => csvRow(matchCells(match)));
    }
  }
  const file = await writeChunks(path, rows(), (n) => {
    if (n > 1) options.onProgress?.(n - 1);
  });
  return { ...file, records: file.records - 1 };
}

function matchCells(m: MatchSummary): (string | number | undefined)[] {
  const facts = signerFacts(m.signer);
  return [
    m.id,
    iso(m.foundAtMs),
    m.origin,
    m.logIndex,
    m.shardIndex,
    m.watchName,
    m.classification,
    m.triage,
    facts.identity,
    facts.issuer,
    facts.repository,
    facts.workflow,
    facts.ref,
    facts.trigger,
    m.reason,
    iso(m.integratedTimeMs),
    m.leafHashHex,
    m.checkpoint.treeSize,
    m.note,
    iso(m.triagedAtMs),
  ];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
