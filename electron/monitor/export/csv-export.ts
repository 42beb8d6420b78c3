// Matches as a CSV spreadsheet (RFC 4180), one row per match, oldest first.
import { encodeHex } from '../../core/bytes';
import { signerFacts } from '../alerts/signer-facts';
import type { Stores } from '../store/index';
import type { Match } from '../store/types';
import { csvRow } from './csv';
import { matchesOldestFirst } from './pages';
import { writeChunks, type WrittenFile } from './writer';

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
  /** Called after each record with the number written so far. */
  readonly onProgress?: (records: number) => void;
  /** Only these matches, in this order (default: every match). */
  readonly matchIds?: readonly number[];
}

/**
 * Streams the matches to `path` as CSV: a header row, then one row per match (see
 * MATCH_CSV_COLUMNS). Cells starting with = + - @ tab or CR are neutralised with a leading
 * apostrophe: identities come from certificates anyone can log. Writes `path.partial` and
 * renames it when complete. Resolves with the file's size and SHA-256; `records` counts data
 * rows, not the header. Memory stays constant (one page of matches).
 */
export async function exportCsv(
  stores: Stores,
  path: string,
  options: ExportOptions = {},
): Promise<WrittenFile> {
  function* rows(): Generator<string> {
    yield csvRow(MATCH_CSV_COLUMNS);
    for (const match of matchesOldestFirst(stores, options.matchIds))
      yield csvRow(matchCells(match));
  }
  const file = await writeChunks(path, rows(), (n) => {
    if (n > 1) options.onProgress?.(n - 1);
  });
  return { ...file, records: file.records - 1 };
}

function matchCells(m: Match): (string | number | undefined)[] {
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
    encodeHex(m.leafHash),
    m.checkpoint.treeSize,
    m.note,
    iso(m.triagedAtMs),
  ];
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
