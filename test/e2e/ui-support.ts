// What the browser journeys share: the renderer built once per file with Vite, a serve-mode
// bridge over a service harness, page error capture, and the accessibility check.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { exportDirUnder } from '../../electron/web/export-dir';
import { createHandlers } from '../../electron/web/handlers';
import { startWebBridge, type WebBridge } from '../../electron/web/server';
import type { Harness } from '../unit/monitor/service-harness';

/** Screenshots land here (git-ignored): artifacts/screenshots/<screen>-<theme>.png. */
export const SCREENSHOT_DIR = join('artifacts', 'screenshots');

/** Builds the renderer into a fresh temp folder and returns it. */
export async function buildRenderer(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-renderer-'));
  await build({
    configFile: false,
    logLevel: 'error',
    root: 'renderer',
    base: './',
    plugins: [svelte({ configFile: false })],
    build: { outDir: dir, emptyOutDir: true },
  });
  return dir;
}

/** `vigil serve`'s bridge over the harness's service, serving the built renderer. */
export function serve(
  h: Pick<Harness, 'service' | 'dir' | 'clock'>,
  rendererDir: string,
): Promise<WebBridge> {
  return startWebBridge({
    handlers: createHandlers(h.service, {
      exportDir: async (format) => exportDirUnder(h.dir, format, h.clock.nowMs),
    }),
    subscribe: (emit) => h.service.on((event) => emit('monitor:event', event)),
    rendererDir,
  });
}

/** Collects uncaught page errors and console errors; the journey asserts it stays empty. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  return problems;
}

/** axe-core's serious and critical violations on the page, as `rule: target` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary ?? ''})`),
    );
}

/** Writes a 1280x800 screenshot of the page. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
