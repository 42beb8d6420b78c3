// The matching worker thread of the `vigil` CLI (see MatchWorker in
// electron/monitor/jobs/entry-matching.ts). The CLI runs from its TypeScript sources, and the
// loader that vigil.mjs registers does not reach worker threads: this registers tsx's CommonJS
// loader in the worker (lighter than its ES module hooks, which start a thread of their own),
// then loads the worker module.
require('tsx/cjs/api').register();
require('../monitor/jobs/match-worker.ts');
