import { describe, expect, it } from 'vitest';
import { loadProductionEntries, realEntry } from '../core/watch/realdata';
import { runVigil, toTransparencyLogEntryLine } from '../core/watch/cli-run';

const REALDATA = new URL('../../fixtures/realdata/', import.meta.url).pathname;
const STAGING_ROOT = `${REALDATA}trust/trusted_root.staging.json`;
const BUNDLE = `${REALDATA}conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json`;
const lines = (...ids: string[]) =>
  ids.map((id) => toTransparencyLogEntryLine(realEntry(id))).join('\n');

describe('vigil inspect', () => {
  it('prints kind, log index and the identity of a GitHub Actions signer', async () => {
    const entry = realEntry('rekor.sigstore.dev#18300934');
    const signer = entry.signers[0]!;
    const r = await runVigil(['inspect', '--jsonl', '-'], lines(entry.id));
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      {
        ok: true,
        kind: 'intoto',
        apiVersion: '0.0.2',
        logIndex: 18300934,
        signers: [
          expect.objectContaining({
            type: 'x509',
            sans: signer.san,
            issuer: 'https://token.actions.githubusercontent.com',
            certSha256: signer.sha256Hex,
            spkiSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            notBefore: new Date(signer.notBefore!).toISOString(),
            notAfter: new Date(signer.notAfter!).toISOString(),
            chain: 'trusted',
          }),
        ],
        // The line carries no proofs: inspected all the same, and said to be unverified.
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
    const extensions = (
      r.lines[0]!.signers as { extensions: Record<string, { value: string }> }[]
    )[0]!.extensions;
    expect(
      Object.fromEntries(Object.entries(extensions).map(([oid, e]) => [oid, e.value])),
    ).toEqual(
      Object.fromEntries(
        Object.entries(signer.fulcioExtensions!).map(([oid, e]) => [oid, e.value]),
      ),
    );
  });

  it('prints a public key signer with chain n/a', async () => {
    const r = await runVigil(['inspect', '--jsonl', '-'], lines('rekor.sigstore.dev#771488337'));
    expect(r.lines[0]!.signers).toEqual([
      {
        type: 'publicKey',
        sans: [],
        issuer: null,
        extensions: {},
        certSha256: null,
        spkiSha256: '4cb32c4837c6dda8cfb1681efb3fef5f94ffce5b979e6bdb9139302c857af139',
        notBefore: null,
        notAfter: null,
        chain: 'n/a',
      },
    ]);
  });

  it('inspects a real entry of every kind with the signers of its realdata record', async () => {
    const byKind = new Map(
      loadProductionEntries().map((e) => [`${e.kind}@${e.kindApiVersion}`, e]),
    );
    const entries = [...byKind.values()];
    expect(entries.length).toBeGreaterThanOrEqual(5);
    const r = await runVigil(['inspect', '--jsonl', '-'], lines(...entries.map((e) => e.id)));
    expect(r.code).toBe(0);
    expect(
      r.lines.map((l) => [
        l.logIndex,
        (l.signers as { certSha256: string | null; spkiSha256: string }[]).map(
          (s) => s.certSha256 ?? s.spkiSha256,
        ),
      ]),
    ).toEqual(
      entries.map((e) => [e.logIndex, e.signers.map((s) => s.sha256Hex ?? s.spkiSha256Hex)]),
    );
  });

  it('reads a Sigstore bundle file', async () => {
    const r = await runVigil(['inspect', '--json', BUNDLE]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([expect.objectContaining({ ok: true, input: BUNDLE })]);
  });

  it('reports a certificate of another trusted root as untrusted', async () => {
    const r = await runVigil(
      ['inspect', '--trusted-root', STAGING_ROOT, '--jsonl', '-'],
      lines('rekor.sigstore.dev#18300934'),
    );
    expect((r.lines[0]!.signers as { chain: string }[])[0]!.chain).toBe('untrusted');
  });

  it('prints a table by default', async () => {
    const r = await runVigil(
      ['inspect', '-'],
      toTransparencyLogEntryLine(realEntry('rekor.sigstore.dev#149945774')),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^-: dsse 0\.0\.1, log index 149945774\n {2}NOT VERIFIED: ENTRY_UNVERIFIABLE: .*\n {2}signer 0: certificate, chain trusted\n/,
    );
    expect(r.stdout).toMatch(
      /\n {4}SAN \(uri\) +https:\/\/gitlab\.com\/facutuesca\/gitlab-oidc-project\/\/\.gitlab-ci\.yml@refs\/heads\/main\n/,
    );
    expect(r.stdout).toMatch(/\n {4}issuer +https:\/\/gitlab\.com\n/);
    expect(r.stdout).toMatch(
      /\n {4}Source Repository URI \(1\.12\) +https:\/\/gitlab\.com\/facutuesca\/gitlab-oidc-project\n/,
    );
  });

  it.each([
    {
      desc: 'a checkpoint',
      stdin: JSON.stringify('rekor.sigstore.dev - 1\n2\nAAAA\n\n— x y\n'),
      code: 'INVALID_INPUT',
    },
    {
      desc: 'a body that is not JSON',
      stdin: JSON.stringify({
        logIndex: '1',
        logId: { keyId: 'AA==' },
        kindVersion: { kind: 'dsse', version: '0.0.1' },
        integratedTime: '1',
        canonicalizedBody: Buffer.from('{"kind":"dsse","apiVersion":"0.0.1","spec":{}}').toString(
          'base64',
        ),
      }),
      code: 'ENTRY_MALFORMED',
    },
    { desc: 'a JSON number', stdin: '7', code: 'INVALID_INPUT' },
  ])('reports $desc as a failed input and exits 4', async ({ stdin, code }) => {
    const r = await runVigil(['inspect', '--jsonl', '-'], stdin);
    expect(r.code).toBe(4);
    expect(r.lines).toEqual([
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({ code }),
        input: '-:1',
      }),
    ]);
  });

  it('writes failures to stderr in table mode', async () => {
    const r = await runVigil(['inspect', '/nonexistent/entry.json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^\/nonexistent\/entry\.json: FILE_UNREADABLE: /);
  });

  it('needs at least one input', async () => {
    expect((await runVigil(['inspect'])).code).toBe(2);
  });
});
