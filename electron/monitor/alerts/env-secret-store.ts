// The CLI's SecretStore: secrets from environment variables (the app uses the OS keychain).
import type { SecretStore } from './channel';

/** Secrets from environment variables: `VIGIL_SECRET_<NAME>` (name upper-cased, - and . as _). */
export function envSecretStore(env: Readonly<Record<string, string | undefined>>): SecretStore {
  return {
    get: async (key) => env[`VIGIL_SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`],
  };
}
