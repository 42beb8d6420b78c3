import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT, type CliIo } from '../../../../electron/cli/command';
import { auditVerifyCommand } from '../../../../electron/cli/commands/audit';
import { main } from '../../../../electron/cli/main';
import { openDatabase, openStores } from '../../../../electron/monitor/store/index';
import { encodeHex } from '../../../../electron/core/bytes';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

let dir: string;
let out: Capture;
let err: Capture;
let io: CliIo;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-cli-audit-'));
  out = new Capture();
  err = new Capture();
  // VIGIL_DATA_DIR points elsewhere: --data-dir must win.
  io = {
    stdout: out,
    stderr: err,
    stdin: new PassThrough(),
    env: { VIGIL_DATA_DIR: '/nonexistent' },
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Only this command: the test must not depend on every other command module loading.
vi.mock('../../../../electron/cli/commands/index', () => ({ COMMANDS: [] }));
const vigil = (args: string[], cliIo: CliIo) => main(args, cliIo, [auditVerifyCommand]);

/** A data dir whose database holds `n` audit events; returns the head hash as hex. */
function seed(n: number): string {
  const db = openDatabase(join(dir, 'vigil.db'));
  const stores = openStores(db);
  for (let i = 0; i < n; i++)
    stores.audit.append({ kind: 'error', atMs: 1_000 + i, detail: { i } });
  const head = stores.audit.head();
  db.close();
  return head ? encodeHex(head.hash) : '';
}

describe('vigil audit verify', () => {
  it('exits 0 and prints the head when the chain is intact', async () => {
    const head = seed(5);
    expect(await vigil(['audit', 'verify', '--data-dir', dir], io)).toBe(EXIT.OK);
    expect(out.text).toBe(`audit chain intact: 5 events, head seq 5 hash ${head}\n`);
  });

  it('prints one JSON object with --json', async () => {
    const head = seed(3);
    expect(await vigil(['audit', 'verify', '--data-dir', dir, '--json'], io)).toBe(EXIT.OK);
    expect(JSON.parse(out.text)).toEqual({ intact: true, events: 3, head: { seq: 3, hash: head } });
  });

  it('reads the data dir from VIGIL_DATA_DIR when no flag is given', async () => {
    seed(0);
    const code = await vigil(['audit', 'verify'], { ...io, env: { VIGIL_DATA_DIR: dir } });
    expect(code).toBe(EXIT.OK);
    expect(out.text).toBe('audit chain intact: no events yet\n');
  });

  it('exits 4 naming the broken seq when a row was altered', async () => {
    seed(5);
    const raw = new Database(join(dir, 'vigil.db'));
    raw.exec(
      `DROP TRIGGER audit_events_no_update; UPDATE audit_events SET at_ms = 9 WHERE seq = 3`,
    );
    raw.close();
    expect(await vigil(['audit', 'verify', '--data-dir', dir, '--json'], io)).toBe(
      EXIT.VERIFICATION_FAILED,
    );
    expect(JSON.parse(out.text)).toMatchObject({ intact: false, brokenAtSeq: 3 });

    out.text = '';
    expect(await vigil(['audit', 'verify', '--data-dir', dir], io)).toBe(EXIT.VERIFICATION_FAILED);
    expect(err.text).toMatch(
      /^vigil audit verify: AUDIT_CHAIN_BROKEN: audit chain broken at seq 3: /,
    );
  });

  it('exits 1 when there is no database in the data dir', async () => {
    expect(await vigil(['audit', 'verify', '--data-dir', dir], io)).toBe(EXIT.OPERATIONAL);
    expect(err.text).toMatch(/FILE_UNREADABLE/);
  });

  it('exits 2 for an unexpected argument', async () => {
    expect(await vigil(['audit', 'verify', 'extra'], io)).toBe(EXIT.USAGE);
  });
});
