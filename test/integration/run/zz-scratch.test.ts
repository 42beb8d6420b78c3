import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { createTestCa } from '../../support/cert-factory';
import { runVigil, startNamedFakeLog, writeTrustedRootFor, writeWatchlist, WATCHLIST_YAML } from '../../support/run-helpers';
it('t', async () => {
  const log = await startNamedFakeLog();
  const ca = createTestCa();
  const dir = mkdtempSync(join(tmpdir(), 'x-'));
  const base = ['run','--once','--json','--batch-size','256','--data-dir',join(dir,'data'),'--trusted-root',writeTrustedRootFor(dir,[log],ca),'--watchlist',writeWatchlist(dir,WATCHLIST_YAML)];
  for (const n of [10, 10, 10]) {
    log.v1.grow(n);
    let t = Date.now();
    const r = await runVigil([...base]);
    console.log('small', Date.now() - t, r.code);
  }
  log.v1.grow(20000);
  let t = Date.now();
  let r = await runVigil([...base]);
  console.log('v1 5k', Date.now() - t, r.code, JSON.stringify(r.lines.at(-1)));
  log.v2.grow(20000);
  t = Date.now();
  r = await runVigil([...base]);
  console.log('v2 20k', Date.now() - t, r.code, JSON.stringify(r.lines.at(-1)));
  await log.close();
}, 120000);
