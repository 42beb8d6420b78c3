// Child process: how fast the window shows its first page over a big data dir, in headless
// Chromium against `vigil serve`'s bridge (issue 11's responsiveness target): the Alerts screen
// with 10,000 new alerts (from 1,000 workflow@ref identities) and the audit timeline over 1M
// events. Timed from the click on the screen's tab to its first row on screen, so the engine's
// query, the bridge and the render all count; median of `rounds`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { MonitorService } from '../../electron/monitor/service';
import { openDatabase, openStores } from '../../electron/monitor/store/index';
import { createHandlers } from '../../electron/web/handlers';
import { startWebBridge } from '../../electron/web/server';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { buildRenderer } from '../e2e/ui-support';
import { atMost, median, report } from './measure';
import { seedStore } from './seed-store';

export interface FirstPaintConfig {
  /** Matches seeded (each adds audit events: 1M matches, about 1.1M events). */
  readonly matches: number;
  /** New alerts among them. */
  readonly alerts: number;
  readonly rounds: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as FirstPaintConfig;
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-paint-'));
const rendererDir = await buildRenderer();
try {
  const stores = openStores(openDatabase(join(dir, 'vigil.db')));
  const seedSeconds = seedStore(stores, {
    matches: config.matches,
    unexpectedEvery: Math.max(1, Math.floor(config.matches / config.alerts)),
    identities: 1000,
  });
  stores.db.close();

  const service = MonitorService.open({ dataDir: dir });
  const alerts = service.monitoring.status().alerts.new;
  const events = service.stores.audit.head()?.seq ?? 0;
  const bridge = await startWebBridge({
    handlers: createHandlers(service, { exportDir: async () => undefined }),
    subscribe: (emit) => service.on((event) => emit('monitor:event', event)),
    rendererDir,
  });
  const browser = await chromium.launch({
    executablePath: await chromiumPath(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(bridge.url);
    await page.getByTestId('overview-answer').waitFor();
    const alertsMs = await firstPaint(page, 'Alerts', () =>
      page.getByTestId('alert-row').first().waitFor(),
    );
    const timelineMs = await firstPaint(page, 'Timeline', () =>
      page
        .getByRole('list', { name: /Audit events/ })
        .getByRole('listitem')
        .first()
        .waitFor(),
    );
    const context = { seedSeconds: Math.round(seedSeconds), rounds: config.rounds };
    report(atMost('Alerts first page', median(alertsMs), 'ms', 300, { alerts, ...context }));
    report(atMost('Timeline first page', median(timelineMs), 'ms', 300, { events, ...context }));
  } finally {
    await browser.close();
    await bridge.close();
    service.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
}

/** The times from a click on `tab` to `shown` resolving, after a visit to the Overview each. */
async function firstPaint(page: Page, tab: string, shown: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round <= config.rounds; round++) {
    await page.getByRole('button', { name: /^Overview/ }).click();
    await page.getByTestId('overview-answer').waitFor();
    const started = performance.now();
    await page.getByRole('button', { name: new RegExp(`^${tab}`) }).click();
    await shown();
    // Round 0 warms up (the first query reads the pages from disk).
    if (round > 0) times.push(performance.now() - started);
  }
  return times;
}
