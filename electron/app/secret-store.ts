// The engine's SecretStore port over Electron's safeStorage (macOS Keychain, Windows DPAPI,
// libsecret/kwallet on Linux): secrets are encrypted with an OS-held key and kept, as base64
// ciphertext by name, in one file in the data dir. Nothing reads a secret back to the renderer.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SafeStorage } from 'electron';
import { InputError, StorageError } from '../core/errors';
import type { SecretStore } from '../monitor/alerts/channel';

/** The file, in the data dir, holding the encrypted secrets. */
export const SECRETS_FILE = 'secrets.json';

/** A SecretStore that can also store secrets (the app's "set secret" command). */
export interface WritableSecretStore extends SecretStore {
  set(name: string, value: string): Promise<void>;
}

type Crypto = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/**
 * Secrets encrypted with `safeStorage`, stored in `file`. `get` of an unknown name is
 * undefined. `set` refuses (InputError FORBIDDEN) where encryption is unavailable or would be
 * plain text (Linux without a keyring: the 'basic_text' backend), rather than storing a token
 * readable by anyone who copies the file. StorageError DB_CORRUPT for an unreadable file.
 */
export function createSafeStorageSecretStore(file: string, crypto: Crypto): WritableSecretStore {
  const read = (): Record<string, string> => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new StorageError('DB_CORRUPT', `${file}: ${(err as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      return parsed as Record<string, string>;
    } catch {
      throw new StorageError('DB_CORRUPT', `${file}: not a JSON object of secrets`);
    }
  };

  return {
    async get(name) {
      const secrets = read();
      const sealed = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
      if (typeof sealed !== 'string' || !crypto.isEncryptionAvailable()) return undefined;
      return crypto.decryptString(Buffer.from(sealed, 'base64'));
    },
    async set(name, value) {
      const linuxPlain =
        process.platform === 'linux' && crypto.getSelectedStorageBackend() === 'basic_text';
      if (!crypto.isEncryptionAvailable() || linuxPlain) {
        throw new InputError(
          'FORBIDDEN',
          'no OS keychain to encrypt secrets with: set VIGIL_SECRET_* variables and use vigil run',
        );
      }
      const secrets = { ...read(), [name]: crypto.encryptString(value).toString('base64') };
      // Write then rename, so a crash leaves the old file or the new one, never half of one.
      writeFileSync(`${file}.tmp`, JSON.stringify(secrets, null, 2), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  };
}
