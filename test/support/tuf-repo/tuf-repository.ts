// A real TUF repository (TUF specification 1.0, consistent_snapshot: true) held in memory, with
// metadata signed by keys the test owns, laid out as the Sigstore mirror is (FORMATS.md §5.3):
// <N>.root.json, timestamp.json, <v>.snapshot.json, <v>.targets.json and
// targets/<sha256 hex>.<name>. Serve it with serveTufRepository (tuf-server.ts).
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { generateTufKey } from './tuf-key';
import type { TufKey } from './tuf-key';

export type TopLevelRole = 'root' | 'targets' | 'snapshot' | 'timestamp';
export type ReleasedRole = Exclude<TopLevelRole, 'root'>;

/** Faults to build into one release, to test that the client rejects them. */
export interface ReleaseFaults {
  /** Sign this role with an `expires` already in the past (a freeze attack, or a lapsed repo). */
  readonly expired?: ReleasedRole;
  /** Sign this role's metadata with a well-formed signature over different bytes. */
  readonly badSignature?: ReleasedRole;
}

export interface RotateRootOptions {
  /**
   * Who signs the new root. The TUF client requires a threshold of both the old and the new
   * root keys; 'new-only' is a root the client must reject. Default 'old-and-new'.
   */
  readonly signedBy?: 'old-and-new' | 'new-only';
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class TufTestRepository {
  /** Served files, by URL path relative to the mirror (no leading slash). */
  readonly files = new Map<string, Uint8Array>();
  readonly #keys: Record<TopLevelRole, TufKey> = {
    root: generateTufKey('ecdsa'),
    targets: generateTufKey('ecdsa'),
    snapshot: generateTufKey('ed25519'),
    timestamp: generateTufKey('ed25519'),
  };
  #rootVersion = 0;
  #targetsVersion = 0;
  #snapshotVersion = 0;
  #timestampVersion = 0;
  #targets = new Map<string, Uint8Array>();

  /** A repository with root v1 and nothing released yet. */
  constructor() {
    this.#writeRoot([this.#keys.root]);
  }

  get rootVersion(): number {
    return this.#rootVersion;
  }

  /** The bytes of `<version>.root.json`: the trust anchor to hand a client. */
  rootMetadata(version = 1): Uint8Array {
    const bytes = this.files.get(`${version}.root.json`);
    if (bytes === undefined) throw new Error(`no root version ${version}`);
    return bytes;
  }

  /**
   * Replaces the whole target set and releases new targets, snapshot and timestamp versions.
   * Target contents are strings (UTF-8) or bytes.
   */
  publish(
    targets: Readonly<Record<string, string | Uint8Array>>,
    faults: ReleaseFaults = {},
  ): void {
    this.#targets = new Map(
      Object.entries(targets).map(([name, v]) => [
        name,
        typeof v === 'string' ? Buffer.from(v) : v,
      ]),
    );
    for (const [name, bytes] of this.#targets) this.files.set(targetUrlPath(name, bytes), bytes);
    this.#release(faults);
  }

