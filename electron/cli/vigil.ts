#!/usr/bin/env node
// The `vigil` command as built JavaScript: `npm run build` (electron-vite, run by `npm install`
// through `prepare`) bundles this entry into out/main/vigil.js, beside the matching worker
// (out/main/match-worker.js) and the renderer (out/renderer) that the desktop app uses too.
import { fileURLToPath } from 'node:url';
import { runProcess } from './process';

await runProcess({
  matchWorker: new URL('./match-worker.js', import.meta.url),
  rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
});
