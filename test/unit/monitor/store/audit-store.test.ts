import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditChainBrokenError,
  GENESIS_HASH,
  hashAuditEvent,
  openDatabase,
  openStores,
  verifyAuditChain,
  type AuditKind,
  type Stores,
} from '../../../../electron/monitor/store/index';

const T0 = 1_760_000_000_000;
const ORIGINS = ['log2025-1.rekor.sigstore.dev', 'rekor.sigstore.dev - 1193050959916656506'];
const KINDS: AuditKind[] = ['checkpoint.verified', 'scan.advanced', 'match.found'];

/** n events: kinds and origins rotate, one second apart, detail {i}. */
function appendMany(stores: Stores, n: number): void {
  stores.transaction(() => {
    for (let i = 0; i < n; i++) {
      stores.audit.append({
        kind: KINDS[i % KINDS.length]!,
        atMs: T0 + i * 1000,
        origin: ORIGINS[i % ORIGINS.length]!,
        treeSize: i,
        detail: { i },
      });
    }
  });
}

describe('AuditStore.append', () => {
  it('chains each event to the previous one, starting from zeros', () => {
    const { audit } = openStores(openDatabase(':memory:'));
    const first = audit.append({ kind: 'watch.added', atMs: T0, detail: { name: 'w' } });
    const second = audit.append({ kind: 'error', atMs: T0 + 1, origin: 'o', treeSize: 7 });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toEqual(GENESIS_HASH);
    expect(second.seq).toBe(2);
    expect(second.prevHash).toEqual(first.hash);
    expect(second.hash).toEqual(
      hashAuditEvent({
        seq: 2,
        atMs: T0 + 1,
        kind: 'error',
        origin: 'o',
        treeSize: 7,
        detail: '{}',
        prevHash: first.hash,
      }),
    );
    expect(audit.head()).toEqual({ seq: 2, hash: second.hash });
  });

  it('records an earlier time as the previous event time when the clock steps back', () => {
    const { audit } = openStores(openDatabase(':memory:'));
    audit.append({ kind: 'error', atMs: T0 });
    expect(audit.append({ kind: 'error', atMs: T0 - 5_000 }).atMs).toBe(T0);
  });

  it('rolls back with the enclosing transaction when it fails', () => {
    const stores = openStores(openDatabase(':memory:'));
    stores.audit.append({ kind: 'error', atMs: T0 });
    expect(() =>
      stores.transaction(() => {
        stores.audit.append({ kind: 'error', atMs: T0 + 1 });
        throw new Error('job failed after appending');
      }),
    ).toThrow('job failed after appending');
    expect(stores.audit.head()?.seq).toBe(1);
    expect(verifyAuditChain(stores.db).count).toBe(1);
  });

  it.each([
    { desc: 'an unknown kind', event: { kind: 'made.up' as AuditKind, atMs: T0 } },
    { desc: 'a negative time', event: { kind: 'error' as const, atMs: -1 } },
    { desc: 'a fractional tree size', event: { kind: 'error' as const, atMs: T0, treeSize: 1.5 } },
    {
      desc: 'a lone surrogate in the origin',
      event: { kind: 'error' as const, atMs: T0, origin: 'a\ud800' },
    },
  ])('rejects $desc', ({ event }) => {
    const { audit } = openStores(openDatabase(':memory:'));
    expect(() => audit.append(event)).toThrowCode('INVALID_INPUT');
    expect(audit.head()).toBeUndefined();
  });
});

describe('audit_events triggers', () => {
  it('reject UPDATE and DELETE of any row', () => {
    const stores = openStores(openDatabase(':memory:'));
    appendMany(stores, 3);
    expect(() => stores.db.exec(`UPDATE audit_events SET detail = '{}' WHERE seq = 2`)).toThrow(
      /append-only/,
    );
    expect(() => stores.db.exec('DELETE FROM audit_events WHERE seq = 3')).toThrow(/append-only/);
    expect(() => stores.db.exec('DELETE FROM audit_events')).toThrow(/append-only/);
    expect(verifyAuditChain(stores.db).count).toBe(3);
  });
});

