// A fake npm registry and PyPI index on 127.0.0.1 for package-watch tests: packuments and
// attestations (npm), the JSON API and the PEP 740 integrity API (PyPI), served from what the
// test publishes, with faults a real registry or the way to it shows (5xx, 429 with Retry-After,
// malformed JSON, slow answers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NpmVersion {
  readonly version: string;
  /** `sha512-<base64>` */
  readonly integrity: string;
  readonly time: string;
  /** The `attestations` list served at /-/npm/v1/attestations/name@version, or none (404). */
  readonly attestations?: readonly unknown[];
}

export interface PypiFile {
  readonly filename: string;
  readonly sha256: string;
  readonly uploaded: string;
  /** The provenance object served by the integrity API, or none (404). */
  readonly provenance?: unknown;
}

/** Which requests misbehave, by 0-based arrival order, and how. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'slow'; readonly ms: number };

export interface FakeRegistry {
  readonly url: string;
  readonly npm: Map<string, NpmVersion[]>;
  readonly pypi: Map<string, Map<string, PypiFile[]>>;
  /** Decides per request (by arrival order and path) whether to misbehave. */
  fault: (seq: number, path: string) => Fault | undefined;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(): Promise<FakeRegistry> {
  const npm = new Map<string, NpmVersion[]>();
  const pypi = new Map<string, Map<string, PypiFile[]>>();
  const requests: string[] = [];
  const registry: Partial<FakeRegistry> & { fault: FakeRegistry['fault'] } = {
    fault: () => undefined,
  };

  const answer = (path: string): { status: number; body: unknown } => {
    const attestation = /^\/-\/npm\/v1\/attestations\/(.+)@([^@/]+)$/.exec(path);
    if (attestation) {
      const name = decodeURIComponent(attestation[1]!);
      const found = npm.get(name)?.find((v) => v.version === decodeURIComponent(attestation[2]!));
      return found?.attestations
        ? { status: 200, body: { attestations: found.attestations } }
        : { status: 404, body: { error: 'not found' } };
    }
    const integrity = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(path);
    if (integrity) {
      const [, project, version, filename] = integrity.map((p) => decodeURIComponent(p));
      const file = pypi
        .get(project!)
        ?.get(version!)
        ?.find((f) => f.filename === filename);
      return file?.provenance
        ? { status: 200, body: file.provenance }
        : { status: 404, body: { message: 'not found' } };
    }
    const project = /^\/pypi\/([^/]+)\/json$/.exec(path);
    if (project) {
      const releases = pypi.get(decodeURIComponent(project[1]!));
      if (!releases) return { status: 404, body: { message: 'Not Found' } };
      const body: Record<string, unknown> = {};
      for (const [version, files] of releases) {
        body[version] = files.map((f) => ({
          filename: f.filename,
          digests: { sha256: f.sha256 },
          upload_time_iso_8601: f.uploaded,
        }));
      }
      return { status: 200, body: { info: { name: project[1] }, releases: body } };
    }
    const name = decodeURIComponent(path.slice(1));
    const versions = npm.get(name);
    if (!versions) return { status: 404, body: { error: 'Not found' } };
    return {
      status: 200,
      body: {
        name,
        versions: Object.fromEntries(
          versions.map((v) => [
            v.version,
            { name, version: v.version, dist: { integrity: v.integrity } },
          ]),
        ),
        time: Object.fromEntries(versions.map((v) => [v.version, v.time])),
      },
    };
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const seq = requests.push(path) - 1;
    const fault = registry.fault(seq, path);
    const send = () => {
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, {
          'content-type': 'text/html',
          ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }),
        });
        res.end('<html><body>Service Unavailable</body></html>');
        return;
      }
      const { status, body } = answer(path);
      const text = JSON.stringify(body);
      const out = fault?.kind === 'malformed' ? text.slice(0, text.length >> 1) : text;
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(out),
      });
      res.end(out);
    };
    if (fault?.kind === 'slow') setTimeout(send, fault.ms);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(registry, {
    url: `http://127.0.0.1:${port}`,
    npm,
    pypi,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeRegistry;
}
