import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBase64Strict, decodeHex } from '../../../electron/core/bytes';
import { hashLeaf, verifyInclusion } from '../../../electron/core/tlog/merkle';
import { parseSignedNote } from '../../../electron/core/tlog/note';
import { parseCheckpoint } from '../../../electron/core/tlog/checkpoint';
import { KEY_SIGNER } from './store/fixtures';
import { githubSigner, notPlainJson, openHarness, T0, type Harness } from './service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

/** Two unexpected (alerting), one expected, one untrusted key signing; ids 1..4. */
function seedFour() {
  return h.seed([
    { watchName: 'github:acme/widget', classification: 'unexpected' },
    { watchName: 'github:acme/widget', classification: 'expected' },
    { watchName: 'key:release', classification: 'untrusted', signer: KEY_SIGNER },
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ workflow: '.github/workflows/evil.yml' }),
    },
  ]);
}

describe('MonitorService.status', () => {
  it('reports an empty data dir when nothing was monitored yet', () => {
    expect(h.service.monitoring.status()).toEqual({
      dataDir: h.dir,
      trust: null,
      logs: [],
      watches: 0,
      alerts: { new: 0 },
      paused: false,
    });
  });

  it('reports each log with its verified size, cursor and backlog, and counts new alerts', () => {
    seedFour();
    // The log grew by two entries since the scan.
    h.log.tree.append(new Uint8Array([1]));
    h.log.tree.append(new Uint8Array([2]));
    h.service.stores.checkpoints.add({
      origin: h.log.origin,
      treeSize: 6,
      rootHash: h.log.tree.root(6),
      signedNote: h.log.checkpoint(6),
      verifiedAtMs: T0 + 5,
    });
    h.service.stores.logs.recordError(
      h.log.origin,
      { code: 'LOG_UNREACHABLE', message: 'connection refused' },
      T0 + 6,
    );
    h.service.stores.logs.setPaused(h.log.origin, true);
    h.service.stores.logs.recordKeyName(h.log.origin, h.log.origin, T0 + 5);
    h.service.watchlist.add({ github: 'acme/widget' });

    const status = h.service.monitoring.status();
    expect(status.logs).toEqual([
      {
        origin: h.log.origin,
        apiVersion: 2,
        state: 'active',
        verifiedTreeSize: 6,
        verifiedAtMs: T0 + 5,
        nextIndex: 4,
        backlog: 2,
        lastError: { code: 'LOG_UNREACHABLE', message: 'connection refused' },
        paused: true,
        checkpointKeyName: h.log.origin,
      },
    ]);
    expect(status.alerts).toEqual({ new: 3 });
    expect(status.watches).toBe(1);
    expect(notPlainJson(status)).toBeUndefined();
  });

  it('calls a retired log finished once every verified entry is scanned', () => {
    seedFour();
    h.service.stores.logs.upsert({ ...h.log.record, state: 'retired' }, T0 + 1);
    expect(h.service.monitoring.status().logs[0]).toMatchObject({ state: 'finished', backlog: 0 });
  });

  it('counts only alerts still new after triage', () => {
    const { alerts } = seedFour();
    h.service.alerts.acknowledge(alerts[0]!.id);
    expect(h.service.monitoring.status().alerts.new).toBe(alerts.length - 1);
  });

  it('shows the trust state loadTrust recorded, also to another process on the data dir', async () => {
    await h.service.monitoring.loadTrust();
    const want = { source: 'file', state: 'fresh' };
    expect(h.service.monitoring.status().trust).toEqual(want);
    expect(h.reopen().monitoring.status().trust).toEqual(want);
  });
});

describe('MonitorService.listMatches', () => {
  it('lists matches newest first as plain JSON views', () => {
    const { matches } = seedFour();
    const page = h.service.matches.list();
    expect(page.matches.map((m) => m.id)).toEqual(matches.map((m) => m.id).reverse());
    expect(page.nextBeforeId).toBeUndefined();
    expect(notPlainJson(page)).toBeUndefined();
    const first = page.matches.at(-1)!;
    expect(first).toEqual({
      id: matches[0]!.id,
      origin: h.log.origin,
      logIndex: 0,
      watch: 'github:acme/widget',
      classification: 'unexpected',
      reason: 'unexpected for the test',
      triage: 'new',
      foundAtMs: T0,
      identity: {
        type: 'x509',
        sans: [
          {
            type: 'uri',
            value: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
          },
        ],
        issuer: 'https://token.actions.githubusercontent.com',
        repository: 'https://github.com/acme/widget',
        workflow: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.0.0',
        ref: 'refs/tags/v1.0.0',
        trigger: 'push',
        certSha256Hex: '00'.repeat(32),
        spkiSha256Hex: '11'.repeat(32),
        chain: 'trusted',
      },
      leafHashHex: Buffer.from(h.log.tree.leafHash(0)).toString('hex'),
    });
  });

  it('shows a key signer by its fingerprint', () => {
    seedFour();
    const key = h.service.matches.list({ watch: 'key:release' }).matches[0]!;
    expect(key.identity).toEqual({
      type: 'publicKey',
      sans: [],
      spkiSha256Hex: KEY_SIGNER.spkiSha256Hex,
      chain: 'n/a',
      keyFormat: 'spki',
    });
  });

  it.each([
    { desc: 'watch', query: { watch: 'github:acme/widget' }, want: [4, 2, 1] },
    { desc: 'classification', query: { classification: 'unexpected' as const }, want: [4, 1] },
    { desc: 'triage', query: { triage: 'new' as const }, want: [4, 3, 2, 1] },
    { desc: 'origin', query: { origin: 'elsewhere.example' }, want: [] },
    { desc: 'beforeId', query: { beforeId: 3 }, want: [2, 1] },
  ])('filters by $desc', ({ query, want }) => {
    seedFour();
    expect(h.service.matches.list(query).matches.map((m) => m.id)).toEqual(want);
  });

  it('pages with nextBeforeId until the last page', () => {
    seedFour();
    const one = h.service.matches.list({ limit: 3 });
    expect(one.matches.map((m) => m.id)).toEqual([4, 3, 2]);
    const two = h.service.matches.list({ limit: 3, beforeId: one.nextBeforeId! });
    expect(two).toEqual({ matches: [expect.objectContaining({ id: 1 })] });
  });

  it.each([
    { desc: 'a non-object query', query: 'all' },
    { desc: 'an unknown key', query: { watchName: 'x' } },
    { desc: 'a limit of 0', query: { limit: 0 } },
    { desc: 'a limit over 500', query: { limit: 501 } },
    { desc: 'a fractional beforeId', query: { beforeId: 1.5 } },
    { desc: 'a beforeId given as text', query: { beforeId: '3' } },
    { desc: 'an unknown classification', query: { classification: 'bad' } },
    { desc: 'an empty origin', query: { origin: '' } },
    { desc: 'a lone surrogate', query: { watch: '\ud800' } },
  ])('rejects $desc with INVALID_INPUT', ({ query }) => {
    expect(() => h.service.matches.list(query as never)).toThrowCode('INVALID_INPUT');
  });
});

