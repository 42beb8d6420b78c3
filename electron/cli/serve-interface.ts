// Serves the user interface to a browser on this machine over an open monitor: the web bridge
// on 127.0.0.1 with a fresh token, until the signal aborts; optionally monitoring meanwhile.
// Used by `vigil serve` and `vigil demo`.
import { fileURLToPath } from 'node:url';
import { UsageError, type CliIo } from './command';
import type { MonitorService } from '../monitor/service';
import { exportDirUnder } from '../web/export-dir';
import { createHandlers } from '../web/handlers';
import { startWebBridge } from '../web/server';

/** The renderer `npm run build` (electron-vite build) writes, seen from the sources. */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface ServeOptions {
  readonly port: number;
  readonly signal: AbortSignal;
  /** Monitor the logs this often while serving; undefined: serve only. */
  readonly monitorIntervalMs?: number;
  /** Called with the URL (token included) once the bridge listens. */
  readonly onListening?: (url: string) => void;
}

export async function serveInterface(
  service: MonitorService,
  io: CliIo,
  options: ServeOptions,
): Promise<void> {
  const bridge = await startWebBridge({
    handlers: createHandlers(service, {
      exportDir: async (format) => exportDirUnder(service.dataDir, format, Date.now()),
    }),
    subscribe: (emit) => service.on((event) => emit('monitor:event', event)),
    rendererDir: io.runtime?.rendererDir ?? RENDERER_DIR,
    port: options.port,
    log: (err) => io.stderr.write(`serve: ${err instanceof Error ? err.stack : String(err)}\n`),
  });
  io.stdout.write(`Vigil is serving ${service.dataDir} at\n\n  ${bridge.url}\n\n`);
  io.stderr.write(
    'Only this machine can connect, and only with the token in that URL. Ctrl-C stops.\n',
  );
  options.onListening?.(bridge.url);
  try {
    if (options.monitorIntervalMs === undefined) await aborted(options.signal);
    else
      await service.monitoring.start({
        intervalMs: options.monitorIntervalMs,
        signal: options.signal,
      });
  } finally {
    await bridge.close();
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `--port`: 0 (any free port, the default) to 65535. Throws UsageError. */
export function portFrom(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text) || Number(text) > 65535) {
    throw new UsageError(`--port ${text}: want a port number 0..65535`);
  }
  return Number(text);
}
