import { describe, expect, it, vi } from 'vitest';
import type { LogHealth, StatusView } from '../../../shared/domain';

vi.mock('electron', () => ({}));
const { trayStateOf } = await import('../../../electron/app/tray');

const log = (over: Partial<LogHealth> = {}): LogHealth => ({
  origin: 'log2025-1.rekor.sigstore.dev',
  apiVersion: 2,
  state: 'active',
  verifiedTreeSize: 10,
  verifiedAtMs: 1,
  nextIndex: 10,
  backlog: 0,
  lastError: null,
  paused: false,
  checkpointKeyName: 'log2025-1.rekor.sigstore.dev',
  ...over,
});

const status = (over: Partial<StatusView> = {}): StatusView => ({
  dataDir: '/data',
  trust: null,
  logs: [log()],
  watches: 1,
  alerts: { new: 0 },
  paused: false,
  ...over,
});

const unreachable = { code: 'LOG_UNREACHABLE', message: 'connect refused' } as const;

describe('trayStateOf', () => {
  it.each([
    { desc: 'all is well', status: status(), want: 'ok' },
    { desc: 'alerts wait', status: status({ alerts: { new: 2 } }), want: 'alert' },
    {
      desc: 'a log fails',
      status: status({ logs: [log({ lastError: unreachable })] }),
      want: 'error',
    },
    { desc: 'paused', status: status({ paused: true }), want: 'paused' },
    {
      desc: 'alerts wait while a log fails and monitoring is paused',
      status: status({ alerts: { new: 1 }, logs: [log({ lastError: unreachable })], paused: true }),
      want: 'alert',
    },
  ])('shows $want when $desc', ({ status, want }) => {
    expect(trayStateOf(status)).toBe(want);
  });
});
