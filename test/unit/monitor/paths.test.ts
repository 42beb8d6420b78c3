import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath, resolveDataDir } from '../../../electron/monitor/paths';

describe('resolveDataDir', () => {
  it.each([
    {
      desc: 'Linux with XDG_CONFIG_HOME',
      platform: 'linux' as const,
      env: { XDG_CONFIG_HOME: '/xdg' },
      want: '/xdg/Vigil',
    },
    {
      desc: 'Linux without XDG_CONFIG_HOME',
      platform: 'linux' as const,
      env: {},
      want: '/home/ann/.config/Vigil',
    },
    {
      desc: 'Linux with an empty XDG_CONFIG_HOME',
      platform: 'linux' as const,
      env: { XDG_CONFIG_HOME: '' },
      want: '/home/ann/.config/Vigil',
    },
    {
      desc: 'macOS',
      platform: 'darwin' as const,
      env: {},
      want: '/home/ann/Library/Application Support/Vigil',
    },
    {
      desc: 'Windows with APPDATA',
      platform: 'win32' as const,
      env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
      want: 'C:\\Users\\ann\\AppData\\Roaming\\Vigil',
    },
  ])('gives the app user-data folder on $desc', ({ platform, env, want }) => {
    expect(resolveDataDir({ env, platform, homeDir: '/home/ann' })).toBe(want);
  });

  it('prefers --data-dir over VIGIL_DATA_DIR over the default', () => {
    const env = { VIGIL_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveDataDir({ dataDir: '/from/flag', env, platform: 'linux' })).toBe('/from/flag');
    expect(resolveDataDir({ env, platform: 'linux' })).toBe('/from/env');
    expect(resolveDataDir({ env: { ...env, VIGIL_DATA_DIR: '' }, platform: 'linux' })).toBe(
      '/xdg/Vigil',
    );
  });

  it('resolves a relative --data-dir against the working directory', () => {
    expect(resolveDataDir({ dataDir: 'state', env: {}, platform: 'linux' })).toBe(resolve('state'));
  });

  it('rejects an empty --data-dir', () => {
    expect(() => resolveDataDir({ dataDir: '', env: {}, platform: 'linux' })).toThrowCode(
      'INVALID_INPUT',
    );
  });
});

describe('databasePath', () => {
  it('puts vigil.db inside the data dir', () => {
    expect(databasePath('/data', 'linux')).toBe('/data/vigil.db');
    expect(databasePath('C:\\data', 'win32')).toBe('C:\\data\\vigil.db');
  });
});
