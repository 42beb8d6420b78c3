// electron-builder.yml is a complete installer configuration: it passes electron-builder's own
// validation (its JSON schema, app-builder-lib/scheme.json), builds AppImage, deb, dmg and NSIS,
// and every file it names exists once `npm run build` has run. Packaging itself needs the
// network (Electron's download), so it is not run here.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const config = parse(read('electron-builder.yml')) as Configuration;
const pkg = JSON.parse(read('package.json')) as { main: string; bin: Record<string, string> };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(join(ROOT, path));
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const targets = (platform: unknown): string[] => {
  const target = (platform as { target?: unknown }).target;
  return (Array.isArray(target) ? target : [target]).map((t) =>
    typeof t === 'string' ? t : (t as { target: string }).target,
  );
};

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    // A copy: validation rewrites parts of the object it is given.
    await expect(
      validateConfiguration(structuredClone(config), new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('is checked for real: a misspelt option is refused', async () => {
    const wrong = structuredClone(config);
    Object.assign(wrong.linux ?? {}, { categroy: 'Development' });
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object/,
    );
  });

  it('builds the installers of every desktop platform with an app ID and categories', () => {
    expect(config.appId).toBe('dev.vigil.app');
    expect(targets(config.linux)).toEqual(['AppImage', 'deb']);
    expect(targets(config.mac)).toEqual(['dmg']);
    expect(targets(config.win)).toEqual(['nsis']);
    expect(config.linux?.category).toBe('Development');
    expect(config.mac?.category).toBe('public.app-category.developer-tools');
    // The desktop executable must not take the CLI's name on the PATH.
    expect(config.linux?.executableName).not.toBe('vigil');
  });

  it('names icons that exist and are large enough for every platform', () => {
    for (const platform of [config.linux, config.mac, config.win]) {
      const icon = platform?.icon;
      expect(typeof icon).toBe('string');
      const { width, height } = pngSize(icon as string);
      expect(width).toBeGreaterThanOrEqual(512);
      expect(height).toBe(width);
    }
  });

  it('keeps the native SQLite module out of the archive and carries the CLI', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.files).toContain('out/**');
    const resources = (config.extraResources as { from: string; to: string }[]) ?? [];
    for (const { from } of resources) expect(existsSync(join(ROOT, from)), from).toBe(true);
    expect(resources).toContainEqual({ from: 'build/cli', to: 'cli' });
    // The launchers run the very file package.json installs as `vigil`.
    const cli = pkg.bin['vigil'];
    expect(read('build/cli/vigil')).toContain(`app.asar/${cli}`);
    expect(read('build/cli/vigil.cmd')).toContain(`app.asar\\${cli?.replaceAll('/', '\\')}`);
    expect(statSync(join(ROOT, 'build/cli/vigil')).mode & 0o111).not.toBe(0);
  });

  it('packages files that `npm run build` has made', () => {
    for (const file of [
      pkg.main,
      pkg.bin['vigil'] ?? 'missing',
      'out/main/match-worker.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ]) {
      expect(existsSync(join(ROOT, file)), `${file} (run npm run build)`).toBe(true);
    }
  });
});
