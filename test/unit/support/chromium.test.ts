import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumPath, systemChromium } from '../../support/chromium';

const dirs: string[] = [];
function fakeBin(name: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bin-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return { dir, path };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the browser tests find a Chromium', () => {
  it('takes the first chromium on PATH, skipping files that are not executable', () => {
    const plain = mkdtempSync(join(tmpdir(), 'vigil-bin-'));
    dirs.push(plain);
    writeFileSync(join(plain, 'chromium'), 'not a program');
    const second = fakeBin('chromium-browser');
    expect(systemChromium(['', plain, second.dir].join(delimiter))).toBe(second.path);
    expect(systemChromium(plain)).toBeUndefined();
  });

  it('prefers CHROMIUM_PATH and refuses one that cannot run', async () => {
    const saved = process.env['CHROMIUM_PATH'];
    try {
      const chosen = fakeBin('my-chromium');
      process.env['CHROMIUM_PATH'] = chosen.path;
      await expect(chromiumPath()).resolves.toBe(chosen.path);
      process.env['CHROMIUM_PATH'] = join(chosen.dir, 'missing');
      await expect(chromiumPath()).rejects.toThrow(/is not an executable file/);
    } finally {
      if (saved === undefined) delete process.env['CHROMIUM_PATH'];
      else process.env['CHROMIUM_PATH'] = saved;
    }
  });
});
