// Vigil's version and the User-Agent it sends, so log operators can tell who is calling.
// package.json is imported as a module so the version travels inside the Electron bundle.
import packageJson from '../../package.json' with { type: 'json' };

/** The `version` field of package.json. */
export const VIGIL_VERSION: string = packageJson.version;

/** `vigil/<version> (Sigstore transparency log monitor)`, sent on every request to a log. */
export const USER_AGENT = `vigil/${VIGIL_VERSION} (Sigstore transparency log monitor)`;
