// The tray icon: its colour says whether Vigil needs the user (alerts), is failing (a log
// error), is paused, or is fine; its menu opens the window and controls monitoring.
import { join } from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { StatusView } from '../../shared/domain';

export type TrayState = 'ok' | 'alert' | 'error' | 'paused';

const TOOLTIPS: Readonly<Record<TrayState, string>> = {
  ok: 'Vigil: watching',
  alert: 'Vigil: alerts to review',
  error: 'Vigil: a log cannot be checked',
  paused: 'Vigil: paused',
};

/**
 * What the tray shows for `status`: untriaged alerts first (they need the user), then log
 * errors, then paused, else ok.
 */
export function trayStateOf(status: StatusView): TrayState {
  if (status.alerts.new > 0) return 'alert';
  if (status.logs.some((log) => log.lastError !== null)) return 'error';
  if (status.paused) return 'paused';
  return 'ok';
}

export interface TrayActions {
  open(): void;
  checkNow(): void;
  setPaused(paused: boolean): void;
  quit(): void;
}

export interface VigilTray {
  /** Shows `status`: the icon and tooltip of its state, and pause or resume in the menu. */
  show(status: StatusView): void;
  destroy(): void;
}

/** Creates the tray icon. `iconDir` holds tray-<state>.png (and @2x) for every TrayState. */
export function createTray(iconDir: string, actions: TrayActions): VigilTray {
  const icon = (state: TrayState) => nativeImage.createFromPath(join(iconDir, `tray-${state}.png`));
  const tray = new Tray(icon('ok'));
  tray.on('click', () => actions.open());
  const show = (status: StatusView) => {
    const state = trayStateOf(status);
    tray.setImage(icon(state));
    tray.setToolTip(TOOLTIPS[state]);
    const paused = status.paused;
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Vigil', click: () => actions.open() },
        { label: 'Check now', enabled: !paused, click: () => actions.checkNow() },
        paused
          ? { label: 'Resume monitoring', click: () => actions.setPaused(false) }
          : { label: 'Pause monitoring', click: () => actions.setPaused(true) },
        { type: 'separator' },
        { label: 'Quit Vigil', click: () => actions.quit() },
      ]),
    );
  };
  tray.setToolTip(TOOLTIPS.ok);
  return { show, destroy: () => tray.destroy() };
}
