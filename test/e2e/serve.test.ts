// The renderer in Chromium (see test/support/chromium.ts) against the serve-mode bridge, in-process, on a temp data dir
// seeded with a match and its alert. Builds the renderer with Vite into a temp folder first.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium';
import { exportDirUnder } from '../../electron/web/export-dir';
import { createHandlers } from '../../electron/web/handlers';
import { startWebBridge, type WebBridge } from '../../electron/web/server';
import { githubSigner, openHarness, type Harness } from '../unit/monitor/service-harness';

let rendererDir: string;
let h: Harness;
let bridge: WebBridge;
let browser: Browser;
let alertId: number;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'vigil-renderer-'));
  await build({
    configFile: false,
    logLevel: 'error',
    root: 'renderer',
    base: './',
    plugins: [svelte({ configFile: false })],
    build: { outDir: rendererDir, emptyOutDir: true },
  });

  h = openHarness();
  h.service.watchlist.add({ github: 'acme/widget' });
  const seeded = h.seed([
    {
      watchName: 'github:acme/widget',
      classification: 'unexpected',
      signer: githubSigner({ ref: 'refs/heads/evil', trigger: 'push' }),
    },
  ]);
  alertId = seeded.alerts[0]!.id;

  bridge = await startWebBridge({
    handlers: createHandlers(h.service, {
      exportDir: async (format) => exportDirUnder(h.dir, format, h.clock.nowMs),
    }),
    subscribe: (emit) => h.service.on((event) => emit('monitor:event', event)),
    rendererDir,
  });
  browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  h?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('vigil serve in Chromium', () => {
  it('shows the seeded alert and acknowledges it in the store', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });

    await page.goto(bridge.url);
    await page.getByRole('button', { name: /^Alerts/ }).click();
    const detail = page.getByLabel('Selected alert');
    await detail.getByText('unexpected signing for github:acme/widget').waitFor();
    expect(await detail.getByText('refs/heads/evil').count()).toBeGreaterThan(0);

    await detail.getByRole('button', { name: /^Acknowledge/ }).click();
    await expect.poll(() => h.service.stores.alerts.get(alertId)?.state).toBe('acknowledged');
    expect(h.service.stores.alerts.get(alertId)?.state).toBe('acknowledged');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('vigil serve refuses other pages', () => {
  let evil: Server;
  let evilOrigin: string;

  beforeAll(async () => {
    // Another local site that has somehow learned the token: its Origin still gives it away.
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>evil</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

  it('answers 403 to a browser that opens the server without the token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${bridge.port}/`);
    expect(response?.status()).toBe(403);
    expect(await page.content()).not.toContain('Vigil</h1>');
    await page.close();
  });

  it('runs no command sent from another origin, with or without a preflight', async () => {
    const { alerts } = h.seed([
      {
        watchName: 'github:acme/widget',
        classification: 'unexpected',
        signer: githubSigner({ ref: 'refs/heads/other', trigger: 'push' }),
      },
    ]);
    const target = alerts[0]!.id;
    const page = await browser.newPage();
    await page.goto(`${evilOrigin}/`);
    const outcomes = await page.evaluate(
      async ({ url, id }) => {
        const attempt = async (contentType: string) => {
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': contentType },
              body: JSON.stringify({ command: 'alerts:acknowledge', args: [id] }),
            });
            return `status ${res.status}`;
          } catch {
            return 'blocked';
          }
        };
        return [await attempt('application/json'), await attempt('text/plain')];
      },
      { url: `${bridge.url}api/invoke`, id: target },
    );
    // The browser hides the 403 from a cross-origin page as a network error.
    expect(outcomes).toEqual(['blocked', 'blocked']);
    expect(h.service.stores.alerts.get(target)?.state).toBe('new');
    await page.close();
  });
});
