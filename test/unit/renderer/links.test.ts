import { describe, expect, it } from 'vitest';
import type { SignerDetailView } from '../../../shared/domain';
import { entryLinks, FULCIO, safeLink } from '../../../renderer/src/lib/links';

const x509 = (ext: Record<string, string>): SignerDetailView => ({
  type: 'x509',
  location: 'spec.signature.publicKey',
  sans: [],
  extensions: Object.fromEntries(
    Object.entries(ext).map(([oid, value]) => [oid, { name: oid, value }]),
  ),
  subjectDn: '',
  issuerDn: 'CN=sigstore-intermediate',
  serialHex: '01',
  notBeforeMs: 0,
  notAfterMs: 1,
  certSha256Hex: 'aa',
  spkiSha256Hex: 'bb',
  chain: 'trusted',
});

const SHA = 'a'.repeat(40);

describe('links', () => {
  it.each([
    ['https://github.com/acme/widget/actions/runs/1/attempts/1', true],
    ['http://github.com/acme/widget', false],
    ['https://github.com.evil.example/acme', false],
    ['https://user:pw@github.com/acme', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('shows %s as a link: %s', (url, shown) => {
    expect(safeLink(url) !== undefined).toBe(shown);
  });

  it('links the run, the commit and the entry of a GitHub signing on Rekor v1', () => {
    const signer = x509({
      [FULCIO.runInvocationUri]: 'https://github.com/acme/widget/actions/runs/7/attempts/1',
      [FULCIO.sourceRepositoryUri]: 'https://github.com/acme/widget',
      [FULCIO.sourceRepositoryDigest]: SHA,
    });
    expect(
      entryLinks(signer, { origin: 'rekor.sigstore.dev - 1193050959916656506', logIndex: 812 }),
    ).toEqual({
      run: 'https://github.com/acme/widget/actions/runs/7/attempts/1',
      commit: `https://github.com/acme/widget/commit/${SHA}`,
      search: 'https://search.sigstore.dev/?logIndex=812',
    });
  });

  it('uses GitLab commit paths, and offers no search link for Rekor v2 shards', () => {
    const signer = x509({
      [FULCIO.sourceRepositoryUri]: 'https://gitlab.com/group/project',
      [FULCIO.sourceRepositoryDigest]: SHA,
    });
    expect(entryLinks(signer, { origin: 'log2025-1.rekor.sigstore.dev', logIndex: 3 })).toEqual({
      commit: `https://gitlab.com/group/project/-/commit/${SHA}`,
    });
  });

  it('refuses a digest that is not a commit hash, and hosts off the allowlist', () => {
    const signer = x509({
      [FULCIO.runInvocationUri]: 'https://ci.evil.example/run',
      [FULCIO.sourceRepositoryUri]: 'https://github.com/acme/widget',
      [FULCIO.sourceRepositoryDigest]: '../../evil',
    });
    expect(entryLinks(signer, { origin: 'log2025-1.rekor.sigstore.dev', logIndex: 1 })).toEqual({});
  });
});
