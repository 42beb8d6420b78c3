// Which logs to follow, from the trust material: the Sigstore TUF repository by default, a
// --trusted-root file or a private TUF mirror for private deployments, optionally narrowed to
// the URLs given with --log. Nothing is pinned: shards come and go with the trust material.
import { InputError } from '../core/errors';
import { describeLogs, describeTrustedLogs } from '../core/trust/log-descriptor';
import { parseSigningConfig } from '../core/trust/signing-config';
import { parseTrustedRoot } from '../core/trust/trusted-root';
import type { LogDescriptor, TrustedRoot } from '../core/trust/types';
import type { TrustMaterial } from './tuf/trust-source';

/** A `--log` argument: a URL with an optional `v1:` or `v2:` prefix. */
export interface LogSelector {
  readonly url: string;
  readonly apiVersion?: 1 | 2;
}

/** Parses `--log` values: `https://rekor.example`, `v1:https://…`, `v2:https://…`. */
export function parseLogSelector(text: string): LogSelector {
  const m = /^(?:(v1|v2):)?(https?:\/\/.+)$/.exec(text);
  if (!m)
    throw new InputError('USAGE', `--log ${JSON.stringify(text)}: want [v1:|v2:]http(s)://URL`);
  const url = normaliseUrl(m[2]!);
  return m[1] ? { url, apiVersion: m[1] === 'v1' ? 1 : 2 } : { url };
}

export interface FollowedLogs {
  readonly trustedRoot: TrustedRoot;
  readonly logs: readonly LogDescriptor[];
}

/**
 * Turns trust material into the logs to follow. With signing configs, the logs they list (and
 * the trusted root keys them); without (a --trusted-root file), every log key in the root. With
 * selectors, only the logs whose URL is selected, and every selector must name a log the trust
 * material has a key for (a log without a key cannot be verified): InputError otherwise.
 */
export function logsFromTrust(
  material: TrustMaterial,
  selectors: readonly LogSelector[],
  nowMs: number,
): FollowedLogs {
  const trustedRoot = parseTrustedRoot(material.trustedRootJson);
  const configs = material.signingConfigJsons.map(parseSigningConfig);
  const all =
    configs.length > 0
      ? describeLogs(trustedRoot, configs, nowMs)
      : describeTrustedLogs(trustedRoot, nowMs);
  if (selectors.length === 0) return { trustedRoot, logs: all };
  // A --log may name a log the signing configs do not list (a private or retired one): look
  // for its key among every key in the trusted root.
  const candidates = [...all, ...describeTrustedLogs(trustedRoot, nowMs)];
  const logs: LogDescriptor[] = [];
  for (const selector of selectors) {
    const found = candidates.find(
      (d) =>
        normaliseUrl(d.baseUrl) === selector.url &&
        (selector.apiVersion === undefined || d.apiVersion === selector.apiVersion),
    );
    if (!found) {
      throw new InputError(
        'CONFIG_INVALID',
        `--log ${selector.url}: the trusted root has no ${selector.apiVersion ? `v${selector.apiVersion} ` : ''}key for this log`,
      );
    }
    if (!logs.includes(found)) logs.push(found);
  }
  return { trustedRoot, logs };
}

function normaliseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
