// The small stores: logs, watches, channels, settings.
import { describe, expect, it } from 'vitest';
import type { Watch } from '../../../../electron/core/watch/types';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { V1_LOG, V2_LOG } from './fixtures';

const AT = 1_760_000_000_000;
const fresh = (): Stores => openStores(openDatabase(':memory:'));
const kinds = (s: Stores) =>
  s.audit
    .page({ limit: 500 })
    .events.map((e) => e.kind)
    .reverse();

describe('LogStore', () => {
  it('adds, updates and leaves unchanged logs, auditing only changes', () => {
    const s = fresh();
    expect(s.logs.upsert(V1_LOG, AT)).toBe('added');
    expect(s.logs.upsert(V1_LOG, AT + 1)).toBe('unchanged');
    expect(s.logs.upsert({ ...V1_LOG, state: 'retired' }, AT + 2)).toBe('changed');
    expect(s.logs.get(V1_LOG.origin)).toEqual({
      ...V1_LOG,
      state: 'retired',
      paused: false,
      addedAtMs: AT,
    });
    expect(kinds(s)).toEqual(['log.added', 'log.changed']);
  });

  it('refuses to change the shard fields of a known origin', () => {
    const s = fresh();
    s.logs.upsert(V1_LOG, AT);
    expect(() => s.logs.upsert({ ...V1_LOG, indexOffset: 0 }, AT)).toThrowCode('CONFIG_INVALID');
  });

  it.each([
    { desc: 'a v1 log without a tree ID', log: { ...V1_LOG, treeId: undefined } },
    { desc: 'a v1 tree ID that is not canonical decimal', log: { ...V1_LOG, treeId: '0x10' } },
    { desc: 'a v2 log with an index offset', log: { ...V2_LOG, indexOffset: 0 } },
    { desc: 'an empty origin', log: { ...V2_LOG, origin: '' } },
  ])('rejects $desc', ({ log }) => {
    expect(() => fresh().logs.upsert(log, AT)).toThrowCode('INVALID_INPUT');
  });

  it('lists by state and records and clears the last error', () => {
    const s = fresh();
    s.logs.upsert(V2_LOG, AT);
    s.logs.upsert({ ...V1_LOG, state: 'retired' }, AT);
    expect(s.logs.list('active').map((l) => l.origin)).toEqual([V2_LOG.origin]);
    expect(s.logs.list()).toHaveLength(2);
    s.logs.recordError(V2_LOG.origin, { code: 'LOG_TIMEOUT', message: 'no answer in 30 s' }, AT);
    s.logs.setPaused(V2_LOG.origin, true);
    expect(s.logs.get(V2_LOG.origin)).toMatchObject({
      paused: true,
      lastError: { code: 'LOG_TIMEOUT', message: 'no answer in 30 s' },
      lastErrorAtMs: AT,
    });
    s.logs.recordError(V2_LOG.origin, null, AT + 1);
    expect(s.logs.get(V2_LOG.origin)?.lastError).toBeUndefined();
    expect(() => s.logs.setPaused('nope', true)).toThrowCode('NOT_FOUND');
  });

  it('records the checkpoint key name seen, auditing a change of name only', () => {
    const s = fresh();
    s.logs.upsert(V1_LOG, AT);
    expect(s.logs.get(V1_LOG.origin)?.checkpointKeyName).toBeUndefined();
    s.logs.recordKeyName(V1_LOG.origin, 'rekor.example', AT + 1);
    s.logs.recordKeyName(V1_LOG.origin, 'rekor.example', AT + 2);
    expect(s.logs.get(V1_LOG.origin)?.checkpointKeyName).toBe('rekor.example');
    const changes = () => s.audit.page({}).events.filter((e) => e.kind === 'log.changed');
    expect(changes()).toEqual([]);
    s.logs.recordKeyName(V1_LOG.origin, 'localhost:8000', AT + 3);
    expect(s.logs.get(V1_LOG.origin)?.checkpointKeyName).toBe('localhost:8000');
    expect(changes().map((e) => e.detail)).toEqual([
      { keyName: 'localhost:8000', previousKeyName: 'rekor.example' },
    ]);
    expect(() => s.logs.recordKeyName('nope', 'x', AT)).toThrowCode('NOT_FOUND');
    expect(() => s.logs.recordKeyName(V1_LOG.origin, '', AT)).toThrowCode('INVALID_INPUT');
  });
});

