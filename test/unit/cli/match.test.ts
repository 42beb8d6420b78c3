import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realEntry } from '../core/watch/realdata';
import { runVigil, toTransparencyLogEntryLine } from '../core/watch/cli-run';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const RELEASE = `${FIXTURES}watchlists/github-release.yaml`;
const COMMON = `${FIXTURES}watchlists/common.yaml`;
const STAGING_ROOT = `${FIXTURES}realdata/trust/trusted_root.staging.json`;
const lines = (...ids: string[]) =>
  ids.map((id) => toTransparencyLogEntryLine(realEntry(id))).join('\n');

const dir = mkdtempSync(join(tmpdir(), 'vigil-match-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vigil match', () => {
  it('classifies the sigstore-js release from main as expected and exits 0', async () => {
    const r = await runVigil(
      ['match', '--watchlist', RELEASE, '--jsonl', '-'],
      lines('rekor.sigstore.dev#18300934'),
    );
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      {
        ok: true,
        logIndex: 18300934,
        matches: [
          {
            watch: 'github:sigstore/sigstore-js',
            classification: 'expected',
            reason: expect.stringContaining('as expected'),
            matchedBy: 'source-repository',
            signerIndex: 0,
          },
        ],
        // The line carries no proofs: matched all the same, and said to be unverified.
        verification: {
          ok: false,
          checks: [],
          proofRoot: null,
          origin: null,
          error: expect.objectContaining({ code: 'ENTRY_UNVERIFIABLE' }),
        },
        input: '-:1',
      },
    ]);
  });

  it('exits 3 when an entry has an unexpected match', async () => {
    const r = await runVigil(
      ['match', '--watchlist', RELEASE, '--jsonl', '-'],
      lines(
        'rekor.sigstore.dev#18300934',
        'rekor.sigstore.dev#12988397',
        'rekor.sigstore.dev#771488337',
      ),
    );
    expect(r.code).toBe(3);
    expect(
      r.lines.map((l) => (l.matches as { classification: string }[]).map((m) => m.classification)),
    ).toEqual([['expected'], ['unexpected'], []]);
  });

  it('classifies a certificate that does not chain to the given trusted root as untrusted', async () => {
    const r = await runVigil(
      ['match', '--watchlist', RELEASE, '--trusted-root', STAGING_ROOT, '--jsonl', '-'],
      lines('rekor.sigstore.dev#18300934'),
    );
    expect(r.code).toBe(0);
    expect(r.lines[0]!.matches).toEqual([expect.objectContaining({ classification: 'untrusted' })]);
  });

  it('matches the common example against real entries of each kind of watch', async () => {
    const r = await runVigil(
      ['match', '--watchlist', COMMON, '--jsonl', '-'],
      lines(
        'rekor.sigstore.dev#149945774',
        'rekor.sigstore.dev#154562758',
        'rekor.sigstore.dev#771488337',
        'rekor.sigstore.dev#153454647',
        'rekor.sigstore.dev#174298097',
      ),
    );
    expect(r.lines.map((l) => (l.matches as { watch: string }[]).map((m) => m.watch))).toEqual([
      ['gitlab:facutuesca/gitlab-oidc-project'],
      ['email:william@yossarian.net'],
      ['npm registry attestation key'],
      [expect.stringMatching(/^oid:1\.3\.6\.1\.4\.1\.57264\.1\.9=/)],
      [expect.stringMatching(/^san:regex:https:\/\/github\\\.com\/slsa-framework\//)],
    ]);
  });

  it('reads a JSON watchlist', async () => {
    const path = join(dir, 'w.json');
    writeFileSync(path, JSON.stringify({ version: 1, watches: [{ email: 'brian@dehamer.com' }] }));
    const r = await runVigil(
      ['match', '--watchlist', path, '--jsonl', '-'],
      lines('log2025-1.rekor.sigstore.dev#544346'),
    );
    expect(r.code).toBe(3);
    expect(r.lines[0]).toMatchObject({
      logIndex: 544346,
      matches: [{ watch: 'email:brian@dehamer.com', classification: 'unexpected' }],
    });
  });

  it('prints one line per match by default', async () => {
    const r = await runVigil(
      ['match', '--watchlist', RELEASE, '-'],
      toTransparencyLogEntryLine(realEntry('rekor.sigstore.dev#12988397')),
    );
    expect(r.stdout).toMatch(
      /^-: log index 12988397:\n {2}NOT VERIFIED: ENTRY_UNVERIFIABLE: .*\n {2}UNEXPECTED {2}github:sigstore\/sigstore-js: source repository sigstore\/sigstore-js; workflow \.github\/workflows\/publish\.yml is not in expect\.workflows/,
    );
  });

  it('exits 4 for an unreadable input when nothing is unexpected', async () => {
    const r = await runVigil(['match', '--watchlist', RELEASE, '--jsonl', '-'], '{}');
    expect(r.code).toBe(4);
    expect(r.lines).toEqual([
      expect.objectContaining({
        ok: false,
        logIndex: null,
        matches: [],
        error: expect.objectContaining({ code: 'INVALID_INPUT' }),
      }),
    ]);
  });

  it('exits 1 with WATCHLIST_INVALID for an invalid watchlist', async () => {
    const r = await runVigil(
      ['match', '--watchlist', `${FIXTURES}watchlists/invalid.yaml`, '-'],
      '',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/WATCHLIST_INVALID: watches\[0\]\.github: want "owner\/repo"/);
  });

  it.each([
    { desc: 'without --watchlist', args: ['match', '-'] },
    { desc: 'without inputs', args: ['match', '--watchlist', RELEASE] },
  ])('is a usage error $desc', async ({ args }) => {
    expect((await runVigil(args)).code).toBe(2);
  });
});
