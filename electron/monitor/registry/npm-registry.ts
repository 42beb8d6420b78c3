// The npm registry's side of a package watch: the packument (`GET /<name>`, every version with
// its `dist.integrity` and publication `time`), and the attestations of a version
// (`GET /-/npm/v1/attestations/<name>@<version>`: SLSA provenance and npm's publish attestation,
// each a Sigstore bundle), as npm's own CLI reads them (npm/cli lib/utils/verify-signatures.js).
import { decodeBase64Strict, encodeHex } from '../../core/bytes';
import type { HttpClient } from '../logs/http';
import {
  byPublication,
  isRecord,
  malformed,
  type Artifact,
  type Release,
  type ReleaseSource,
} from './release-source';

export const NPM_REGISTRY = 'https://registry.npmjs.org';

/** `name` as a registry path: scoped names keep their `@` and escape the `/`. */
export function npmPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/** npm package names: lowercase, URL-safe, at most 214 characters, optionally `@scope/`. */
export function isNpmName(name: string): boolean {
  return name.length <= 214 && /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/.test(name);
}

/** `sha512-<base64>` (Subresource Integrity) to an algorithm and hex digest. */
function integrityDigest(integrity: string): Artifact['digest'] | undefined {
  const match = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})$/.exec(
    integrity.split(/\s+/)[0] ?? '',
  );
  const bytes = match?.[2] === undefined ? undefined : decodeBase64Strict(match[2]);
  return match?.[1] && bytes ? { algorithm: match[1], hex: encodeHex(bytes) } : undefined;
}

export function npmReleaseSource(
  http: HttpClient,
  name: string,
  registry: string = NPM_REGISTRY,
): ReleaseSource {
  const base = registry.replace(/\/+$/, '');
  const what = `npm packument of ${name} from ${base}`;
  return {
    ecosystem: 'npm',
    name,
    registry: base,
    async listReleases() {
      const doc = await http.getJson(`${base}/${npmPath(name)}`, { accept: 'application/json' });
      if (!isRecord(doc)) return malformed(what, 'not an object');
      const versions = doc['versions'];
      const times = isRecord(doc['time']) ? doc['time'] : {};
      if (!isRecord(versions)) return malformed(what, 'no versions');
      const releases: Release[] = [];
      for (const [version, manifest] of Object.entries(versions)) {
        if (!isRecord(manifest) || !isRecord(manifest['dist'])) {
          return malformed(what, `versions.${version}.dist is missing`);
        }
        const integrity = manifest['dist']['integrity'];
        // Versions published before 2017 have only a SHA-1 `shasum`, never provenance.
        const digest = typeof integrity === 'string' ? integrityDigest(integrity) : undefined;
        const time = times[version];
        const publishedAtMs = typeof time === 'string' ? Date.parse(time) : NaN;
        releases.push({
          version,
          publishedAtMs: Number.isFinite(publishedAtMs) ? publishedAtMs : undefined,
          artifacts: digest ? [{ name: `${name}@${version}`, digest }] : [],
        });
      }
      return byPublication(releases);
    },
    async attestations(release) {
      const url = `${base}/-/npm/v1/attestations/${npmPath(name)}@${encodeURIComponent(release.version)}`;
      const doc = await http.getJson(url, { allow404: true });
      if (doc === undefined) return [];
      const list = isRecord(doc) ? doc['attestations'] : undefined;
      if (!Array.isArray(list))
        return malformed(`attestations of ${name}@${release.version}`, 'no list');
      return list.map((a: unknown) =>
        isRecord(a) && isRecord(a['bundle'])
          ? a['bundle']
          : malformed(`attestations of ${name}@${release.version}`, 'an entry without a bundle'),
      );
    },
  };
}
