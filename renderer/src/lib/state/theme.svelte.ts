// The theme setting (system, light or dark), kept by the renderer in its own storage (the engine
// has no say in how the window looks). `system` follows the OS through CSS (color-scheme: light
// dark); light and dark pin it with data-theme on the root element (lib/design/tokens.css).

export type ThemeSetting = 'system' | 'light' | 'dark';

export const THEME_SETTINGS: readonly ThemeSetting[] = ['system', 'light', 'dark'];

export const THEME_STORAGE_KEY = 'vigil.theme';

/** What ThemeState needs from the page (tests pass fakes). */
export interface ThemeHost {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The element whose data-theme pins the scheme (document.documentElement). */
  readonly root: { dataset: DOMStringMap };
}

function isThemeSetting(value: unknown): value is ThemeSetting {
  return typeof value === 'string' && (THEME_SETTINGS as readonly string[]).includes(value);
}

export class ThemeState {
  setting = $state.raw<ThemeSetting>('system');
  #host: ThemeHost;

  /** Reads the stored setting (anything unreadable or unknown is `system`) and applies it. */
  constructor(host: ThemeHost) {
    this.#host = host;
    let stored: string | null = null;
    try {
      stored = host.storage?.getItem(THEME_STORAGE_KEY) ?? null;
    } catch {
      // Storage can be disabled (privacy settings): the theme then lasts for this page only.
    }
    this.#apply(isThemeSetting(stored) ? stored : 'system');
  }

  /** Applies and keeps the setting. */
  set(setting: ThemeSetting): void {
    this.#apply(setting);
    try {
      this.#host.storage?.setItem(THEME_STORAGE_KEY, setting);
    } catch {
      // See the constructor: not kept, still applied.
    }
  }

  #apply(setting: ThemeSetting): void {
    this.setting = setting;
    if (setting === 'system') delete this.#host.root.dataset.theme;
    else this.#host.root.dataset.theme = setting;
  }
}
