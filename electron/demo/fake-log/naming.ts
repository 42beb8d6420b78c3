// The naming conventions of real deployments, for tests that must pass under each (see
// FakeLogNaming). Three cases cover the three Rekor v1 key names and both Rekor v2 origins.
import type { FakeLogNaming } from './server';

export interface KeyNamingCase extends FakeLogNaming {
  /** For test titles. */
  readonly label: string;
}

export const KEY_NAMINGS: readonly KeyNamingCase[] = [
  { label: 'v1 key name and v2 origin the hostname', v1: 'hostname', v2: 'hostname' },
  { label: 'v1 key name and v2 origin host:port', v1: 'host:port', v2: 'host:port' },
  {
    label: 'v1 key name another name, v2 origin the hostname',
    v1: { name: 'rekor-0' },
    v2: 'hostname',
  },
];

/**
 * Logs of several servers on one host must sign as `host:port`: by the hostname alone their
 * Rekor v2 origins would be one, which Vigil refuses (see withDistinctOrigins).
 */
export const HOST_PORT_NAMING: FakeLogNaming = { v1: 'host:port', v2: 'host:port' };
