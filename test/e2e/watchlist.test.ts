// Watchlist journeys in Chromium against `vigil serve`: the first run's "What do you want to
// watch?" adds a GitHub watch from a pasted URL with the suggested expectations; then the watch
// is edited (a bad pattern shows the validator's message, a good one is saved) and switched off;
// a pasted real bundle is tested against the watches; a rekor-monitor config is converted and
// imported.
import { readFileSync, rmSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import type { WebBridge } from '../../electron/web/server';
import { openHarness, type Harness } from '../unit/monitor/service-harness';
import { buildRenderer, screenshot, seriousViolations, serve, watchProblems } from './ui-support';

let rendererDir: string;
let h: Harness;
let bridge: WebBridge;
let browser: Browser;

beforeAll(async () => {
  rendererDir = await buildRenderer();
  h = openHarness();
  bridge = await serve(h, rendererDir);
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  h?.close();
  if (rendererDir) rmSync(rendererDir, { recursive: true, force: true });
});

const watch = () => h.service.watchlist.list().find((w) => w.name === 'github:acme/widget');

describe('Watchlist', () => {
  it(
    'adds a first GitHub watch from a pasted URL, saying what it will match',
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(bridge.url);
      await page.getByRole('button', { name: /^Watchlist/ }).click();
      await page.getByRole('heading', { name: 'What do you want to watch?' }).waitFor();
      await page
        .getByRole('textbox', { name: 'GitHub repository' })
        .fill('https://github.com/acme/widget/tree/main');
      expect(await page.getByTestId('watch-words').textContent()).toBe(
        'Signed by a GitHub Actions workflow in acme/widget, or by any workflow calling one of its reusable workflows.',
      );
      await page.getByRole('button', { name: /^Use \.github\/workflows\/release\.yml/ }).click();
      await screenshot(page, 'onboarding-light');
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Add watch' }).click();
      await expect
        .poll(() => watch()?.item.expect)
        .toEqual({
          workflows: ['.github/workflows/release.yml'],
          refs: ['refs/tags/v*'],
        });
      // Then where to start: from now, nothing to catch up.
      await page.getByRole('heading', { name: 'Where should Vigil start?' }).waitFor();
      await page.getByRole('radio', { name: /From now/ }).check();
      await page.getByRole('button', { name: 'Start watching' }).click();
      await page
        .getByText('Expected: workflow .github/workflows/release.yml, ref refs/tags/v*.')
        .waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  it('edits the watch, showing the engine validator message inline, and switches it off', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('button', { name: /^Watchlist/ }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('form', { name: 'Edit github:acme/widget' });
    await editor.getByLabel('Expected triggers').fill('push');
    await editor.getByLabel('Expected refs').fill('regex:(');
    await editor.getByRole('button', { name: 'Save' }).click();
    const problem = editor.getByRole('alert');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/regex/i);
    expect(watch()?.item.expect?.triggers).toBeUndefined();
    await editor.getByLabel('Expected refs').fill('refs/tags/v*');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => watch()?.item.expect?.triggers).toEqual(['push']);
    await page.getByRole('switch', { name: 'Watch github:acme/widget' }).click();
    await expect.poll(() => watch()?.enabled).toBe(false);
    await context.close();
  });

  it('tests a pasted real bundle against the watches and says which match and why', async () => {
    await h.service.monitoring.loadTrust();
    h.service.watchlist.add({ email: 'thomas@python.org' });
    const bundle = readFileSync(
      new URL(
        '../fixtures/bundles/sigstore-python.Python-3.12.5.tgz.sigstore.json',
        import.meta.url,
      ),
      'utf8',
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        colorScheme,
      });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(bridge.url);
      await page.getByRole('button', { name: /^Watchlist/ }).click();
      await page.getByTestId('trial-text').fill(bundle);
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const verdict = page.getByTestId('trial-verdict');
      await verdict.waitFor();
      // The test's trusted root is the fake log's, whose CA did not issue this production
      // certificate: the watch matches, and the signing is untrusted.
      expect(await verdict.textContent()).toMatch(/Untrusted\s*email:thomas@python\.org/);
      expect(await page.getByTestId('trial-results').textContent()).toContain('thomas@python.org');
      await page.getByTestId('trial-results').scrollIntoViewIfNeeded();
      await screenshot(page, `watchlist-trial-${colorScheme}`);
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('converts a rekor-monitor config, shows its notes, then imports it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('button', { name: /^Watchlist/ }).click();
    const form = page.getByRole('form', { name: 'Import a watchlist' });
    await form.getByLabel('Format').selectOption('rekor-monitor');
    await form
      .getByTestId('import-text')
      .fill(
        [
          'monitoredValues:',
          '  certIdentities:',
          '    - certSubject: https://github.com/acme/tools/.github/workflows/release.yml@.*',
          '  subjects: [someone]',
          '',
        ].join('\n'),
      );
    await form.getByRole('button', { name: 'Convert' }).click();
    await page.getByTestId('import-notes').waitFor();
    expect(await page.getByTestId('import-notes').textContent()).toContain('subjects');
    expect(await form.getByTestId('import-text').inputValue()).toMatch(/^version: 1/);
    await form.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => h.service.watchlist.list().length).toBe(3);
    await context.close();
  });
});
