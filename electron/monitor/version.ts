// Vigil's version and the User-Agent it sends, so log operators can tell who is calling and
// reach us if a monitor misbehaves.
import { createRequire } from 'node:module';

/** The `version` field of package.json, read once at module load. */
export const VIGIL_VERSION: string = (
  createRequire(import.meta.url)('../../package.json') as { version: string }
).version;

/** Where log operators can find the project behind the User-Agent. */
export const PROJECT_URL = 'https://github.com/vigil-monitor/vigil';

/** `vigil/<version> (+<project URL>)`, sent on every request to a log. */
export const USER_AGENT = `vigil/${VIGIL_VERSION} (+${PROJECT_URL})`;
