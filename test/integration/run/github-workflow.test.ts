// The reusable workflow (.github/workflows/monitor.yml): its inputs, cache and command are
// checked, and its run steps are executed as the shell script they are, with the GITHUB_*
// variables set, against the fake log and a fake GitHub API. The `npm ci` step is replaced by
// this checkout's own build (npm test builds before it tests); the `uses:` steps (checkout,
// cache) are played by the test: the caller's files are written, and the data dir is kept
// between runs or dropped, as the cache restores or evicts it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../../../electron/demo/cert-factory';
import type { FakeLog } from '../../../electron/demo/fake-log/index';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github';
import {
  EVIL,
  Planter,
  RELEASE,
  WIDGET,
  startNamedFakeLog,
  writeTrustedRootFor,
} from '../../support/run-helpers';

const ROOT = join(import.meta.dirname, '../../..');
const REPO = 'acme/widget';
const TOKEN = 'ghs_fake_token';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
}
interface Workflow {
  readonly on: { workflow_call: { inputs: Record<string, { default?: string }> } };
  readonly permissions: Record<string, string>;
  readonly jobs: { monitor: { steps: Step[] } };
}

const workflow = parse(
  readFileSync(join(ROOT, '.github/workflows/monitor.yml'), 'utf8'),
) as Workflow;
const steps = workflow.jobs.monitor.steps;

/** Evaluates the `${{ inputs.x }}` / `${{ github.token }}` expressions the workflow uses. */
function expand(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([a-z_]+)\.([a-z_-]+)\s*\}\}/g, (_, ctx: string, key: string) => {
    if (ctx === 'inputs')
      return inputs[key] ?? workflow.on.workflow_call.inputs[key]?.default ?? '';
    if (ctx === 'github' && key === 'token') return TOKEN;
    throw new Error(`the test cannot evaluate ${ctx}.${key}`);
  });
}

describe('the reusable workflow file', () => {
  it('takes the inputs a caller sets', () => {
    expect(Object.keys(workflow.on.workflow_call.inputs)).toEqual(
      expect.arrayContaining([
        'watchlist',
        'watchlist-yaml',
        'rekor-monitor-config',
        'logs',
        'since',
        'issue-label',
        'fail-on',
      ]),
    );
    expect(workflow.on.workflow_call.inputs['fail-on']?.default).toBe(
      'unexpected,untrusted,integrity',
    );
    expect(workflow.permissions).toEqual({ contents: 'read', issues: 'write' });
  });

  it('carries its data dir between runs in the cache, under a new key each run', () => {
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'));
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'));
    expect(restore?.with).toMatchObject({ path: 'vigil-data', 'restore-keys': 'vigil-data-' });
    expect(String(restore?.with?.['key'])).toContain('${{ github.run_id }}');
    expect(save?.with?.['key']).toBe(restore?.with?.['key']);
    const monitor = steps.find((s) => s.name === 'Monitor');
    expect(monitor?.env?.['VIGIL_DATA_DIR']).toBe('vigil-data');
    expect(monitor?.run).toContain('$VIGIL run --once');
    expect(monitor?.env?.['VIGIL']).toBe('node vigil/out/main/vigil.js');
  });
});

