// Where Vigil keeps its state. The CLI and the app resolve the same folder, so `vigil` commands
// see what the tray app monitors (and the other way round).
import { homedir } from 'node:os';
import { posix, resolve, win32 } from 'node:path';
import { InputError } from '../core/errors';

/** The app name Electron derives userData from; the shell must use the same (app.setName). */
export const APP_NAME = 'Vigil';

/** The database file inside the data dir. */
export const DATABASE_FILE = 'vigil.db';

export interface DataDirOptions {
  /** `--data-dir`: wins over everything, resolved against the working directory. */
  readonly dataDir?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** The user's home directory; defaults to os.homedir(). */
  readonly homeDir?: string;
}

/**
 * The data dir: `--data-dir` if given, else $VIGIL_DATA_DIR if set and non-empty, else the
 * folder Electron's app.getPath('userData') gives an app named "Vigil":
 * Linux `$XDG_CONFIG_HOME/Vigil` or `~/.config/Vigil`, macOS
 * `~/Library/Application Support/Vigil`, Windows `%APPDATA%\Vigil`. Creates nothing.
 * Throws InputError INVALID_INPUT for an empty `--data-dir`.
 */
export function resolveDataDir(options: DataDirOptions): string {
  if (options.dataDir !== undefined) {
    if (options.dataDir === '')
      throw new InputError('INVALID_INPUT', '--data-dir must not be empty');
    return resolve(options.dataDir);
  }
  const fromEnv = options.env['VIGIL_DATA_DIR'];
  if (fromEnv) return resolve(fromEnv);
  const home = options.homeDir ?? homedir();
  const env = options.env;
  switch (options.platform) {
    case 'win32':
      return win32.join(env['APPDATA'] || win32.join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return posix.join(home, 'Library', 'Application Support', APP_NAME);
    default:
      // Chromium's GetXDGDirectory: the variable when set and non-empty, else ~/.config.
      return posix.join(env['XDG_CONFIG_HOME'] || posix.join(home, '.config'), APP_NAME);
  }
}

/** The database file in `dataDir`, joined with the separator of `platform`. */
export function databasePath(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): string {
  return (platform === 'win32' ? win32 : posix).join(dataDir, DATABASE_FILE);
}
