// Evidence files must be exactly what `vigil verify` accepts: checked here with the verify
// module and with the command itself against a trusted root file for the synthetic log keys.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyCommand } from '../../../../electron/cli/commands/verify';
import { EXIT } from '../../../../electron/cli/command';
import { parseInputText } from '../../../../electron/core/verify/input';
import { verifyInput } from '../../../../electron/core/verify/verify';
import {
  evidenceFileName,
  exportEvidence,
  toTransparencyLogEntry,
} from '../../../../electron/monitor/export/evidence';
import { MANIFEST_NAME, type Manifest } from '../../../../electron/monitor/export/manifest';
import { openDatabase, openStores, type Stores } from '../../../../electron/monitor/store/index';
import { T0, seedMatches, syntheticLog, type SyntheticLog } from './synthetic-log';

let db: Database;
let stores: Stores;
let dir: string;
let v1: SyntheticLog;
let v2: SyntheticLog;

beforeEach(async () => {
  db = openDatabase(':memory:');
  stores = openStores(db);
  dir = await mkdtemp(join(tmpdir(), 'vigil-evidence-'));
  v1 = syntheticLog(1);
  v2 = syntheticLog(2);
  // Several batches, so older matches are proven against older (smaller) checkpoints.
  seedMatches(stores, v1, [{ watchName: 'github:acme/widget', classification: 'unexpected' }]);
  seedMatches(stores, v2, [
    { watchName: 'github:acme/widget', classification: 'unexpected' },
    { watchName: 'github:acme/other', classification: 'untrusted' },
  ]);
  seedMatches(stores, v1, [
    { watchName: 'github:acme/widget', classification: 'expected' },
    { watchName: 'github:acme/widget', classification: 'unexpected' },
  ]);
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const trustedLogs = () => [...v1.logs, ...v2.logs];
const readJson = async <T>(name: string) =>
  JSON.parse(await readFile(join(dir, name), 'utf8')) as T;

describe('exportEvidence', () => {
  it('writes one TransparencyLogEntry per match that the verify module accepts offline', async () => {
    await exportEvidence(stores, dir, { logs: trustedLogs(), nowMs: T0 });

    for (let id = 1; id <= 5; id++) {
      const match = stores.matches.get(id)!;
      const inputs = parseInputText(await readFile(join(dir, evidenceFileName(id)), 'utf8'));
      expect(inputs).toHaveLength(1);
      const result = verifyInput(inputs[0]!, { logs: trustedLogs(), nowMs: T0 });
      expect(result).toMatchObject({
        ok: true,
        type: 'entry',
        origin: match.origin,
        logIndex: match.logIndex,
        treeSize: match.checkpoint.treeSize,
        checks: ['checkpoint-signature', 'inclusion-proof'],
      });
    }
  });

  it('writes the protobuf-JSON fields Sigstore uses, with shard-local proof indices for v1', () => {
    const match = stores.matches.get(5)!; // v1, tree index 2, global index 1002
    const tle = toTransparencyLogEntry(match, trustedLogs());
    expect(tle).toEqual({
      logIndex: '1002',
      logId: { keyId: Buffer.from(v1.logs[0]!.logIdHex, 'hex').toString('base64') },
      kindVersion: { kind: 'hashedrekord', version: '0.0.1' },
      integratedTime: String(T0 / 1000),
      inclusionProof: {
        logIndex: '2',
        rootHash: Buffer.from(v1.tree.root(3)).toString('base64'),
        treeSize: '3',
        hashes: v1.tree.inclusionProof(2, 3).map((h) => Buffer.from(h).toString('base64')),
        // ECDSA signatures are randomised: the stored note, not a fresh signature.
        checkpoint: { envelope: stores.checkpoints.get(v1.origin, 3)!.signedNote },
      },
      canonicalizedBody: Buffer.from(v1.tree.entry(2)).toString('base64'),
    });
    const v2Entry = toTransparencyLogEntry(stores.matches.get(2)!, trustedLogs());
    expect(v2Entry).not.toHaveProperty('integratedTime');
    expect(v2Entry.inclusionProof.logIndex).toBe(v2Entry.logIndex);
  });

  it('lists every file in manifest.json, written last, with its SHA-256 and size', async () => {
    const progress: number[] = [];
    const manifestFile = await exportEvidence(stores, dir, {
      logs: trustedLogs(),
      nowMs: T0 + 5,
      onProgress: (n) => progress.push(n),
    });

    const manifest = await readJson<Manifest>(MANIFEST_NAME);
    expect(manifest.format).toBe('vigil-export-manifest/v1');
    expect(manifest.createdAtMs).toBe(T0 + 5);
    expect(manifest.files.map((f) => [f.path, f.matchId, f.origin, f.logIndex])).toEqual([
      ['match-1.json', 1, v1.origin, 1000],
      ['match-2.json', 2, v2.origin, 0],
      ['match-3.json', 3, v2.origin, 1],
      ['match-4.json', 4, v1.origin, 1001],
      ['match-5.json', 5, v1.origin, 1002],
    ]);
    for (const f of manifest.files) {
      const bytes = await readFile(join(dir, f.path));
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.bytes).toBe(bytes.length);
    }
    expect((await readdir(dir)).sort()).toEqual(
      [MANIFEST_NAME, ...manifest.files.map((f) => f.path)].sort(),
    );
    const manifestBytes = await readFile(join(dir, MANIFEST_NAME));
    expect(manifestFile.sha256Hex).toBe(createHash('sha256').update(manifestBytes).digest('hex'));
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves no manifest behind when a match cannot be exported', async () => {
    await exportEvidence(stores, dir, { logs: trustedLogs(), nowMs: T0 });
    // A stale manifest from that export must not survive a failed one.
    const run = exportEvidence(stores, dir, { logs: v1.logs, nowMs: T0 });
    await expect(run).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(
        /^match 2: its checkpoint is signed by log\.example\.test\+[0-9a-f]{8}, not by a trusted log$/,
      ),
    });
    expect(await readdir(dir)).not.toContain(MANIFEST_NAME);
    expect((await readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('exports only the chosen matches', async () => {
    await exportEvidence(stores, dir, { logs: trustedLogs(), nowMs: T0, matchIds: [4] });
    expect((await readJson<Manifest>(MANIFEST_NAME)).files.map((f) => f.path)).toEqual([
      'match-4.json',
    ]);
  });

  it('writes an empty manifest when there are no matches', async () => {
    const empty = openStores(openDatabase(':memory:'));
    await exportEvidence(empty, dir, { logs: trustedLogs(), nowMs: T0 });
    expect(await readJson<Manifest>(MANIFEST_NAME)).toEqual({
      format: 'vigil-export-manifest/v1',
      createdAtMs: T0,
      files: [],
    });
    empty.db.close();
  });
});

describe('vigil verify on an evidence bundle', () => {
  async function runVerify(
    args: string[],
  ): Promise<{ code: number; lines: Record<string, unknown>[] }> {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const code = await verifyCommand.run(args, {
      stdout,
      stderr: new PassThrough(),
      stdin: Readable.from([]),
      env: {},
    });
    const text = Buffer.concat(chunks).toString('utf8');
    return {
      code,
      lines: text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    };
  }

  it('verifies every evidence file against a trusted root file for the log keys', async () => {
    await exportEvidence(stores, dir, { logs: trustedLogs(), nowMs: T0 });
    const root = v1.trustedRootJson as { tlogs: unknown[] };
    const both = {
      ...root,
      tlogs: [...root.tlogs, ...(v2.trustedRootJson as { tlogs: unknown[] }).tlogs],
    };
    const rootPath = join(dir, '..', `${dir.split('/').at(-1)}-root.json`);
    await writeFile(rootPath, JSON.stringify(both));
    try {
      const manifest = await readJson<Manifest>(MANIFEST_NAME);
      const files = manifest.files.map((f) => join(dir, f.path));

      const { code, lines } = await runVerify(['--trusted-root', rootPath, ...files]);

      expect(code).toBe(EXIT.OK);
      expect(lines).toHaveLength(5);
      expect(lines.every((l) => l.ok === true && l.type === 'entry')).toBe(true);

      // The same file with one digit of the entry's digest changed must fail.
      const tampered = await readJson<{ canonicalizedBody: string }>('match-1.json');
      const body = Buffer.from(tampered.canonicalizedBody, 'base64').toString('utf8');
      const altered = body.replace(/"value":"(.)/, (_, c) => `"value":"${c === '0' ? '1' : '0'}`);
      expect(altered).not.toBe(body);
      tampered.canonicalizedBody = Buffer.from(altered).toString('base64');
      await writeFile(files[0]!, JSON.stringify(tampered));
      const again = await runVerify(['--trusted-root', rootPath, files[0]!]);
      expect(again.code).toBe(EXIT.VERIFICATION_FAILED);
      expect(again.lines[0]).toMatchObject({
        ok: false,
        error: { code: 'INCLUSION_PROOF_INVALID' },
      });
    } finally {
      await rm(rootPath, { force: true });
    }
  });
});
