import { describe, expect, it } from 'vitest';
import { toAlertView } from '../../../../electron/monitor/alerts/alert-view';
import { displayText, signerFacts } from '../../../../electron/monitor/alerts/signer-facts';
import type { Alert, Match } from '../../../../electron/monitor/store/types';
import { githubSigner } from '../export/synthetic-log';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 3,
  kind: 'match',
  dedupeKey: 'log.example.test|42|github:acme/widget',
  origin: 'log.example.test',
  matchId: 9,
  summary: 'unexpected signing for watch github:acme/widget at log.example.test index 42: x',
  state: 'new',
  raisedAtMs: 1_700_000_000_000,
  ...over,
});

const match = (over: Partial<Match> = {}): Match => ({
  id: 9,
  origin: 'log.example.test',
  logIndex: 42,
  watchName: 'github:acme/widget',
  entryBytes: new Uint8Array(),
  leafHash: new Uint8Array(32),
  checkpoint: { treeSize: 43, signedNote: '' },
  inclusionProof: [],
  signer: githubSigner({
    workflow: '.github/workflows/evil.yml',
    ref: 'refs/heads/x',
    trigger: 'workflow_dispatch',
  }),
  classification: 'unexpected',
  reason: 'workflow .github/workflows/evil.yml is not in expect.workflows',
  triage: 'new',
  foundAtMs: 1_700_000_000_000,
  ...over,
});

describe('toAlertView', () => {
  it.each([
    {
      kind: 'log-inconsistent',
      severity: 'critical',
      title: 'log log.example.test is inconsistent',
    },
    {
      kind: 'verification-failed',
      severity: 'critical',
      title: 'verification failed for log log.example.test',
    },
    { kind: 'log-stale', severity: 'low', title: 'log log.example.test has not advanced' },
  ] as const)('rates a $kind alert $severity', ({ kind, severity, title }) => {
    const view = toAlertView(alert({ kind, matchId: undefined, summary: 'the summary' }));
    expect(view).toEqual({
      id: 3,
      kind,
      severity,
      title,
      body: 'the summary',
      origin: 'log.example.test',
      raisedAtMs: 1_700_000_000_000,
      state: 'new',
    });
  });

  it.each([
    { classification: 'unexpected', severity: 'high' },
    { classification: 'untrusted', severity: 'low' },
    { classification: 'expected', severity: 'info' },
  ] as const)('rates a $classification match $severity', ({ classification, severity }) => {
    expect(toAlertView(alert(), match({ classification }))).toMatchObject({
      severity,
      classification,
      title: `${classification} signing for github:acme/widget`,
    });
  });

  it('lists identity, repository, workflow, ref, trigger and reason from the signer', () => {
    const view = toAlertView(alert(), match());
    expect(view.body.split('\n')).toEqual([
      'identity: https://github.com/acme/widget/.github/workflows/evil.yml@refs/heads/x (issuer https://token.actions.githubusercontent.com)',
      'repository: https://github.com/acme/widget',
      'workflow: https://github.com/acme/widget/.github/workflows/evil.yml@refs/heads/x',
      'ref: refs/heads/x',
      'trigger: workflow_dispatch',
      'reason: workflow .github/workflows/evil.yml is not in expect.workflows',
    ]);
    expect(view).toMatchObject({
      logIndex: 42,
      watch: 'github:acme/widget',
      origin: 'log.example.test',
    });
  });

  it('keeps a certificate from forging lines in the body', () => {
    const signer = githubSigner({ ref: 'refs/heads/x\nreason: expected\u202e\u2028' });
    const lines = toAlertView(alert(), match({ signer })).body.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe('ref: refs/heads/x\uFFFDreason: expected\uFFFD\uFFFD');
  });

  it('falls back to the summary, rated high, when the match is not given', () => {
    expect(toAlertView(alert())).toMatchObject({ severity: 'high', body: alert().summary });
    expect(toAlertView(alert(), match({ id: 10 }))).toMatchObject({ severity: 'high' });
  });
});

describe('signerFacts', () => {
  it('describes a public key by its fingerprint', () => {
    const facts = signerFacts({
      type: 'publicKey',
      location: 'spec.signature.publicKey.content',
      keyFormat: 'ssh',
      spkiSha256Hex: 'ab'.repeat(32),
      chain: 'n/a',
    });
    expect(facts).toEqual({ identity: `key sha256:${'ab'.repeat(32)} (ssh)` });
  });

  it('falls back to the deprecated GitHub extensions', () => {
    const signer = {
      ...githubSigner(),
      extensions: {
        '1.3.6.1.4.1.57264.1.2': { name: 'GitHub Workflow Trigger', value: 'push' },
        '1.3.6.1.4.1.57264.1.5': { name: 'GitHub Workflow Repository', value: 'acme/widget' },
        '1.3.6.1.4.1.57264.1.6': { name: 'GitHub Workflow Ref', value: 'refs/heads/main' },
      },
    };
    expect(signerFacts(signer)).toMatchObject({
      repository: 'acme/widget',
      ref: 'refs/heads/main',
      trigger: 'push',
      workflow: signer.sans[0]!.value,
    });
  });
});

describe('displayText', () => {
  it('cuts long text with an ellipsis', () => {
    expect(displayText('x'.repeat(10), 5)).toBe('xxxx…');
    expect(displayText('x'.repeat(5), 5)).toBe('xxxxx');
  });
});