describe('the reusable workflow, run', () => {
  let log: FakeLog;
  let github: FakeGitHub;
  let workspace: string;
  let planter: Planter;

  beforeAll(async () => {
    log = await startNamedFakeLog();
    github = await startFakeGitHub(REPO, TOKEN);
    planter = new Planter(log, createTestCa());
    workspace = mkdtempSync(join(tmpdir(), 'vigil-workflow-'));
    mkdirSync(join(workspace, 'caller'));
    symlinkSync(ROOT, join(workspace, 'vigil'));
    writeTrustedRootFor(join(workspace, 'caller'), [log], planter.ca);
  });
  afterAll(async () => {
    await log.close();
    await github.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs every run step in order, with the shell Actions uses, and returns the last outcome. */
  async function runWorkflow(inputs: Record<string, string>) {
    const runner = mkdtempSync(join(tmpdir(), 'vigil-runner-'));
    const summary = join(runner, 'summary.md');
    let last = { status: 0 as number | null, stdout: '', stderr: '' };
    for (const step of steps) {
      if (step.run === undefined) continue;
      if (/^npm ci\b/.test(step.run)) continue; // the checkout is built already
      const env: Record<string, string> = {
        PATH: process.env['PATH'] ?? '',
        HOME: runner,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: REPO,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: github.url,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_RUN_ID: '1',
        RUNNER_TEMP: runner,
      };
      for (const [key, value] of Object.entries(step.env ?? {})) env[key] = expand(value, inputs);
      // Asynchronously: the fake log and GitHub API answer from this process.
      const run = await new Promise<typeof last>((resolve) => {
        const child = spawn(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run ?? ''],
          {
            cwd: join(workspace, step['working-directory'] ?? '.'),
            env,
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      last = run;
      if (run.status !== 0) break;
    }
    const markdown = (() => {
      try {
        return readFileSync(summary, 'utf8');
      } catch {
        return '';
      }
    })();
    return { ...last, summary: markdown };
  }

  const watchlistYaml = `version: 1
watches:
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/tags/v*]
`;

  it('opens one issue per finding, once, across runs and after the cache is lost', async () => {
    writeFileSync(join(workspace, 'caller', 'watchlist.yaml'), watchlistYaml);
    const inputs = {
      watchlist: 'watchlist.yaml',
      'trusted-root': 'trusted_root.json',
      since: '3650d',
    };
    log.v1.grow(20);
    planter.v1('hashedrekord@0.0.1', RELEASE, 'trusted', [WIDGET, 'expected']);
    planter.v1('hashedrekord@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    log.v1.grow(5);

    // First run: nothing restored, so it starts 3650d back, loudly; the signing fails the job.
    const first = await runWorkflow(inputs);
    expect(first.stdout).toContain('::warning title=Vigil starts afresh::');
    expect(first.stdout).toContain('::error title=Vigil::1 unexpected finding(s)');
    expect(first.status).toBe(1);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.title).toContain('github:acme/widget');
    expect(github.issues[0]?.labels).toEqual(['vigil']);
    expect(first.summary).toContain('## Vigil');
    expect(first.summary).toContain('Every log verified');
    expect(first.summary).toMatch(
      /\*\*UNEXPECTED\*\* `github:acme\/widget`.*\(\[issue\]\(https:\/\/github\.com\/acme\/widget\/issues\?q=/,
    );

    // Second run with the restored data dir: one new signing, one new issue, no warning.
    planter.v1('dsse@0.0.1', EVIL, 'trusted', [WIDGET, 'unexpected']);
    const second = await runWorkflow(inputs);
    expect(second.stdout).not.toContain('Vigil starts afresh');
    expect(second.status).toBe(1);
    expect(github.issues).toHaveLength(2);

    // A quiet run passes.
    log.v1.grow(3);
    expect((await runWorkflow(inputs)).status).toBe(0);

    // The cache was evicted: the data dir is gone, the same signings are found again, but the
    // issues they already have are not opened twice.
    rmSync(join(workspace, 'vigil-data'), { recursive: true, force: true });
    const afresh = await runWorkflow(inputs);
    expect(afresh.stdout).toContain('Vigil starts afresh');
    expect(afresh.status).toBe(1);
    expect(github.issues).toHaveLength(2);
  });

  it('fails only on what fail-on names, and takes a rekor-monitor config', async () => {
    rmSync(join(workspace, 'vigil-data'), { recursive: true, force: true });
    const config = `monitoredValues:
  certIdentities:
    - certSubject: https://github.com/acme/widget/.*
      issuers:
        - https://token.actions.githubusercontent.com
`;
    const run = await runWorkflow({
      'rekor-monitor-config': config,
      'trusted-root': 'trusted_root.json',
      since: '3650d',
      'fail-on': 'integrity',
    });
    expect(run.stdout).toContain('"unexpected":');
    expect(run.status).toBe(0);
  });

  it('refuses to run without a watchlist', async () => {
    const run = await runWorkflow({});
    expect(run.stdout).toContain('::error::Give one of the inputs');
    expect(run.status).toBe(2);
  });
});
