// PyPI's side of a package watch: the JSON API (`GET /pypi/<project>/json`: every release with
// its files, SHA-256 digests and upload times) and the integrity API of PEP 740
// (`GET /integrity/<project>/<version>/<filename>/provenance`), as pypi/warehouse documents them
// (docs/api/integrity.md). Each provenance object's attestations become Sigstore bundles.
import { parsePep740Provenance } from '../../core/provenance/pep740';
import type { HttpClient } from '../logs/http';
import {
  byPublication,
  isRecord,
  malformed,
  type Release,
  type ReleaseSource,
} from './release-source';

export const PYPI_INDEX = 'https://pypi.org';

/** PEP 508 project names (compared normalised, PEP 503). */
export function isPypiName(name: string): boolean {
  return name.length <= 100 && /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name);
}

/** PEP 503 normalisation: lowercase, runs of `-_.` as one `-`. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function pypiReleaseSource(
  http: HttpClient,
  name: string,
  index: string = PYPI_INDEX,
): ReleaseSource {
  const base = index.replace(/\/+$/, '');
  const project = normalisePypiName(name);
  const what = `PyPI JSON of ${name} from ${base}`;
  return {
    ecosystem: 'pypi',
    name: project,
    registry: base,
    async listReleases() {
      const doc = await http.getJson(`${base}/pypi/${encodeURIComponent(project)}/json`);
      if (!isRecord(doc) || !isRecord(doc['releases'])) return malformed(what, 'no releases');
      const releases: Release[] = [];
      for (const [version, files] of Object.entries(doc['releases'])) {
        if (!Array.isArray(files)) return malformed(what, `releases.${version} is not a list`);
        let first: number | undefined;
        const artifacts = files.map((file: unknown) => {
          if (
            !isRecord(file) ||
            typeof file['filename'] !== 'string' ||
            !isRecord(file['digests'])
          ) {
            return malformed(what, `a file of ${version} has no filename or digests`);
          }
          const sha256 = file['digests']['sha256'];
          if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
            return malformed(what, `${file['filename']} has no SHA-256`);
          }
          const uploaded = Date.parse(String(file['upload_time_iso_8601'] ?? ''));
          if (Number.isFinite(uploaded)) first = Math.min(first ?? uploaded, uploaded);
          return { name: file['filename'], digest: { algorithm: 'sha256', hex: sha256 } };
        });
        releases.push({ version, publishedAtMs: first, artifacts });
      }
      return byPublication(releases);
    },
    async attestations(release, artifact) {
      const url = `${base}/integrity/${encodeURIComponent(project)}/${encodeURIComponent(release.version)}/${encodeURIComponent(artifact.name)}/provenance`;
      const doc = await http.getJson(url, {
        allow404: true,
        accept: 'application/vnd.pypi.integrity.v1+json',
      });
      if (doc === undefined) return [];
      try {
        return parsePep740Provenance(doc).flatMap((bundle) => bundle.bundles);
      } catch (err) {
        // A document of the wrong shape proves nothing about the release: retried and reported
        // like any malformed answer, never an integrity alarm.
        return malformed(url, err instanceof Error ? err.message : String(err));
      }
    },
  };
}
