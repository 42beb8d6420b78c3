// Matching on the worker thread must find exactly what matching on the scanning thread finds,
// follow watchlist changes, and fail (never hang) when the worker dies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import viteConfig from '../../../../electron.vite.config';
import { decodeBase64Strict } from '../../../../electron/core/bytes';
import { parseTrustedRoot } from '../../../../electron/core/trust/trusted-root';
import { parseWatchlist } from '../../../../electron/core/watch/watchlist';
import { MATCH_WORKER } from '../../../../electron/cli/monitor-flags';
import {
  MatchWorker,
  matchOnThisThread,
  type MatcherSource,
} from '../../../../electron/monitor/jobs/entry-matching';
import { createEntryMatcher } from '../../../../electron/monitor/jobs/match-entry';
import type { ScannedEntry } from '../../../../electron/monitor/jobs/tree';
import { createTestCa, entryBodyFor } from '../../../../electron/demo/cert-factory';
import { loadProductionEntries } from '../../core/watch/realdata';

const ORIGIN = 'rekor.sigstore.dev - 1193050959916656506';
const real = loadProductionEntries();
const productionRoot = parseTrustedRoot(
  JSON.parse(
    readFileSync(
      new URL('../../../fixtures/realdata/trust/trusted_root.production.json', import.meta.url),
      'utf8',
    ),
  ),
);
const ca = createTestCa();
const trust = {
  certificateAuthorities: [...productionRoot.certificateAuthorities, ca.toCertificateAuthority()],
};

/** Watches on identities of the real entries: a SAN, a key, and one nobody signs as. */
const firstSan = real.flatMap((e) => e.signers).find((s) => s.san?.length)!.san![0]!.value;
const firstKey = real.flatMap((e) => e.signers).find((s) => s.type === 'publicKey')!.spkiSha256Hex!;
const source = (yaml: string): MatcherSource => ({
  watches: parseWatchlist(`version: 1\nwatches:\n${yaml}`).watches,
  trust,
});
const watching = source(
  `  - san: '${firstSan}'\n  - key: ${firstKey}\n  - email: nobody@acme.example\n`,
);

/**
 * Every real entry (with its integrated time where it has one), an entry of a test CA, and
 * bytes that are no entry at all: matches, non-matches and problems.
 */
const entries: ScannedEntry[] = [
  ...real.map((e, index) => ({
    index,
    bytes: decodeBase64Strict(e.bodyB64)!,
    leafHash: new Uint8Array(32),
    ...(e.integratedTime > 0 && { integratedTimeMs: e.integratedTime * 1000 }),
  })),
  {
    index: real.length,
    bytes: entryBodyFor(
      ca.issueLeaf({ sans: [{ type: 'email', value: 'nobody@acme.example' }] }),
      'hashedrekord@0.0.2',
    ),
    leafHash: new Uint8Array(32),
  },
  {
    index: real.length + 1,
    bytes: new TextEncoder().encode('{"not":"an entry"'),
    leafHash: new Uint8Array(32),
  },
];

const onThisThread = (s: MatcherSource) =>
  matchOnThisThread(createEntryMatcher(s.watches, s.trust));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A worker script (ES module) with the given body, in a fresh temporary directory. */
function workerScript(body: string): URL {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-match-worker-'));
  dirs.push(dir);
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, body);
  return pathToFileURL(file);
}

