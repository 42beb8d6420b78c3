// Triage against the real stores; "mark expected" is cross-checked with the real matcher: the
// same signing must classify as expected under the updated watch.
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileWatchlist, matchEntry } from '../../../../electron/core/watch/match';
import type { Watch } from '../../../../electron/core/watch/types';
import {
  acknowledgeAlert,
  expectationFor,
  markAlertExpected,
  noteAlert,
} from '../../../../electron/monitor/alerts/triage';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import type { Match } from '../../../../electron/monitor/store/types';
import {
  T0,
  githubSigner,
  seedMatches,
  syntheticLog,
  type SyntheticLog,
} from '../export/synthetic-log';

const WATCH: Watch = {
  name: 'github:acme/widget',
  rule: { kind: 'github', repository: 'acme/widget' },
  enabled: true,
};

let db: Database;
let stores: Stores;
let log: SyntheticLog;

beforeEach(() => {
  db = openDatabase(':memory:');
  stores = openStores(db);
  log = syntheticLog(2);
});
afterEach(() => db.close());

function raise(watch: Watch, signer = githubSigner()) {
  stores.watches.add(watch, T0);
  const classification = matchEntry([signer], compileWatchlist([watch]))[0]!.classification;
  const commit = seedMatches(stores, log, [{ watchName: watch.name, classification, signer }]);
  return { alert: commit.alerts[0]!, match: commit.matches[0]!, signer };
}

const classify = (signer: ReturnType<typeof githubSigner>) =>
  matchEntry([signer], compileWatchlist([stores.watches.get(WATCH.name)!]))[0]!.classification;

describe('acknowledgeAlert', () => {
  it('acknowledges the alert and its match', () => {
    const { alert, match } = raise(WATCH);
    expect(acknowledgeAlert(stores, alert.id, T0 + 1).state).toBe('acknowledged');
    expect(stores.matches.get(match.id)!.triage).toBe('acknowledged');
  });

  it('throws NOT_FOUND for an unknown alert', () => {
    expect(() => acknowledgeAlert(stores, 99, T0)).toThrowCode('NOT_FOUND');
  });
});

describe('markAlertExpected', () => {
  it('adds workflow, ref and trigger to a watch without expectations', () => {
    const { alert, signer } = raise(WATCH);
    expect(classify(signer)).toBe('unexpected');

    const { alert: triaged, change } = markAlertExpected(stores, alert.id, T0 + 1);

    expect(triaged.state).toBe('expected');
    expect(change.match.triage).toBe('expected');
    expect(change.added).toEqual({
      workflows: ['.github/workflows/release.yml'],
      refs: ['refs/tags/v1.0.0'],
      triggers: ['push'],
    });
    expect(change.watch?.expect).toEqual({
      workflows: [{ syntax: 'exact', source: '.github/workflows/release.yml' }],
      refs: [{ syntax: 'exact', source: 'refs/tags/v1.0.0' }],
      triggers: ['push'],
    });
    expect(classify(signer)).toBe('expected');
    // Another ref of the same workflow is still unexpected: the expectation is narrow.
    expect(classify(githubSigner({ ref: 'refs/heads/evil' }))).toBe('unexpected');
    expect(stores.audit.page({ kind: 'watch.changed' }).events).toHaveLength(1);
  });

  it('extends only the fields the watch already lists', () => {
    const watch: Watch = {
      ...WATCH,
      expect: { refs: [{ syntax: 'glob', source: 'refs/tags/*' }] },
    };
    const signer = githubSigner({ ref: 'refs/heads/main' });
    const { alert } = raise(watch, signer);

    const { change } = markAlertExpected(stores, alert.id, T0 + 1);

    expect(change.watch?.expect).toEqual({
      refs: [
        { syntax: 'glob', source: 'refs/tags/*' },
        { syntax: 'exact', source: 'refs/heads/main' },
      ],
    });
    expect(classify(signer)).toBe('expected');
    expect(
      classify(githubSigner({ ref: 'refs/heads/main', workflow: '.github/workflows/other.yml' })),
    ).toBe('expected');
  });

  it('triages an untrusted signing without learning from its certificate', () => {
    const signer = githubSigner({ chain: 'untrusted' });
    const { alert } = raise(WATCH, signer);
    const { alert: triaged, change } = markAlertExpected(stores, alert.id, T0 + 1);
    expect(triaged.state).toBe('expected');
    expect(change.watch).toBeUndefined();
    expect(change.notAdded).toEqual([expect.stringMatching(/untrusted/)]);
    expect(stores.watches.get(WATCH.name)!.expect).toBeUndefined();
  });

  it('refuses a log alert', () => {
    const alert = stores.alerts.raise({
      kind: 'log-inconsistent',
      dedupeKey: 'fork',
      summary: 'fork',
      atMs: T0,
    })!;
    expect(() => markAlertExpected(stores, alert.id, T0)).toThrowCode('INVALID_INPUT');
  });
});

describe('expectationFor', () => {
  const match = (over: Partial<Match> = {}): Match => ({
    id: 1,
    origin: 'log.example.test',
    logIndex: 0,
    watchName: WATCH.name,
    entryBytes: new Uint8Array(),
    leafHash: new Uint8Array(32),
    checkpoint: { treeSize: 1, signedNote: '' },
    inclusionProof: [],
    signer: githubSigner(),
    classification: 'unexpected',
    reason: '',
    triage: 'new',
    foundAtMs: T0,
    ...over,
  });

  it('reports a workflow from another repository instead of adding it', () => {
    const signer = githubSigner({
      san: 'https://github.com/evil/fork/.github/workflows/x.yml@refs/heads/a',
    });
    const fromFork = { ...signer, extensions: { ...signer.extensions } };
    delete (fromFork.extensions as Record<string, unknown>)['1.3.6.1.4.1.57264.1.18'];
    const result = expectationFor(
      { ...WATCH, expect: { workflows: [] } },
      match({ signer: fromFork }),
    );
    expect(result.expect).toBeUndefined();
    expect(result.notAdded).toEqual([
      'workflow .github/workflows/x.yml is in evil/fork, not acme/widget',
    ]);
  });

  it('adds nothing to a watch kind without expectations', () => {
    const result = expectationFor(
      { name: 'e', rule: { kind: 'email', address: 'a@example.test' }, enabled: true },
      match(),
    );
    expect(result).toEqual({
      added: { workflows: [], refs: [], triggers: [] },
      notAdded: ['email watches have no expectations'],
    });
  });

  it('leaves out a value that a watchlist file would read back as a glob', () => {
    const result = expectationFor(
      { ...WATCH, expect: { triggers: ['push'], refs: [] } },
      match({ signer: githubSigner({ ref: 'refs/heads/*', trigger: 'push' }) }),
    );
    expect(result.expect).toBeUndefined();
    expect(result.notAdded).toEqual(['ref refs/heads/* cannot be written as an exact pattern']);
  });
});

describe('noteAlert', () => {
  it("keeps the note on the alert's match", () => {
    const { alert, match } = raise(WATCH);
    expect(noteAlert(stores, alert.id, 'asked the release team', T0 + 1)).toEqual(alert);
    expect(stores.matches.get(match.id)!.note).toBe('asked the release team');
    expect(stores.alerts.get(alert.id)).not.toHaveProperty('note');
  });
});
