import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));
const { createSafeStorageSecretStore } = await import('../../../electron/app/secret-store');

/** A reversible stand-in for safeStorage that visibly changes the bytes. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend as 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(`sealed:${text}`).reverse(),
    decryptString: (sealed: Buffer) => Buffer.from(sealed).reverse().toString().slice(7),
  };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-secrets-'));
  file = join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createSafeStorageSecretStore', () => {
  it('reads back a stored secret, which the file holds only encrypted', async () => {
    const store = createSafeStorageSecretStore(file, fakeSafeStorage());
    await store.set('gh-token', 'ghp_secret');
    expect(await store.get('gh-token')).toBe('ghp_secret');
    expect(readFileSync(file, 'utf8')).not.toContain('ghp_secret');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('answers undefined for a name never stored', async () => {
    const store = createSafeStorageSecretStore(file, fakeSafeStorage());
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.get('__proto__')).toBeUndefined();
  });

  it('refuses to store when the OS has no keychain', async () => {
    const store = createSafeStorageSecretStore(file, fakeSafeStorage('unknown', false));
    await expect(store.set('gh-token', 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it.runIf(process.platform === 'linux')(
    'refuses to store when Linux would keep it in plain text (basic_text)',
    async () => {
      const store = createSafeStorageSecretStore(file, fakeSafeStorage('basic_text'));
      await expect(store.set('gh-token', 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    },
  );

  it('fails with DB_CORRUPT when the secrets file is not a JSON object', async () => {
    writeFileSync(file, '[1,2]');
    const store = createSafeStorageSecretStore(file, fakeSafeStorage());
    await expect(store.get('x')).rejects.toMatchObject({ code: 'DB_CORRUPT' });
  });
});
