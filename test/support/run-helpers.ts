// Shared pieces of the `vigil run` integration tests: run the CLI in-process and read its JSON
// lines, start a fake log named after its own URL, write trust material for several fake logs,
// issue GitHub Actions signing certificates, plant signings, and read back what the data dir
// stored.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databasePath } from '../../electron/monitor/paths';
import { openDatabase, openStores, type Stores } from '../../electron/monitor/store/index';
import type { Match } from '../../electron/monitor/store/types';
import {
  DEFAULT_LEAF_NOT_BEFORE_MS,
  entryBodyFor,
  type PlantedKind,
  type TestCa,
} from '../../electron/demo/cert-factory';
import {
  signingCertificate,
  type EmailIdentity,
  type Issuer,
  type SignerSpec,
  type WorkflowIdentity,
} from '../../electron/demo/signers';
import { jsonLines, runCli } from './cli';
import {
  KEY_NAMINGS,
  startFakeLog,
  type FakeLog,
  type FakeLogNaming,
} from '../../electron/demo/fake-log/index';
import { fakeTrustedRoot } from '../../electron/demo/fake-trust';

export {
  GITHUB_ISSUER,
  signingCertificate,
  workflowLeafOptions,
  type EmailIdentity,
  type Issuer,
  type SignerSpec,
  type WorkflowIdentity,
} from '../../electron/demo/signers';

/** Unix seconds of the fake v1 log's entry 0; entry i is integrated i seconds later. */
export const T0_S = DEFAULT_LEAF_NOT_BEFORE_MS / 1000;

/** One line of `--json` output. */
export type JsonLine = Record<string, unknown> & { readonly type?: unknown };

