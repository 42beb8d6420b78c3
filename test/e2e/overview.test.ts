// First run in Chromium against `vigil serve` and the fake log: the logs have been followed for
// a day and a half with nothing watched; a GitHub watch is added through onboarding, the last
// 24 hours are chosen as the starting point, and the catch-up's progress reaches 100%. Then the
// Overview shows a card per log and the activity chart. Screenshots in light and dark, axe.
import { rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { RECENT_INDEX, startCatchUpLog, type CatchUpLog } from '../support/catch-up-log';
import type { WebBridge } from '../../electron/web/server';
import { buildRenderer, screenshot, seriousViolations, serve, watchProblems } from './ui-support';

const HOUR = 3_600_000;

let rendererDir: string;
let c: CatchUpLog;
let bridge: WebBridge;
let browser: Browser;

beforeAll(async () => {
  rendererDir = await buildRenderer();
  c = await startCatchUpLog();
  // A day and a half of monitoring with nothing watched: every hour the logs grow and a run
  // verifies what is new (the hourly activity the chart shows).
  const now = c.clock.nowMs;
  for (let k = 36; k >= 1; k--) {
    c.clock.nowMs = now - k * HOUR;
    c.log.v1.grow(20 + ((k * 37) % 60));
    c.log.v2.grow(40 + ((k * 53) % 90));
    const run = await c.service.monitoring.runOnce();
    expect(run.errors).toBe(0);
  }
  c.clock.nowMs = now;
  c.log.v1.grow(30);
  c.log.v2.grow(60);
  expect((await c.service.monitoring.runOnce()).errors).toBe(0);
  bridge = await serve(c, rendererDir);
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await c?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

async function open(scheme: 'light' | 'dark'): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: scheme,
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(bridge.url);
  await page.getByTestId('overview-answer').waitFor();
  return { page, problems };
}

/** Screenshots `page` as `<name>-light` and `<name>-dark`, with axe in each; back to light. */
async function bothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
    expect(await seriousViolations(page)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('first run', () => {
  it(
    'adds a GitHub watch, starts 24 hours back, and watches the catch-up reach 100%',
    { timeout: 120_000 },
    async () => {
      const { page, problems } = await open('light');
      await page.getByRole('button', { name: /^Watchlist/ }).click();
      await page.getByRole('heading', { name: 'What do you want to watch?' }).waitFor();
      await page.getByRole('textbox', { name: 'GitHub repository' }).fill('acme/widget');
      await page.getByRole('button', { name: /^Use \.github\/workflows\/release\.yml/ }).click();
      await page.getByRole('button', { name: 'Add watch' }).click();

      await page.getByRole('heading', { name: 'Where should Vigil start?' }).waitFor();
      expect(await page.getByTestId('v2-note').textContent()).toMatch(
        /Rekor v2 entries carry no time/,
      );
      await page.getByRole('radio', { name: /The last 24 hours/ }).check();
      await bothThemes(page, 'onboarding-start');
      // Slow the log down so that the bar is seen moving, not only finished.
      c.log.faults.push({ match: /entries\/retrieve/, delayMs: 150 });
      await page.getByRole('button', { name: 'Start watching' }).click();

      await page.getByRole('heading', { name: 'Catching up on the last 24 hours' }).waitFor();
      const bar = page.getByRole('progressbar', { name: 'Catch-up' });
      const seen = new Set<string>();
      for (let i = 0; i < 600; i++) {
        const value = await bar.getAttribute('value');
        if (value !== null) seen.add(value);
        if (await page.getByRole('status').filter({ hasText: 'Caught up' }).isVisible()) break;
        await page.waitForTimeout(50);
      }
      c.log.faults.length = 0;
      await page.getByText('Caught up: 1 match found').waitFor();
      expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
      expect(await page.getByText('100%').count()).toBe(1);
      // It moved through values below the total on the way.
      const total = Number(await bar.getAttribute('max'));
      expect([...seen].map(Number).some((v) => v < total)).toBe(true);
      expect(c.service.matches.list({}).matches.map((m) => m.logIndex)).toEqual([RECENT_INDEX]);
      await bothThemes(page, 'onboarding-progress');

      await page.getByRole('button', { name: 'Show the watchlist' }).click();
      await page
        .getByText('Expected: workflow .github/workflows/release.yml, ref refs/tags/v*.')
        .waitFor();
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );

  it.each(['light', 'dark'] as const)(
    'shows a card per log and the activity chart on the Overview, in %s',
    { timeout: 60_000 },
    async (scheme) => {
      const { page, problems } = await open(scheme);
      const sizes = await page.getByTestId('log-size').allTextContents();
      const status = c.service.monitoring.status();
      expect(sizes.sort()).toEqual(
        status.logs.map((l) => l.verifiedTreeSize!.toLocaleString('en-US')).sort(),
      );
      expect(await page.getByTestId('log-line').first().textContent()).toMatch(
        /checkpoint .* · caught up/,
      );
      const entries = page.getByTestId('chart-entries');
      const day = c.service.activity.get({ range: '24h' });
      expect(await entries.locator('figcaption').textContent()).toContain(
        `${day.totals.entriesVerified.toLocaleString('en-US')} entries verified over the last 24 hours`,
      );
      expect(await entries.locator('rect').count()).toBe(24);
      expect(await page.getByTestId('chart-matches').textContent()).toContain(
        '1 match over the last 24 hours, all on',
      );
      await page.getByRole('button', { name: '7 days' }).click();
      await expect.poll(() => page.getByTestId('chart-matches').locator('rect').count()).toBe(7);
      await page.getByRole('button', { name: '24 hours' }).click();
      await expect.poll(() => entries.locator('rect').count()).toBe(24);
      await screenshot(page, `overview-activity-${scheme}`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.context().close();
    },
  );
});
