import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, type CliIo } from '../../../../electron/cli/command';
import { serveCommand } from '../../../../electron/cli/commands/serve';
import { main } from '../../../../electron/cli/main';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-serve-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `vigil serve args` until `stop` is called; `url` resolves when the URL is printed. */
function serve(args: readonly string[]) {
  const controller = new AbortController();
  let stdout = '';
  let printed!: (url: string) => void;
  const url = new Promise<string>((resolve) => (printed = resolve));
  const io: CliIo = {
    stdout: new Writable({
      write(chunk: Buffer, _enc, done) {
        stdout += chunk.toString('utf8');
        const found = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\//.exec(stdout);
        if (found) printed(found[0]);
        done();
      },
    }),
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    stdin: new PassThrough(),
    env: { VIGIL_DATA_DIR: '/nonexistent/vigil' },
    signal: controller.signal,
  };
  const code = serveCommand.run(args, io);
  return { url, code, stop: () => controller.abort() };
}

describe('vigil serve', () => {
  it('serves the data dir on a loopback URL with a token until interrupted', async () => {
    const run = serve(['--no-monitor', '--data-dir', dir]);
    const url = await run.url;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const refused = await fetch(new URL('/', url));
    expect(refused.status).toBe(403);
    const status = await fetch(`${url}api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(url).origin },
      body: JSON.stringify({ command: 'status:get', args: [] }),
    });
    expect(await status.json()).toMatchObject({ ok: true, value: { dataDir: dir } });
    run.stop();
    expect(await run.code).toBe(EXIT.OK);
  });

  it.each([
    { args: ['--port', 'http'], want: '--port http: want a port number 0..65535' },
    { args: ['--port', '70000'], want: '--port 70000: want a port number 0..65535' },
    { args: ['--interval', 'soon'], want: '--interval soon: want e.g. 30s, 5m, 1h' },
    { args: ['extra'], want: 'unexpected argument extra' },
  ])('exits 2 when given $args', async ({ args, want }) => {
    let stderr = '';
    const code = await main(['serve', ...args, '--data-dir', dir], {
      stdout: new PassThrough(),
      stderr: new Writable({
        write(chunk: Buffer, _enc, done) {
          stderr += chunk.toString('utf8');
          done();
        },
      }),
      stdin: new PassThrough(),
      env: {},
    });
    expect(code).toBe(EXIT.USAGE);
    expect(stderr).toContain(want);
  });
});