  /**
   * Publishes root version N+1 with a new root key and a new timestamp key, then re-releases the
   * current targets so the timestamp is signed by the new key.
   */
  rotateRoot(options: RotateRootOptions = {}): void {
    const oldRootKey = this.#keys.root;
    this.#keys.root = generateTufKey('ecdsa');
    this.#keys.timestamp = generateTufKey('ed25519');
    const signers =
      options.signedBy === 'new-only' ? [this.#keys.root] : [oldRootKey, this.#keys.root];
    this.#writeRoot(signers);
    if (this.#timestampVersion > 0) this.#release({});
  }

  /** Serves `bytes` in place of the current target `name` (its signed length and hash stay). */
  tamperTarget(name: string, bytes: string | Uint8Array): void {
    const current = this.#targets.get(name);
    if (current === undefined) throw new Error(`no target ${name}`);
    this.files.set(
      targetUrlPath(name, current),
      typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    );
  }

  /** A copy of every served file, for restoreFiles (e.g. to replay an old timestamp). */
  saveFiles(): ReadonlyMap<string, Uint8Array> {
    return new Map(this.files);
  }

  /** Serves exactly `saved` again. Version counters are not rewound. */
  restoreFiles(saved: ReadonlyMap<string, Uint8Array>): void {
    this.files.clear();
    for (const [path, bytes] of saved) this.files.set(path, bytes);
  }

  #writeRoot(signers: readonly TufKey[]): void {
    this.#rootVersion++;
    const roleKeys = Object.values(this.#keys);
    const role = (key: TufKey) => ({ keyids: [key.keyid], threshold: 1 });
    const signed = {
      _type: 'root',
      spec_version: '1.0',
      version: this.#rootVersion,
      expires: expiresAt(false),
      consistent_snapshot: true,
      keys: Object.fromEntries(roleKeys.map((key) => [key.keyid, key.publicKey])),
      roles: {
        root: role(this.#keys.root),
        targets: role(this.#keys.targets),
        snapshot: role(this.#keys.snapshot),
        timestamp: role(this.#keys.timestamp),
      },
    };
    const bytes = signMetadata(signed, signers, false);
    this.files.set(`${this.#rootVersion}.root.json`, bytes);
    this.files.set('root.json', bytes);
  }

  #release(faults: ReleaseFaults): void {
    this.#targetsVersion++;
    const targets = signMetadata(
      {
        _type: 'targets',
        spec_version: '1.0',
        version: this.#targetsVersion,
        expires: expiresAt(faults.expired === 'targets'),
        targets: Object.fromEntries(
          [...this.#targets].map(([name, bytes]) => [
            name,
            { length: bytes.length, hashes: { sha256: sha256Hex(bytes) } },
          ]),
        ),
      },
      [this.#keys.targets],
      faults.badSignature === 'targets',
    );
    this.files.set(`${this.#targetsVersion}.targets.json`, targets);

    this.#snapshotVersion++;
    const snapshot = signMetadata(
      {
        _type: 'snapshot',
        spec_version: '1.0',
        version: this.#snapshotVersion,
        expires: expiresAt(faults.expired === 'snapshot'),
        meta: { 'targets.json': { version: this.#targetsVersion } },
      },
      [this.#keys.snapshot],
      faults.badSignature === 'snapshot',
    );
    this.files.set(`${this.#snapshotVersion}.snapshot.json`, snapshot);

    this.#timestampVersion++;
    const timestamp = signMetadata(
      {
        _type: 'timestamp',
        spec_version: '1.0',
        version: this.#timestampVersion,
        expires: expiresAt(faults.expired === 'timestamp'),
        meta: {
          'snapshot.json': {
            version: this.#snapshotVersion,
            length: snapshot.length,
            hashes: { sha256: sha256Hex(snapshot) },
          },
        },
      },
      [this.#keys.timestamp],
      faults.badSignature === 'timestamp',
    );
    this.files.set('timestamp.json', timestamp);
  }
}

/** The URL path of a target under consistent snapshots: targets/<dir>/<sha256 hex>.<basename>. */
export function targetUrlPath(name: string, bytes: Uint8Array): string {
  const slash = name.lastIndexOf('/');
  const dir = slash < 0 ? '' : `${name.slice(0, slash + 1)}`;
  return `targets/${dir}${sha256Hex(bytes)}.${name.slice(slash + 1)}`;
}

function signMetadata(signed: object, signers: readonly TufKey[], corrupt: boolean): Uint8Array {
  const message = Buffer.from(canonicalJson(signed));
  // A corrupt signature is still well-formed: it signs other bytes, so only verification fails.
  const signedBytes = corrupt ? Buffer.concat([message, Buffer.from(' ')]) : message;
  const signatures = signers.map((key) => ({ keyid: key.keyid, sig: key.sign(signedBytes) }));
  return Buffer.from(JSON.stringify({ signatures, signed }, null, 1));
}

function expiresAt(expired: boolean): string {
  const ms = Date.now() + (expired ? -DAY_MS : 365 * DAY_MS);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
