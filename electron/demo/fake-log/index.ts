// A fake Rekor (v1 REST and v2 tlog-tiles) for integration tests and benchmarks. See server.ts.
export {
  namesFor,
  startFakeLog,
  type Fault,
  type FakeLogNaming,
  type FakeLog,
  type FakeLogOptions,
  type FakeLogStats,
} from './server';
export { FakeRekorV1, treeIdHex, type FakeFork, type FakeRekorV1Options } from './fake-rekor-v1';
export {
  FakeTilesLog,
  encodeTileIndex,
  parseTilePath,
  type FakeTilesFork,
  type FakeTilesLogOptions,
} from './fake-tiles-log';
export { MerkleTree, leafHash, nodeHash } from './tree';
export { v1HashedRekordBody, v2HashedRekordEntry } from './entry-factory';
export type { FakeRequest, FakeResponse, ViewSelector } from './http-types';
export { HOST_PORT_NAMING, KEY_NAMINGS, type KeyNamingCase } from './naming';
