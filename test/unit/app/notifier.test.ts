import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertView } from '../../../shared/domain';

const shown: { options: Record<string, unknown>; handlers: Map<string, () => void> }[] = [];
let supported = true;

vi.mock('electron', () => {
  class Notification {
    static isSupported = () => supported;
    handlers = new Map<string, () => void>();
    constructor(readonly options: Record<string, unknown>) {}
    on(name: string, fn: () => void) {
      this.handlers.set(name, fn);
    }
    show() {
      shown.push({ options: this.options, handlers: this.handlers });
    }
  }
  return { Notification };
});

const { createElectronNotifier } = await import('../../../electron/app/notifier');

const alert: AlertView = {
  id: 42,
  kind: 'match',
  severity: 'high',
  title: 'unexpected signing for github:acme/widget',
  body: 'identity: https://github.com/acme/widget/.github/workflows/evil.yml@refs/heads/main',
  raisedAtMs: 1,
  state: 'new',
};

beforeEach(() => {
  shown.length = 0;
  supported = true;
});

describe('createElectronNotifier', () => {
  it("shows the alert's title and body as a critical notification when it is high", async () => {
    await createElectronNotifier(vi.fn()).notify(alert);
    expect(shown[0]?.options).toEqual({
      title: alert.title,
      body: alert.body,
      urgency: 'critical',
    });
  });

  it('opens the alert when the notification is clicked', async () => {
    const onClick = vi.fn();
    await createElectronNotifier(onClick).notify(alert);
    shown[0]!.handlers.get('click')!();
    expect(onClick).toHaveBeenCalledWith(42);
  });

  it('shows nothing and resolves when the OS has no notifications', async () => {
    supported = false;
    await createElectronNotifier(vi.fn()).notify(alert);
    expect(shown).toEqual([]);
  });
});