describe('WatchStore', () => {
  const watch: Watch = {
    name: 'github:acme/widget',
    rule: { kind: 'github', repository: 'acme/widget' },
    expect: { workflows: [{ syntax: 'exact', source: '.github/workflows/release.yml' }] },
    enabled: true,
  };

  it('adds, updates and removes watches, auditing each', () => {
    const s = fresh();
    expect(s.watches.add(watch, AT)).toEqual({ ...watch, createdAtMs: AT });
    const changed = { ...watch, enabled: false, origins: ['log2025-1.rekor.sigstore.dev'] };
    expect(s.watches.update(changed, AT + 1)).toEqual({ ...changed, createdAtMs: AT });
    expect(s.watches.list()).toEqual([{ ...changed, createdAtMs: AT }]);
    s.watches.remove(watch.name, AT + 2);
    expect(s.watches.get(watch.name)).toBeUndefined();
    expect(kinds(s)).toEqual(['watch.added', 'watch.changed', 'watch.removed']);
  });

  it('refuses a duplicate name and unknown names', () => {
    const s = fresh();
    s.watches.add(watch, AT);
    expect(() => s.watches.add(watch, AT)).toThrowCode('INVALID_INPUT');
    expect(() => s.watches.update({ ...watch, name: 'other' }, AT)).toThrowCode('NOT_FOUND');
    expect(() => s.watches.remove('other', AT)).toThrowCode('NOT_FOUND');
  });
});

describe('ChannelStore', () => {
  it('configures, disables by hand and removes channels', () => {
    const s = fresh();
    s.channels.upsert(
      { name: 'ops', kind: 'webhook', config: { url: 'https://x' }, enabled: true },
      AT,
    );
    expect(s.channels.setEnabled('ops', false, AT)).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by user',
    });
    s.channels.remove('ops', AT);
    expect(s.channels.list()).toEqual([]);
    expect(kinds(s)).toEqual(['channel.configured', 'channel.disabled', 'channel.removed']);
    // The config may carry URLs; the audit log records only name, kind and enabled.
    expect(JSON.stringify(s.audit.page().events)).not.toContain('https://x');
  });

  it('rejects an unknown kind and unknown names', () => {
    const s = fresh();
    expect(() =>
      s.channels.upsert({ name: 'x', kind: 'pager' as 'slack', config: {}, enabled: true }, AT),
    ).toThrowCode('INVALID_INPUT');
    expect(() => s.channels.setEnabled('x', true, AT)).toThrowCode('NOT_FOUND');
    expect(() => s.channels.remove('x', AT)).toThrowCode('NOT_FOUND');
  });
});

describe('SettingsStore', () => {
  it('stores JSON values and audits real changes with old and new values', () => {
    const s = fresh();
    expect(s.settings.get('checkIntervalMs')).toBeUndefined();
    expect(s.settings.set('checkIntervalMs', 60_000, AT)).toBe(true);
    expect(s.settings.set('checkIntervalMs', 60_000, AT)).toBe(false);
    expect(s.settings.set('checkIntervalMs', 30_000, AT)).toBe(true);
    s.settings.set('theme', { dark: true }, AT);
    expect(s.settings.all()).toEqual({ checkIntervalMs: 30_000, theme: { dark: true } });
    expect(
      s.audit
        .page({ kind: 'setting.changed' })
        .events.map((e) => e.detail)
        .reverse(),
    ).toEqual([
      { key: 'checkIntervalMs', from: null, to: 60_000 },
      { key: 'checkIntervalMs', from: 60_000, to: 30_000 },
      { key: 'theme', from: null, to: { dark: true } },
    ]);
  });

  it('rejects a value that is not JSON', () => {
    expect(() => fresh().settings.set('k', undefined as unknown as null, AT)).toThrowCode(
      'INVALID_INPUT',
    );
  });
});
