// Runs once before the test files: resolves the browser tests' Chromium in this one process, so
// that parallel test files never race to unpack the packaged build. The workers inherit it.
import { chromiumPath } from './chromium';

export default async function setup(): Promise<void> {
  try {
    process.env['CHROMIUM_PATH'] = await chromiumPath();
  } catch (err) {
    // The browser tests report it themselves when they ask again; the others need no browser.
    console.warn(`No Chromium for the browser tests: ${String(err)}`);
  }
}