describe('hashAuditEvent', () => {
  const base = {
    seq: 1,
    atMs: T0,
    kind: 'error',
    origin: 'ab' as string | undefined,
    treeSize: 3 as number | undefined,
    detail: '{}',
    prevHash: GENESIS_HASH,
  };
  it.each([
    { desc: 'seq', change: { seq: 2 } },
    { desc: 'time', change: { atMs: T0 + 1 } },
    { desc: 'kind', change: { kind: 'errors' } },
    { desc: 'origin absent vs empty', change: { origin: '' } },
    { desc: 'origin absent', change: { origin: undefined } },
    { desc: 'tree size absent', change: { treeSize: undefined } },
    { desc: 'tree size 0', change: { treeSize: 0 } },
    { desc: 'tree size above 2^32', change: { treeSize: 3 + 2 ** 32 } },
    { desc: 'detail', change: { detail: '{ }' } },
    { desc: 'prev hash', change: { prevHash: new Uint8Array(32).fill(1) } },
    // Field boundaries move but the concatenated text is the same: lengths keep them apart.
    { desc: 'bytes moved from kind to origin', change: { kind: 'erro', origin: 'rab' } },
  ])('changes when $desc changes', ({ change }) => {
    expect(hashAuditEvent({ ...base, ...change })).not.toEqual(hashAuditEvent(base));
  });
});

describe('verifyAuditChain', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A file database with 10 events, and a raw connection without the append-only triggers. */
  function tamperable(): { stores: Stores; raw: Database.Database } {
    const path = join(dir, 'vigil.db');
    const stores = openStores(openDatabase(path));
    appendMany(stores, 10);
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete');
    return { stores, raw };
  }

  it('reports the count and head of an intact chain, with progress', () => {
    const stores = openStores(openDatabase(':memory:'));
    appendMany(stores, 25);
    const progress: number[] = [];
    const report = verifyAuditChain(stores.db, {
      progressEvery: 10,
      onProgress: ({ checked, total }) => {
        expect(total).toBe(25);
        progress.push(checked);
      },
    });
    expect(report).toEqual({ count: 25, head: stores.audit.head() });
    expect(progress).toEqual([10, 20]);
  });

  it('accepts an empty log', () => {
    expect(verifyAuditChain(openDatabase(':memory:'))).toEqual({ count: 0 });
  });

  it('names the tampered row when a detail was edited', () => {
    const { stores, raw } = tamperable();
    raw.prepare(`UPDATE audit_events SET detail = '{"i":99}' WHERE seq = 4`).run();
    const err = catchError(() => verifyAuditChain(stores.db));
    expect(err).toBeInstanceOf(AuditChainBrokenError);
    expect(err).toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', seq: 4 });
  });

  it('names the next row when a tampered row was re-hashed', () => {
    const { stores, raw } = tamperable();
    const row = raw.prepare('SELECT * FROM audit_events WHERE seq = 4').get() as {
      at_ms: number;
      kind: string;
      origin: string;
      tree_size: number;
      prev_hash: Buffer;
    };
    const detail = '{"i":99}';
    const hash = hashAuditEvent({
      seq: 4,
      atMs: row.at_ms,
      kind: row.kind,
      origin: row.origin,
      treeSize: row.tree_size,
      detail,
      prevHash: row.prev_hash,
    });
    raw.prepare('UPDATE audit_events SET detail = ?, hash = ? WHERE seq = 4').run(detail, hash);
    expect(catchError(() => verifyAuditChain(stores.db))).toMatchObject({ seq: 5 });
  });

  it('names the missing seq when a row was deleted', () => {
    const { stores, raw } = tamperable();
    raw.prepare('DELETE FROM audit_events WHERE seq = 6').run();
    const err = catchError(() => verifyAuditChain(stores.db));
    expect(err).toMatchObject({ code: 'AUDIT_CHAIN_BROKEN', seq: 6 });
  });

  it('names the first row when the genesis link was altered', () => {
    const { stores, raw } = tamperable();
    raw
      .prepare('UPDATE audit_events SET prev_hash = ? WHERE seq = 1')
      .run(new Uint8Array(32).fill(1));
    expect(catchError(() => verifyAuditChain(stores.db))).toMatchObject({ seq: 1 });
  });
});

