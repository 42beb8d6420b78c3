import { describe, expect, it } from 'vitest';
import type { AuditEventView, JsonValue } from '../../../shared/domain';
import { describeEvent } from '../../../renderer/src/lib/audit/sentences';
import { AuditState } from '../../../renderer/src/lib/state/audit.svelte';
import { ok } from '../../../shared/result';
import { fakeApi } from './fake-api';

const event = (
  kind: string,
  detail: JsonValue,
  over: Partial<AuditEventView> = {},
): AuditEventView => ({
  seq: 7,
  atMs: 0,
  kind,
  origin: 'rekor.sigstore.dev - 1193050959916656506',
  detail,
  prevHashHex: '00',
  hashHex: '11',
  ...over,
});

describe('describeEvent', () => {
  it.each([
    [
      event(
        'checkpoint.verified',
        { previousTreeSize: 1_633_500_000, unchanged: false },
        { treeSize: 1_633_569_325 },
      ),
      'Checkpoint 1,633,569,325 of rekor.sigstore.dev verified, consistent with 1,633,500,000',
      'ok',
    ],
    [
      event('checkpoint.verified', { previousTreeSize: null }, { treeSize: 5 }),
      'Checkpoint 5 of rekor.sigstore.dev verified, the first from this log',
      'ok',
    ],
    [
      event('scan.advanced', { fromIndex: 100, toIndex: 1100, newMatches: 2 }),
      'Scanned 1,000 entries of rekor.sigstore.dev (100–1,100), 2 new matches',
      'neutral',
    ],
    [
      event('match.found', {
        logIndex: 812345678,
        watch: 'github:acme/widget',
        classification: 'unexpected',
      }),
      'Entry 812,345,678 of rekor.sigstore.dev matched github:acme/widget (unexpected)',
      'high',
    ],
    [
      event('consistency.failed', {}, { treeSize: 12 }),
      'rekor.sigstore.dev served checkpoint 12 that is not consistent with what it showed before',
      'critical',
    ],
    [
      event('delivery.failed', { alertId: 3, channel: 'ops', error: 'HTTP 500', final: false }),
      'Sending alert 3 through ops failed, will retry: HTTP 500',
      'high',
    ],
    [
      event('watch.changed', { name: 'github:acme/widget' }),
      'Watch github:acme/widget changed',
      'neutral',
    ],
    [event('something.new', 'x'), 'something.new recorded', 'neutral'],
  ])('reads %j as a sentence', (e, sentence, tone) => {
    const look = describeEvent(e);
    expect(look.sentence).toBe(sentence);
    expect(look.tone).toBe(tone);
  });

  it('reads details of the wrong shape without failing', () => {
    expect(describeEvent(event('scan.advanced', [1, 2])).sentence).toBe(
      'Scanned entries of rekor.sigstore.dev, nothing matched',
    );
  });
});

describe('AuditState date and log filters', () => {
  it('passes the date range and the log to the engine', async () => {
    const api = fakeApi({ 'audit:page': () => ok({ events: [] }) });
    const state = new AuditState(api);
    await state.refresh({ origin: 'log.example', fromMs: 10, toMs: 20 });
    expect(api.calls[0]?.args[0]).toEqual({
      limit: 50,
      origin: 'log.example',
      fromMs: 10,
      toMs: 20,
    });
  });
});
