import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchError, InputError, VerificationError } from '../../../../electron/core/errors';
import { createTrustSource } from '../../../../electron/monitor/tuf/trust-source';
import type { TrustSourceOptions } from '../../../../electron/monitor/tuf/trust-source';
import { TufTestRepository } from '../../../support/tuf-repo/tuf-repository';
import { serveTufRepository } from '../../../support/tuf-repo/tuf-server';
import type { TufServer } from '../../../support/tuf-repo/tuf-server';

const SEEDS = new URL('../../../../electron/core/trust/seeds/', import.meta.url);
const T0 = Date.UTC(2026, 0, 1);
const T1 = T0 + 3_600_000;

function trustTargets(generation: number) {
  return {
    'trusted_root.json': JSON.stringify({ mediaType: 'trusted-root', generation }),
    'signing_config.v0.2.json': JSON.stringify({ mediaType: 'signing-config', generation }),
    'signing_config_rekor_v2.v0.2.json': JSON.stringify({ mediaType: 'rekor-v2', generation }),
    // Other targets the Sigstore repository has; the client must find its own by name.
    'rekor.pub': 'not json',
  };
}

const gen2 = trustTargets(2);

let dir: string;
let repo: TufTestRepository;
let server: TufServer;
let now: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-trust-source-'));
  repo = new TufTestRepository();
  repo.publish(trustTargets(1));
  server = await serveTufRepository(repo);
  now = T0;
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function source(overrides: Partial<TrustSourceOptions> = {}) {
  return createTrustSource({
    mirrorUrl: server.url,
    rootJson: repo.rootMetadata(1),
    cacheDir: join(dir, 'cache'),
    fetchTimeoutMs: 2000,
    retries: 0,
    clock: { now: () => now },
    ...overrides,
  });
}

async function cacheSnapshot(): Promise<Record<string, string>> {
  const cacheDir = join(dir, 'cache');
  const files: Record<string, string> = {};
  for (const sub of ['', 'metadata', 'targets']) {
    for (const entry of await readdir(join(cacheDir, sub), { withFileTypes: true })) {
      if (entry.isFile())
        files[join(sub, entry.name)] = await readFile(join(cacheDir, sub, entry.name), 'utf8');
    }
  }
  return files;
}

