import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/command';
import { KEY_SIGNER } from '../monitor/store/fixtures';
import {
  githubSigner,
  jsonLines,
  openHarness,
  runCli,
  type Harness,
} from '../monitor/service-harness';

let h: Harness;
beforeEach(() => {
  h = openHarness();
  h.seed([
    { watchName: 'github:acme/widget', classification: 'expected' },
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({
        workflow: '.github/workflows/evil.yml',
        trigger: 'workflow_dispatch',
      }),
      reason: 'workflow .github/workflows/evil.yml is not expected',
    },
    { watchName: 'key:release', classification: 'untrusted', signer: KEY_SIGNER },
  ]);
});
afterEach(() => h.close());

const vigilMatches = (...args: string[]) => runCli(['matches', '--data-dir', h.dir, ...args]);

describe('vigil matches', () => {
  it('prints every match newest first with --json, one object per line', async () => {
    const r = await vigilMatches('--json');
    expect(r.code).toBe(EXIT.OK);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l.logIndex, l.watch, l.classification, l.state])).toEqual([
      [2, 'key:release', 'untrusted', 'new'],
      [1, 'github:acme/widget', 'unexpected', 'new'],
      [0, 'github:acme/widget', 'expected', 'new'],
    ]);
    expect(lines[0]).toMatchObject({ origin: h.log.origin, id: 3 });
    expect(lines[0]).not.toHaveProperty('triage');
  });

  it.each([
    { desc: '--watch', args: ['--watch', 'key:release'], want: [2] },
    { desc: '--classification', args: ['--classification', 'unexpected'], want: [1] },
    { desc: '--state', args: ['--state', 'acknowledged'], want: [0] },
    { desc: '--origin', args: ['--origin', 'other.example'], want: [] },
    { desc: '--limit', args: ['--limit', '2'], want: [2, 1] },
  ])('filters with $desc', async ({ args, want }) => {
    h.service.stores.matches.acknowledge(1, 1);
    const r = await vigilMatches('--json', ...args);
    expect(jsonLines(r.stdout).map((l) => l.logIndex)).toEqual(want);
  });

  it('prints a block per match for people', async () => {
    const r = await vigilMatches('--classification', 'unexpected');
    expect(r.stdout).toMatch(
      new RegExp(
        `^#2 UNEXPECTED github:acme/widget: ${h.log.origin} #1 \\[new\\] found \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n`,
      ),
    );
    expect(r.stdout).toContain(
      '  workflow: https://github.com/acme/widget/.github/workflows/evil.yml@refs/tags/v1.0.0\n',
    );
    expect(r.stdout).toContain('  trigger: workflow_dispatch\n');
    expect(r.stdout).toContain('  reason: workflow .github/workflows/evil.yml is not expected\n');
  });

  it('says so on stderr when nothing matches', async () => {
    const r = await vigilMatches('--watch', 'nothing');
    expect(r).toEqual({ code: EXIT.OK, stdout: '', stderr: 'no matches\n' });
  });

  it.each([
    { desc: 'an unknown classification', args: ['--classification', 'odd'] },
    { desc: 'an unknown state', args: ['--state', 'seen'] },
    { desc: 'a zero limit', args: ['--limit', '0'] },
    { desc: 'a positional', args: ['github:acme/widget'] },
  ])('is a usage error with $desc', async ({ args }) => {
    expect((await vigilMatches(...args)).code).toBe(EXIT.USAGE);
  });
});
