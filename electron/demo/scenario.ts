// What `vigil demo` plays: a sample watchlist with expectations, and a stream of signings into
// the simulated logs. Mostly strangers (keys and other repositories), some expected releases of
// the watched repository, a look-alike repository that must never match, and, from the third
// tick on (within 30 seconds at the default pace), a signing by the watched repository's CI
// that its expectations do not allow: the alert the demo exists to show.
import { entryBodyFor, type TestCa } from './cert-factory';
import type { FakeLog } from './fake-log/index';
import { signingCertificate, type SignerSpec, type WorkflowIdentity } from './signers';

export const DEMO_WATCHLIST_YAML = `version: 1
watches:
  # Releases of acme/widget come from release.yml on a version tag; anything else it signs is
  # unexpected.
  - github: acme/widget
    expect:
      workflows: [.github/workflows/release.yml]
      refs: [refs/tags/v*]
  # Every signing with the maintainer's e-mail is worth a look.
  - email: maintainer@acme.example
`;

const release = (version: string): WorkflowIdentity => ({
  repo: 'acme/widget',
  workflow: '.github/workflows/release.yml',
  ref: `refs/tags/v${version}`,
});
const UNEXPECTED: WorkflowIdentity = {
  repo: 'acme/widget',
  workflow: '.github/workflows/deploy.yml',
  ref: 'refs/heads/main',
};
const LOOK_ALIKE: WorkflowIdentity = {
  repo: 'acme/widget-extra',
  workflow: '.github/workflows/release.yml',
  ref: 'refs/tags/v2.0.0',
};
const STRANGER: WorkflowIdentity = {
  repo: 'octo/app',
  workflow: '.github/workflows/ci.yml',
  ref: 'refs/heads/main',
};

/** One notable signing the player planted, to print as it happens. */
export interface Planted {
  readonly log: 'v1' | 'v2';
  readonly logIndex: number;
  readonly description: string;
}

export class DemoPlayer {
  #tick = 0;
  #version = 0;

  constructor(
    private readonly log: FakeLog,
    private readonly ca: TestCa,
    private readonly nowS: () => number,
  ) {}

  /** Appends one tick's worth of activity to both logs and returns the notable signings. */
  tick(): Planted[] {
    const n = ++this.#tick;
    const planted: Planted[] = [];
    // Strangers: hashedrekord entries signed by keys, a few per tick on each log.
    this.log.v1.grow(2 + (n % 4));
    this.log.v2.grow(4 + ((n * 7) % 9));
    if (n === 1 || n % 7 === 0) {
      this.#version++;
      planted.push(this.#sign('v2', release(`1.${this.#version}.0`), 'an expected release'));
    }
    if (n === 2 || n % 5 === 0) {
      planted.push(this.#sign('v1', LOOK_ALIKE, 'a look-alike repository (never matches)'));
    }
    if (n % 3 === 0) planted.push(this.#sign(n % 2 === 0 ? 'v1' : 'v2', STRANGER, 'a stranger'));
    if (n === 3 || n % 17 === 0) {
      planted.push(this.#sign('v2', UNEXPECTED, 'NOT EXPECTED: deploy.yml on a branch'));
    }
    if (n % 23 === 0) {
      planted.push(
        this.#sign('v1', { email: 'maintainer@acme.example' }, "the maintainer's e-mail"),
      );
    }
    return planted;
  }

  #sign(log: 'v1' | 'v2', id: SignerSpec, what: string): Planted {
    const who = 'repo' in id ? `${id.repo} ${id.workflow}@${id.ref}` : id.email;
    if (log === 'v1') {
      const logIndex = this.log.v1.size;
      const cert = signingCertificate(this.ca, id, 'trusted', this.nowS());
      this.log.v1.append([entryBodyFor(cert, 'dsse@0.0.1')]);
      return { log, logIndex, description: `${what}: ${who}` };
    }
    const cert = signingCertificate(this.ca, id, 'trusted');
    const logIndex = this.log.v2.append([entryBodyFor(cert, 'hashedrekord@0.0.2')]);
    return { log, logIndex, description: `${what}: ${who}` };
  }
}