describe('MatchWorker', () => {
  it('finds exactly the matches and problems that matching on this thread finds', async () => {
    const want = await onThisThread(watching).match(entries, ORIGIN);
    expect(want.filter((m) => m.result.matches.length > 0).length).toBeGreaterThanOrEqual(2);
    expect(want.some((m) => m.result.problem !== undefined)).toBe(true);
    const worker = new MatchWorker(MATCH_WORKER);
    try {
      expect(await worker.matching(watching).match(entries, ORIGIN)).toEqual(want);
      // In parts, as a scan sends them: positions are per part.
      const parts = [entries.slice(0, 50), entries.slice(50)];
      const got = await Promise.all(parts.map((p) => worker.matching(watching).match(p, ORIGIN)));
      expect([...got[0]!, ...got[1]!.map((m) => ({ ...m, position: m.position + 50 }))]).toEqual(
        want,
      );
    } finally {
      await worker.close();
    }
  });

  it('works as the app builds it: bundled JavaScript, without tsx', async () => {
    // The entry the app's build makes into out/main/match-worker.js, which main.ts loads.
    const input = (viteConfig.main?.build?.rollupOptions?.input as Record<string, string>)[
      'match-worker'
    ];
    expect(input).toBe('electron/monitor/jobs/match-worker.ts');
    const outDir = mkdtempSync(join(tmpdir(), 'vigil-match-worker-build-'));
    dirs.push(outDir);
    await build({
      configFile: false,
      logLevel: 'error',
      ssr: { noExternal: true },
      build: {
        ssr: input,
        outDir,
        rollupOptions: { output: { format: 'es', entryFileNames: 'match-worker.mjs' } },
      },
    });
    const worker = new MatchWorker(pathToFileURL(join(outDir, 'match-worker.mjs')));
    try {
      expect(await worker.matching(watching).match(entries, ORIGIN)).toEqual(
        await onThisThread(watching).match(entries, ORIGIN),
      );
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('matches against the latest watchlist it was given', async () => {
    const worker = new MatchWorker(MATCH_WORKER);
    try {
      const before = await worker.matching(watching).match(entries, ORIGIN);
      const other = source('  - email: nobody@acme.example\n');
      const after = await worker.matching(other).match(entries, ORIGIN);
      expect(after).toEqual(await onThisThread(other).match(entries, ORIGIN));
      expect(after.filter((m) => m.result.matches.length > 0)).toEqual([
        expect.objectContaining({ position: real.length }),
      ]);
      expect(after).not.toEqual(before);
      // And back: the source goes with the first request after every change.
      expect(await worker.matching(watching).match(entries, ORIGIN)).toEqual(before);
    } finally {
      await worker.close();
    }
  });

  it('fails a part it cannot send, and sends the watchlist again with the next', async () => {
    const worker = new MatchWorker(MATCH_WORKER);
    try {
      const uncloneable = { ...watching, trust: { certificateAuthorities: [], f: () => 1 } };
      await expect(worker.matching(uncloneable).match(entries, ORIGIN)).rejects.toThrow(
        /could not be cloned/,
      );
      expect(await worker.matching(watching).match(entries, ORIGIN)).toEqual(
        await onThisThread(watching).match(entries, ORIGIN),
      );
    } finally {
      await worker.close();
    }
  });

  it('does not keep the process alive once idle, even after a part it could not send', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-match-idle-'));
    dirs.push(dir);
    const script = join(dir, 'idle.mts');
    const module = (path: string) => JSON.stringify(pathToFileURL(join(process.cwd(), path)).href);
    writeFileSync(
      script,
      [
        `import { MatchWorker } from ${module('electron/monitor/jobs/entry-matching.ts')};`,
        `import { MATCH_WORKER } from ${module('electron/cli/monitor-flags.ts')};`,
        'const worker = new MatchWorker(MATCH_WORKER);',
        'const trust = { certificateAuthorities: [] };',
        'const bad = { watches: [], trust: { ...trust, f: () => 1 } };',
        'const entry = { index: 0, bytes: new Uint8Array([1]), leafHash: new Uint8Array(32) };',
        "await worker.matching(bad).match([entry], 'o').catch(() => undefined);",
        "const watch = { name: 'e', rule: { kind: 'email', address: 'a@b.c' }, enabled: true };",
        "const found = await worker.matching({ watches: [watch], trust }).match([entry], 'o');",
        'console.log(JSON.stringify(found.map((m) => m.position)));',
        '',
      ].join('\n'),
    );
    // Exits by itself (no close, no process.exit) once the worker is idle.
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: '[0]\n' });
  }, 40_000);

  it('fails the parts of a worker that exits, and starts a new worker for the next', async () => {
    const worker = new MatchWorker(
      workerScript(
        "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n",
      ),
    );
    try {
      const first = worker.matching(watching).match(entries, ORIGIN);
      const second = worker.matching(watching).match(entries, ORIGIN);
      await expect(first).rejects.toThrow('the matching worker exited with code 3');
      await expect(second).rejects.toThrow('the matching worker exited with code 3');
      // A dead worker is not reused: this one starts, and exits, anew.
      await expect(worker.matching(watching).match(entries, ORIGIN)).rejects.toThrow(
        'exited with code 3',
      );
    } finally {
      await worker.close();
    }
  });

  it('fails a part whose matching throws, with the worker’s message', async () => {
    const worker = new MatchWorker(
      workerScript(
        "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('parser bug'); });\n",
      ),
    );
    try {
      await expect(worker.matching(watching).match(entries, ORIGIN)).rejects.toThrow('parser bug');
    } finally {
      await worker.close();
    }
  });

  it('passes on a failure the worker reports for one part, and answers the next', async () => {
    const worker = new MatchWorker(
      workerScript(
        [
          "import { parentPort } from 'node:worker_threads';",
          'let n = 0;',
          "parentPort.on('message', (r) => parentPort.postMessage(n++ === 0",
          "  ? { id: r.id, failure: { message: 'out of cheese' } }",
          '  : { id: r.id, matched: [] }));',
          '',
        ].join('\n'),
      ),
    );
    try {
      await expect(worker.matching(watching).match(entries, ORIGIN)).rejects.toThrow(
        'matching failed: out of cheese',
      );
      await expect(worker.matching(watching).match(entries, ORIGIN)).resolves.toEqual([]);
    } finally {
      await worker.close();
    }
  });
});
