// electron-vite 6: the main process (ESM) with its matching worker thread and the `vigil` CLI
// (which shares both), the preload (CJS: sandboxed preloads cannot be ES modules) and the
// Svelte renderer, built into out/main, out/preload and out/renderer.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: 'electron/app/main.ts',
          'match-worker': 'electron/monitor/jobs/match-worker.ts',
          vigil: 'electron/cli/vigil.ts',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: 'electron/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [svelte({ configFile: false })],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: 'renderer/index.html' } },
    },
  },
});
