// Finds a Chromium for the browser tests without asking the machine for anything npm did not
// install: CHROMIUM_PATH when set, then the system's chromium, then the build that
// @sparticuz/chromium ships inside its npm package (unpacked under the temp folder on first use).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The flags every browser test launches with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

const SYSTEM_NAMES = ['chromium', 'chromium-browser'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first system Chromium on PATH, if any. */
export function systemChromium(pathVar = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    for (const name of SYSTEM_NAMES) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The Chromium to launch. Unpacking the packaged build is not safe to race, so the test run
 * resolves it once (test/support/global-setup.ts) and hands it to every worker as CHROMIUM_PATH.
 */
export async function chromiumPath(): Promise<string> {
  const chosen = process.env['CHROMIUM_PATH'];
  if (chosen !== undefined && chosen !== '') {
    if (!executable(chosen)) throw new Error(`CHROMIUM_PATH=${chosen} is not an executable file`);
    return chosen;
  }
  const system = systemChromium();
  if (system !== undefined) return system;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}
