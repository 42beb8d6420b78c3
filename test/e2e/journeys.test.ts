// User journeys in Chromium against `vigil serve` (in-process, on a temp data dir): triage with
// the keyboard and in bulk, mark expected after seeing the expectation it adds; every screen in
// light and dark, screenshotted at 1280x800 and checked with axe-core.
import { rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import type { WebBridge } from '../../electron/web/server';
import {
  githubSigner,
  openHarness,
  runCli,
  T0,
  type Harness,
} from '../unit/monitor/service-harness';
import { buildRenderer, screenshot, seriousViolations, serve, watchProblems } from './ui-support';

let rendererDir: string;
let h: Harness;
let bridge: WebBridge;
let browser: Browser;

const WATCH = 'github:acme/widget';

beforeAll(async () => {
  rendererDir = await buildRenderer();
  h = openHarness();
  h.service.watchlist.add({
    github: 'acme/widget',
    expect: { workflows: ['.github/workflows/release.yml'] },
  });
  h.service.watchlist.add({
    email: 'maintainer@example.com',
    issuers: ['https://accounts.google.com'],
  });
  // Three signings from one unexpected workflow@ref, one from another, one untrusted look-alike.
  const evil = githubSigner({
    workflow: '.github/workflows/evil.yml',
    ref: 'refs/heads/x',
    trigger: 'push',
  });
  h.seed([
    { watchName: WATCH, classification: 'unexpected', signer: evil },
    { watchName: WATCH, classification: 'unexpected', signer: evil },
    { watchName: WATCH, classification: 'unexpected', signer: evil },
    {
      watchName: WATCH,
      classification: 'unexpected',
      signer: githubSigner({
        workflow: '.github/workflows/nightly.yml',
        ref: 'refs/heads/main',
        trigger: 'schedule',
      }),
    },
    {
      watchName: WATCH,
      classification: 'untrusted',
      signer: githubSigner({
        workflow: '.github/workflows/release.yml',
        ref: 'refs/tags/v9.9.9',
        chain: 'untrusted',
      }),
    },
  ]);
  h.service.stores.alerts.raise({
    kind: 'log-inconsistent',
    dedupeKey: 'inconsistent|e2e',
    origin: h.log.origin,
    summary: 'the checkpoint of size 12 has a different root than the one verified before',
    atMs: T0 + 5,
  });
  bridge = await serve(h, rendererDir);
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  h?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

async function open(
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; problems: string[] }> {
  // A context of its own: axe-core opens a helper page in the page's context.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(bridge.url);
  await page.getByTestId('overview-answer').waitFor();
  return { page, problems };
}

const newAlerts = () => h.service.alerts.list({ state: 'new' }).alerts;

describe('Alerts', () => {
  it('groups the alerts by watch and workflow@ref, with counts, the log alert first', async () => {
    const { page, problems } = await open();
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(4);
    const labels = (await rows.allTextContents()).map((l) => l.replace(/\s+/g, ' '));
    expect(labels[0]).toContain('Critical:');
    expect(labels).toContainEqual(expect.stringMatching(/High: .*evil\.yml@refs\/heads\/x 3 /));
    expect(await page.getByTestId('alerts-headline').textContent()).toBe('6 alerts need you');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('triages with the keyboard: arrows move, a acknowledges the whole row, / filters', async () => {
    const { page, problems } = await open();
    await page.getByRole('button', { name: /^Alerts/ }).click();
    await page.getByTestId('alert-row').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('nightly');
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.keyboard.press('a');
    await expect.poll(() => newAlerts().length).toBe(5);
    expect(
      h.service.alerts.list({ state: 'acknowledged' }).alerts.map((a) => a.identity?.workflow),
    ).toEqual([expect.stringContaining('nightly.yml')]);
    // Esc in the filter clears it: the acknowledged row has left the inbox of new alerts.
    await page.keyboard.press('/');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('alert-row').count()).toBe(3);
    expect(await page.getByRole('searchbox', { name: 'Filter alerts' }).inputValue()).toBe('');
    await page.keyboard.press('ArrowDown');
    const current = () =>
      page
        .getByTestId('alert-row')
        .evaluateAll((rows) => rows.findIndex((r) => r.getAttribute('aria-current') === 'true'));
    await page.keyboard.press('Home');
    while ((await current()) > 0) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await expect.poll(current).toBe(1);
    const selected = page.locator('[data-testid="alert-row"][aria-current="true"]');
    expect(await selected.textContent()).toMatch(/evil\.yml/);
    // Enter opens the entry of the selected row: focus moves into the inspector.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(':focus').getAttribute('aria-label')).toBe('Entry');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('marks a row expected after showing the expectation it adds, and the watch learns it', async () => {
    const { page, problems } = await open();
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const evil = page.getByTestId('alert-row').filter({ hasText: 'evil.yml' });
    await evil.click();
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: /Mark 3 alerts expected/ });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('.github/workflows/evil.yml');
    await screenshot(page, 'alerts-expect-preview-light');
    // Nothing changed yet.
    expect(
      h.service.watchlist.list().find((w) => w.name === WATCH)?.item.expect?.workflows,
    ).toEqual(['.github/workflows/release.yml']);
    await dialog.getByRole('button', { name: 'Mark 3 alerts expected' }).click();
    await expect.poll(() => h.service.alerts.list({ state: 'expected' }).alerts.length).toBe(3);
    expect(
      h.service.watchlist.list().find((w) => w.name === WATCH)?.item.expect?.workflows,
    ).toEqual(['.github/workflows/release.yml', '.github/workflows/evil.yml']);
    await page.getByRole('status').filter({ hasText: '3 alerts marked expected' }).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('checks rows for a bulk acknowledge with shift-click', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const rows = page.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.first().click();
    await rows.nth(1).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: /^Acknowledge a/ }).click();
    await expect.poll(() => newAlerts().length).toBe(0);
    await page.getByText('Nothing needs you').first().waitFor();
    await page.context().close();
  });
});

const SCREENS = ['Overview', 'Alerts', 'Matches', 'Watchlist', 'Timeline', 'Settings'] as const;

describe('Entry inspector', () => {
  it("exports one match's evidence, which vigil verify re-checks", async () => {
    const { page, problems } = await open();
    await page.getByRole('button', { name: /^Matches/ }).click();
    await page.getByRole('button', { name: 'Inspect' }).first().click();
    await page.getByLabel('Entry inspector').waitFor();
    await page.getByRole('button', { name: 'Export evidence for this match' }).click();
    const written = page.getByTestId('evidence-file');
    await written.waitFor();
    const path = /Written to (\S+\.json)/.exec((await written.textContent()) ?? '')?.[1];
    expect(path).toMatch(/match-\d+\.json$/);
    const r = await runCli(['verify', '--trusted-root', h.trustedRootFile, path!]);
    expect(r.code).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

describe('every screen, light and dark', () => {
  it.each(['light', 'dark'] as const)(
    'renders in %s with no serious accessibility violation',
    { timeout: 180_000 },
    async (scheme) => {
      const { page, problems } = await open(scheme);
      const found: Record<string, string[]> = {};
      for (const name of SCREENS) {
        await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
        await page.waitForTimeout(300);
        if (name === 'Alerts')
          await page.getByRole('combobox', { name: 'State' }).selectOption('all');
        if (name === 'Matches') {
          await page.getByRole('button', { name: 'Inspect' }).first().click();
          await page.getByLabel('Entry inspector').waitFor();
        }
        await page.waitForTimeout(200);
        await screenshot(page, `${name.toLowerCase()}-${scheme}`);
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[name] = violations;
      }
      expect(found).toEqual({});
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );
});