describe('MonitorService.getMatch', () => {
  it('returns evidence whose inclusion proof leads to the signed checkpoint', () => {
    const { matches } = seedFour();
    const detail = h.service.matches.get(matches[2]!.id);
    expect(notPlainJson(detail)).toBeUndefined();

    const entry = decodeBase64Strict(detail.evidence.entryBase64)!;
    expect(Buffer.from(hashLeaf(entry)).toString('hex')).toBe(detail.leafHashHex);
    const checkpoint = parseCheckpoint(parseSignedNote(detail.evidence.checkpointNote).text);
    expect(checkpoint.treeSize).toBe(detail.evidence.checkpointTreeSize);
    const proof = detail.evidence.inclusionProofHex.map((x) => decodeHex(x)!);
    expect(() =>
      verifyInclusion(
        hashLeaf(entry),
        detail.logIndex,
        checkpoint.treeSize,
        proof,
        checkpoint.rootHash,
      ),
    ).not.toThrow();
    expect(detail.signer).toEqual({
      type: 'publicKey',
      location: KEY_SIGNER.location,
      keyFormat: 'spki',
      spkiSha256Hex: KEY_SIGNER.spkiSha256Hex,
      chain: 'n/a',
    });
  });

  it('includes every Fulcio extension of a certificate signer', () => {
    const { matches } = seedFour();
    const signer = h.service.matches.get(matches[0]!.id).signer;
    expect(signer.type === 'x509' && signer.extensions['1.3.6.1.4.1.57264.1.20']).toEqual({
      name: 'Build Trigger',
      value: 'push',
    });
  });

  it('throws NOT_FOUND for an unknown id', () => {
    expect(() => h.service.matches.get(99)).toThrowCode('NOT_FOUND');
  });

  it.each([0, -1, 1.5, '1', null])('rejects id %j with INVALID_INPUT', (id) => {
    expect(() => h.service.matches.get(id as never)).toThrowCode('INVALID_INPUT');
  });
});

describe('MonitorService.auditPage', () => {
  it('pages the audit timeline with hashes as hex', () => {
    seedFour();
    const page = h.service.audit.page({ kind: 'match.found', limit: 2 });
    expect(page.events.map((e) => e.kind)).toEqual(['match.found', 'match.found']);
    expect(page.nextBeforeSeq).toBe(page.events[1]!.seq);
    expect(page.events[0]!.hashHex).toMatch(/^[0-9a-f]{64}$/);
    expect(page.events[0]!.prevHashHex).toMatch(/^[0-9a-f]{64}$/);
    expect(notPlainJson(page)).toBeUndefined();
  });

  it.each([
    { desc: 'an unknown kind', query: { kind: 'match.deleted' } },
    { desc: 'a negative time', query: { fromMs: -1 } },
    { desc: 'search text over 200 characters', query: { text: 'x'.repeat(201) } },
    { desc: 'an unknown key', query: { seq: 1 } },
  ])('rejects $desc with INVALID_INPUT', ({ query }) => {
    expect(() => h.service.audit.page(query as never)).toThrowCode('INVALID_INPUT');
  });
});

describe('MonitorService.verifyAudit', () => {
  it('reports an intact chain with its head', () => {
    seedFour();
    const head = h.service.stores.audit.head()!;
    expect(h.service.audit.verify()).toEqual({
      intact: true,
      events: head.seq,
      head: { seq: head.seq, hashHex: Buffer.from(head.hash).toString('hex') },
    });
  });

  it('names the first broken seq when a row was altered', () => {
    seedFour();
    const raw = new Database(join(h.dir, 'vigil.db'));
    raw.exec(
      'DROP TRIGGER audit_events_no_update; UPDATE audit_events SET at_ms = 1 WHERE seq = 2',
    );
    raw.close();
    expect(h.service.audit.verify()).toMatchObject({ intact: false, brokenAtSeq: 2 });
  });
});