describe('AuditStore.page', () => {
  let stores: Stores;
  beforeEach(() => {
    stores = openStores(openDatabase(':memory:'));
    appendMany(stores, 120);
  });

  it('visits every event once, newest first, following nextBeforeSeq', () => {
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = stores.audit.page({ limit: 50, ...(beforeSeq ? { beforeSeq } : {}) });
      seen.push(...page.events.map((e) => e.seq));
      if (page.nextBeforeSeq === undefined) break;
      beforeSeq = page.nextBeforeSeq;
    }
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
  });

  it('ends without an empty page when the last page is exactly full', () => {
    const page = stores.audit.page({ limit: 20, beforeSeq: 21 });
    expect(page.events).toHaveLength(20);
    expect(page.nextBeforeSeq).toBeUndefined();
  });

  it('maps rows back to the appended events', () => {
    const [event] = stores.audit.page({ limit: 1 }).events;
    expect(event).toMatchObject({
      seq: 120,
      atMs: T0 + 119_000,
      kind: KINDS[119 % 3],
      origin: ORIGINS[1],
      treeSize: 119,
      detail: { i: 119 },
    });
  });

  it.each([
    { desc: 'kind', query: { kind: 'scan.advanced' as const }, want: (i: number) => i % 3 === 1 },
    { desc: 'origin', query: { origin: ORIGINS[0]! }, want: (i: number) => i % 2 === 0 },
    {
      desc: 'kind and origin',
      query: { kind: 'match.found' as const, origin: ORIGINS[1]! },
      want: (i: number) => i % 3 === 2 && i % 2 === 1,
    },
    {
      desc: 'time range (from inclusive, to exclusive)',
      query: { fromMs: T0 + 10_000, toMs: T0 + 20_000 },
      want: (i: number) => i >= 10 && i < 20,
    },
    {
      desc: 'time range and kind',
      query: { fromMs: T0 + 10_000, toMs: T0 + 40_000, kind: 'checkpoint.verified' as const },
      want: (i: number) => i >= 10 && i < 40 && i % 3 === 0,
    },
    {
      desc: 'text in the detail',
      query: { text: '"i":11' },
      want: (i: number) => /^11\d?$/.test(`${i}`),
    },
    {
      desc: 'text in the origin, any case',
      query: { text: 'REKOR.SIGSTORE.DEV - ' },
      want: (i: number) => i % 2 === 1,
    },
    {
      desc: 'text with LIKE wildcards taken literally',
      query: { text: '"i":1_' },
      want: () => false,
    },
  ])('filters by $desc', ({ query, want }) => {
    const seqs = stores.audit.page({ ...query, limit: 500 }).events.map((e) => e.seq);
    const expected = Array.from({ length: 120 }, (_, i) => i)
      .filter(want)
      .map((i) => i + 1)
      .reverse();
    expect(seqs).toEqual(expected);
  });

  it('returns nothing for a time range with no events', () => {
    expect(stores.audit.page({ fromMs: T0 + 500_000 }).events).toEqual([]);
    expect(stores.audit.page({ toMs: T0 }).events).toEqual([]);
  });

  it.each([{ limit: 0 }, { limit: 501 }, { beforeSeq: -1 }, { kind: 'x' as AuditKind }])(
    'rejects the query %o',
    (query) => {
      expect(() => stores.audit.page(query)).toThrowCode('INVALID_INPUT');
    },
  );

  // The benchmark pages 1M events; here the plans show that every page statement seeks an
  // index and never sorts, which keeps a page at a few index steps however large the table.
  it('plans every page statement as an index search without sorting', () => {
    const db = openDatabase(':memory:');
    const sources: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((source: string) => {
      sources.push(source);
      return prepare(source);
    }) as typeof db.prepare;
    openStores(db);
    const pages = sources.filter((sql) => sql.includes('FROM audit_events WHERE seq BETWEEN'));
    expect(pages).toHaveLength(8);
    for (const sql of pages) {
      const params = { kind: 'error', origin: 'o', pattern: '%x%', minSeq: 1, maxSeq: 9, limit: 2 };
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((r) => r.detail)
        .join('\n');
      expect(plan).toMatch(/^SEARCH audit_events USING (INTEGER PRIMARY KEY|INDEX)/);
      expect(plan).not.toMatch(/TEMP B-TREE|^SCAN/m);
    }
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