export interface RunResult {
  readonly code: number;
  /** stdout parsed line by line (every line must be JSON when --json is given). */
  readonly lines: readonly JsonLine[];
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `vigil <args>` in this process, with an empty environment. `signal` stops a continuous
 * run (as Ctrl-C does); `onLine` sees each complete stdout line as it is written.
 */
export async function runVigil(
  args: readonly string[],
  options: { signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<RunResult> {
  const result = await runCli(args, options);
  return {
    code: result.code,
    lines: parseJsonLines(result.stdout),
    out: result.stdout,
    err: result.stderr,
  };
}

/** Parses JSON lines; throws (failing the test) on a line that is not a JSON object. */
export const parseJsonLines = (text: string): JsonLine[] => jsonLines(text);

export const linesOf = (result: { lines: readonly JsonLine[] }, type: string) =>
  result.lines.filter((l) => l.type === type);

/**
 * A fake log named after its URL by `naming` (default: the v1 key name and the v2 origin are
 * the URL's hostname, as sigstore-go expects), the tlog-tiles log at `/v2`. v1 entry i is
 * integrated at T0_S + i.
 */
export function startNamedFakeLog(naming: FakeLogNaming = KEY_NAMINGS[0]!): Promise<FakeLog> {
  return startFakeLog({
    naming,
    v1: { integratedTime: (i) => T0_S + i },
    v2: { prefix: '/v2' },
  });
}

/**
 * Writes one trusted_root.json naming the Rekor v1 and tlog-tiles keys of every given fake log
 * and the test CA; returns its path. `v2ValidUntilMs` ends a tiles log's key window (by its
 * origin), which retires that log.
 */
export function writeTrustedRootFor(
  dir: string,
  logs: readonly FakeLog[],
  ca: TestCa,
  options: { v2ValidUntilMs?: Readonly<Record<string, number>> } = {},
): string {
  const roots = logs.map((log) => fakeTrustedRoot(log, ca));
  const tlogs = roots.flatMap((r) => r['tlogs'] as Record<string, unknown>[]);
  const originByUrl = new Map(
    logs.flatMap((log) => log.tilesLogs.map((t) => [`${log.url}${t.prefix}`, t.origin] as const)),
  );
  for (const tlog of tlogs) {
    const origin = originByUrl.get(tlog['baseUrl'] as string);
    const end = origin === undefined ? undefined : options.v2ValidUntilMs?.[origin];
    if (end !== undefined) {
      const key = tlog['publicKey'] as Record<string, unknown>;
      tlog['publicKey'] = {
        ...key,
        validFor: { start: '2020-01-01T00:00:00Z', end: new Date(end).toISOString() },
      };
    }
  }
  const path = join(dir, 'trusted_root.json');
  writeFileSync(path, JSON.stringify({ ...roots[0], tlogs }, null, 2));
  return path;
}

/** A match as compared across runs: (origin, logIndex, watch, classification). */
export interface MatchKey {
  readonly origin: string;
  readonly logIndex: number;
  readonly watch: string;
  readonly classification: string;
}

/** Stable text of a match key, for sorting, sets and readable diffs. */
export const keyText = (k: MatchKey) => `${k.origin}#${k.logIndex} ${k.watch} ${k.classification}`;

/** The match keys of a run's `match` lines, in output order (duplicates kept). */
export function matchKeysOf(lines: readonly JsonLine[]): string[] {
  return lines
    .filter((l) => l.type === 'match')
    .map((l) =>
      keyText({
        origin: l['origin'] as string,
        logIndex: l['logIndex'] as number,
        watch: l['watch'] as string,
        classification: l['classification'] as string,
      }),
    );
}

/**
 * Plants signings into a fake log and remembers the matches they must produce, so a test can
 * compare the union of what runs reported with exactly what was planted.
 */
export class Planter {
  readonly expected: string[] = [];

  constructor(
    readonly log: FakeLog,
    readonly ca: TestCa,
  ) {}

  /**
   * Appends one Rekor v1 entry signed as `id` and returns its global index. `want` is the match
   * it must produce, as [watch, classification], or null when nothing may match.
   */
  v1(
    kind: PlantedKind,
    id: SignerSpec,
    issuer: Issuer,
    want: readonly [string, string] | null,
  ): number {
    const index = this.log.v1.size;
    const cert = signingCertificate(this.ca, id, issuer, T0_S + index);
    this.log.v1.append([entryBodyFor(cert, kind)]);
    if (want) this.#expect(this.log.v1.origin(), index, want);
    return index;
  }

  /** Appends one entry to a tlog-tiles log (default: the first) and returns its index. */
  v2(
    id: SignerSpec,
    issuer: Issuer,
    want: readonly [string, string] | null,
    tiles = this.log.v2,
  ): number {
    const cert = signingCertificate(this.ca, id, issuer);
    const index = tiles.append([entryBodyFor(cert, 'hashedrekord@0.0.2')]);
    if (want) this.#expect(tiles.origin, index, want);
    return index;
  }

  #expect(origin: string, logIndex: number, [watch, classification]: readonly [string, string]) {
    this.expected.push(keyText({ origin, logIndex, watch, classification }));
  }
}

/** Opens a data dir's database (after the runs ended), runs `fn`, closes it. */
export function withStores<T>(dataDir: string, fn: (stores: Stores) => T): T {
  const db = openDatabase(databasePath(dataDir));
  try {
    return fn(openStores(db));
  } finally {
    db.close();
  }
}

/** Every match a data dir stored, as sorted key texts. */
export function storedMatchKeys(dataDir: string): string[] {
  return withStores(dataDir, (stores) => {
    const all: Match[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = stores.matches.page({ limit: 500, ...(beforeId && { beforeId }) });
      all.push(...page.matches);
      if (page.nextBeforeId === undefined) break;
      beforeId = page.nextBeforeId;
    }
    return all
      .map((m) =>
        keyText({
          origin: m.origin,
          logIndex: m.logIndex,
          watch: m.watchName,
          classification: m.classification,
        }),
      )
      .sort();
  });
}

/** Writes a watchlist file and returns its path. */
export function writeWatchlist(dir: string, yaml: string): string {
  const path = join(dir, 'watchlist.yaml');
  writeFileSync(path, yaml);
  return path;
}

/**
 * The watchlist the run tests use: acme/widget's releases come from release.yml on a v* tag;
 * every signing by alice@example.com is unexpected.
 */
export const WATCHLIST_YAML = `version: 1
watches:
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/tags/v*]
  - email: alice@example.com
`;

export const WIDGET = 'github:acme/widget';
export const RELEASE: WorkflowIdentity = {
  repo: 'acme/widget',
  workflow: '.github/workflows/release.yml',
  ref: 'refs/tags/v1.2.3',
};
export const EVIL: WorkflowIdentity = {
  repo: 'acme/widget',
  workflow: '.github/workflows/evil.yml',
  ref: 'refs/heads/x',
};
/** A look-alike repository whose name starts with the watched one's: must never match. */
export const ALICE: EmailIdentity = { email: 'alice@example.com' };
/** Watched e-mail's look-alike: another local part at the same domain. */
export const ALICE_LOOK_ALIKE: EmailIdentity = { email: 'alice.smith@example.com' };
export const ALICE_WATCH = 'email:alice@example.com';
export const LOOK_ALIKE: WorkflowIdentity = {
  repo: 'acme/widget-extra',
  workflow: '.github/workflows/release.yml',
  ref: 'refs/tags/v1.2.3',
};
