import { describe, expect, it } from 'vitest';
import { THEME_STORAGE_KEY, ThemeState } from '../../../../renderer/src/lib/state/theme.svelte';
import { ToastsState, TOAST_MS } from '../../../../renderer/src/lib/state/toasts.svelte';

function host(stored: string | null) {
  const items = new Map<string, string>(stored === null ? [] : [[THEME_STORAGE_KEY, stored]]);
  return {
    storage: {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    },
    root: { dataset: {} as Record<string, string | undefined> },
    items,
  };
}

describe('ThemeState', () => {
  it('follows the OS until a theme is chosen, and keeps the choice', () => {
    const h = host(null);
    const theme = new ThemeState(h);
    expect(theme.setting).toBe('system');
    expect(h.root.dataset.theme).toBeUndefined();
    theme.set('dark');
    expect(h.root.dataset.theme).toBe('dark');
    expect(h.items.get(THEME_STORAGE_KEY)).toBe('dark');
    expect(new ThemeState(h).setting).toBe('dark');
    theme.set('system');
    expect(h.root.dataset.theme).toBeUndefined();
  });

  it('treats an unknown stored value, or storage that throws, as system', () => {
    expect(new ThemeState(host('purple')).setting).toBe('system');
    const broken = {
      storage: {
        getItem: () => {
          throw new Error('denied');
        },
        setItem: () => {
          throw new Error('denied');
        },
      },
      root: { dataset: {} as Record<string, string | undefined> },
    };
    const theme = new ThemeState(broken);
    theme.set('light');
    expect(broken.root.dataset.theme).toBe('light');
  });
});

describe('ToastsState', () => {
  it('closes confirmations after a while and keeps errors until dismissed', () => {
    const timers: { fn: () => void; ms: number }[] = [];
    const toasts = new ToastsState({ setTimeout: (fn, ms) => timers.push({ fn, ms }) });
    toasts.show('3 alerts acknowledged');
    const err = toasts.error({ code: 'NOT_FOUND', message: 'alert 9 not found' });
    expect(timers.map((t) => t.ms)).toEqual([TOAST_MS]);
    timers[0]!.fn();
    expect(toasts.toasts.map((t) => t.text)).toEqual(['alert 9 not found (NOT_FOUND)']);
    toasts.dismiss(err);
    expect(toasts.toasts).toEqual([]);
  });
});