describe('createTrustSource', () => {
  it('returns the published trusted root and both signing configs when the mirror is up', async () => {
    const material = await source().load();

    expect(material).toEqual({
      trustedRootJson: { mediaType: 'trusted-root', generation: 1 },
      signingConfigJsons: [
        { mediaType: 'signing-config', generation: 1 },
        { mediaType: 'rekor-v2', generation: 1 },
      ],
      source: 'tuf',
      state: 'fresh',
      refreshedAtMs: T0,
    });
  });

  it('returns no signing configs when the repository does not publish them', async () => {
    repo.publish({ 'trusted_root.json': '{"only":"root"}' });

    const material = await source().load();

    expect(material.trustedRootJson).toEqual({ only: 'root' });
    expect(material.signingConfigJsons).toEqual([]);
    expect(material.state).toBe('fresh');
  });

  it('returns only the rekor v2 signing config when the other one is absent', async () => {
    repo.publish({
      'trusted_root.json': '{}',
      'signing_config_rekor_v2.v0.2.json': '{"v":2}',
    });

    expect((await source().load()).signingConfigJsons).toEqual([{ v: 2 }]);
  });

  it('picks up newly published targets on the next load', async () => {
    const trust = source();
    await trust.load();
    repo.publish(trustTargets(2));
    now = T1;

    const material = await trust.load();

    expect(material.trustedRootJson).toEqual({ mediaType: 'trusted-root', generation: 2 });
    expect(material).toMatchObject({ source: 'tuf', state: 'fresh', refreshedAtMs: T1 });
  });

  it('follows a root rotation signed by the old and the new root keys', async () => {
    await source().load();
    repo.rotateRoot();
    repo.publish(trustTargets(2));

    const material = await source().load();

    expect(material).toMatchObject({ source: 'tuf', state: 'fresh' });
    expect(material.trustedRootJson).toEqual({ mediaType: 'trusted-root', generation: 2 });
    const cachedRoot = JSON.parse(await readFile(join(dir, 'cache/metadata/root.json'), 'utf8'));
    expect(cachedRoot.signed.version).toBe(2);
  });

  it('follows a root rotation on first use, starting from the initial root', async () => {
    repo.rotateRoot();
    repo.rotateRoot();

    const material = await source().load();

    expect(material.state).toBe('fresh');
    const cachedRoot = JSON.parse(await readFile(join(dir, 'cache/metadata/root.json'), 'utf8'));
    expect(cachedRoot.signed.version).toBe(3);
  });

  it('keeps using the cache, stale, when the mirror is offline', async () => {
    await source().load();
    await server.close();
    now = T1;

    const material = await source().load();

    expect(material).toMatchObject({
      trustedRootJson: { mediaType: 'trusted-root', generation: 1 },
      source: 'tuf-cache',
      state: 'stale',
      staleReason: { code: 'TUF_UNREACHABLE' },
      refreshedAtMs: T0,
    });
    expect(material.signingConfigJsons).toHaveLength(2);
    expect(material.staleReason?.message).toContain('using the trust root cached at 2026-01-01');
  });

  it('keeps using the cache, stale, when the mirror answers 500', async () => {
    await source().load();
    server.failWith(500);

    const material = await source().load();

    expect(material).toMatchObject({ source: 'tuf-cache', state: 'stale' });
    expect(material.staleReason?.code).toBe('TUF_UNREACHABLE');
    expect(material.staleReason?.message).toContain('http status 500');
  });

  it.each<{ desc: string; fault: (r: TufTestRepository) => void }>([
    {
      desc: 'a bad timestamp signature',
      fault: (r) => r.publish(gen2, { badSignature: 'timestamp' }),
    },
    {
      desc: 'a bad snapshot signature',
      fault: (r) => r.publish(gen2, { badSignature: 'snapshot' }),
    },
    { desc: 'a bad targets signature', fault: (r) => r.publish(gen2, { badSignature: 'targets' }) },
    { desc: 'an expired timestamp', fault: (r) => r.publish(gen2, { expired: 'timestamp' }) },
    { desc: 'an expired snapshot', fault: (r) => r.publish(gen2, { expired: 'snapshot' }) },
    { desc: 'expired targets metadata', fault: (r) => r.publish(gen2, { expired: 'targets' }) },
    {
      desc: 'a rotated root signed only by the new key',
      fault: (r) => r.rotateRoot({ signedBy: 'new-only' }),
    },
    {
      desc: 'a target whose bytes differ from the signed hash',
      fault: (r) => {
        r.publish(gen2);
        r.tamperTarget('trusted_root.json', '{"mediaType":"trusted-root","generation":666}');
      },
    },
    {
      desc: 'a target longer than its signed length',
      fault: (r) => {
        r.publish(gen2);
        r.tamperTarget('trusted_root.json', `${gen2['trusted_root.json']}${' '.repeat(100)}`);
      },
    },
  ])('rejects $desc with TUF_VERIFICATION_FAILED and keeps the cache', async ({ fault }) => {
    await source().load();
    const before = await cacheSnapshot();
    fault(repo);

    const material = await source().load();

    expect(material).toMatchObject({
      trustedRootJson: { mediaType: 'trusted-root', generation: 1 },
      source: 'tuf-cache',
      state: 'stale',
      staleReason: { code: 'TUF_VERIFICATION_FAILED' },
      refreshedAtMs: T0,
    });
    expect(await cacheSnapshot()).toEqual(before);
  });

  it('rejects a rolled-back timestamp with TUF_VERIFICATION_FAILED and keeps the cache', async () => {
    const generation1 = repo.saveFiles();
    repo.publish(gen2);
    await source().load();
    const before = await cacheSnapshot();
    repo.restoreFiles(generation1);

    const material = await source().load();

    expect(material).toMatchObject({
      trustedRootJson: { mediaType: 'trusted-root', generation: 2 },
      source: 'tuf-cache',
      staleReason: { code: 'TUF_VERIFICATION_FAILED' },
    });
    expect(material.staleReason?.message).toMatch(
      /timestamp version 1 is less than current version 2/,
    );
    expect(await cacheSnapshot()).toEqual(before);
  });

  it('falls back to the shipped seed when there is no cache and the mirror is offline', async () => {
    await server.close();

    const material = await source({ rootJson: undefined }).load();

    expect(material).toMatchObject({
      source: 'seed',
      state: 'stale',
      staleReason: { code: 'TUF_UNREACHABLE' },
    });
    expect(material.refreshedAtMs).toBeUndefined();
    expect(material.staleReason?.message).toContain('using the one shipped with vigil');
    expect(material.trustedRootJson).toEqual(await readJson('trusted_root.production.json'));
    expect(material.signingConfigJsons).toEqual([
      await readJson('signing_config.v0.2.production.json'),
      await readJson('signing_config_rekor_v2.v0.2.production.json'),
    ]);
  });

  it('falls back to the shipped seed when a mirror fails the shipped sigstore root', async () => {
    // The test repository is not signed by Sigstore's root keys.
    const material = await source({ rootJson: undefined }).load();

    expect(material).toMatchObject({
      source: 'seed',
      staleReason: { code: 'TUF_VERIFICATION_FAILED' },
    });
  });

  it('throws the failure when there is no cache, a custom root and the mirror is offline', async () => {
    await server.close();

    const load = source().load();

    await expect(load).rejects.toBeInstanceOf(FetchError);
    await expect(load).rejects.toMatchObject({ code: 'TUF_UNREACHABLE' });
  });

  it('throws TUF_VERIFICATION_FAILED when there is no cache and a custom root fails', async () => {
    repo.publish(gen2, { badSignature: 'timestamp' });

    const load = source().load();

    await expect(load).rejects.toBeInstanceOf(VerificationError);
    await expect(load).rejects.toMatchObject({ code: 'TUF_VERIFICATION_FAILED' });
  });

  it('reports TUF_ERROR, keeping the cache, when the repository has no trusted root target', async () => {
    await source().load();
    repo.publish({ 'signing_config.v0.2.json': '{}' });

    const material = await source().load();

    expect(material).toMatchObject({ source: 'tuf-cache', staleReason: { code: 'TUF_ERROR' } });
    expect(material.staleReason?.message).toContain('has no target trusted_root.json');
  });

  it('reports TRUSTED_ROOT_MALFORMED, keeping the cache, when the signed trusted root is not json', async () => {
    await source().load();
    const before = await cacheSnapshot();
    repo.publish({ 'trusted_root.json': '{not json' });

    const material = await source().load();

    expect(material).toMatchObject({
      source: 'tuf-cache',
      staleReason: { code: 'TRUSTED_ROOT_MALFORMED' },
    });
    expect(await cacheSnapshot()).toEqual(before);
  });

  it('does not download unchanged targets again', async () => {
    await source().load();
    repo.publish({ ...trustTargets(1), 'signing_config.v0.2.json': '{"changed":true}' });
    server.requests.length = 0;

    const material = await source().load();

    expect(material.signingConfigJsons[0]).toEqual({ changed: true });
    const downloaded = server.requests.filter((p) => p.startsWith('targets/'));
    expect(downloaded).toEqual([
      expect.stringMatching(/^targets\/[0-9a-f]{64}\.signing_config\.v0\.2\.json$/),
    ]);
  });

  it('lays out the cache as metadata/, content-addressed targets/ and last-good.json', async () => {
    await source().load();

    // Target files are named <sha256>.<name>: check the hash is the file's, then drop it.
    const snapshot = await cacheSnapshot();
    const files = Object.entries(snapshot).map(([path, text]) =>
      path.replace(`${sha256Hex(text)}.`, '<sha256>.'),
    );

    expect(files.sort()).toEqual([
      'last-good.json',
      'metadata/root.json',
      'metadata/snapshot.json',
      'metadata/targets.json',
      'metadata/timestamp.json',
      'targets/<sha256>.signing_config.v0.2.json',
      'targets/<sha256>.signing_config_rekor_v2.v0.2.json',
      'targets/<sha256>.trusted_root.json',
    ]);
    const lastGood = JSON.parse(await readFile(join(dir, 'cache/last-good.json'), 'utf8'));
    expect(lastGood.refreshedAtMs).toBe(T0);
    expect(Object.keys(lastGood.targets).sort()).toEqual([
      'signing_config.v0.2.json',
      'signing_config_rekor_v2.v0.2.json',
      'trusted_root.json',
    ]);
  });

  it('removes superseded target files from the cache', async () => {
    await source().load();
    repo.publish(trustTargets(2));
    await source().load();

    const targets = await readdir(join(dir, 'cache/targets'));

    expect(targets).toHaveLength(3);
  });

  it('shares one refresh between concurrent loads', async () => {
    const trust = source();

    const [a, b] = await Promise.all([trust.load(), trust.load()]);

    expect(a).toBe(b);
    expect(server.requests.filter((p) => p === 'timestamp.json')).toHaveLength(1);
  });

  it('reads the trusted root file and never contacts the mirror', async () => {
    const file = join(dir, 'trusted_root.json');
    await writeFile(file, '{"private":"deployment"}');

    const material = await source({ trustedRootFile: file }).load();

    expect(material).toEqual({
      trustedRootJson: { private: 'deployment' },
      signingConfigJsons: [],
      source: 'file',
      state: 'fresh',
    });
    expect(server.requests).toEqual([]);
  });

  it('throws FILE_UNREADABLE when the trusted root file does not exist', async () => {
    const load = source({ trustedRootFile: join(dir, 'missing.json') }).load();

    await expect(load).rejects.toBeInstanceOf(InputError);
    await expect(load).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('throws TRUSTED_ROOT_MALFORMED when the trusted root file is not json', async () => {
    const file = join(dir, 'trusted_root.json');
    await writeFile(file, '{"private":');

    const load = source({ trustedRootFile: file }).load();

    await expect(load).rejects.toBeInstanceOf(VerificationError);
    await expect(load).rejects.toMatchObject({ code: 'TRUSTED_ROOT_MALFORMED' });
  });

  it.each(['ftp://mirror.example', 'not a url'])(
    'rejects mirror url %s with INVALID_INPUT',
    (mirrorUrl) => {
      expect(() => source({ mirrorUrl })).toThrowCode('INVALID_INPUT');
    },
  );

  it('throws TUF_ERROR when a custom initial root is not tuf root metadata', async () => {
    const load = source({ rootJson: '{"signed":{}}' }).load();

    await expect(load).rejects.toMatchObject({
      code: 'TUF_ERROR',
      message: expect.stringContaining('initial tuf root metadata is unusable'),
    });
  });

  it('reports TUF_ERROR when the cached root metadata is damaged', async () => {
    await source().load();
    await writeFile(join(dir, 'cache/metadata/root.json'), '{"signed":');

    const material = await source().load();

    expect(material).toMatchObject({ source: 'tuf-cache', staleReason: { code: 'TUF_ERROR' } });
    expect(material.staleReason?.message).toContain('cached tuf root metadata');
  });
});

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readJson(name: string): Promise<unknown> {
  return JSON.parse(await readFile(new URL(name, SEEDS), 'utf8'));
}
