// Lint zones enforce the layer rules of the architecture: electron/core is pure, electron/monitor
// never imports electron, and nothing but electron/app and electron/preload may.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

const NODE_IO = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'worker_threads',
  'os',
  'timers',
  'timers/promises',
  'process',
  'readline',
];
const nodeIo = NODE_IO.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'coverage/',
      '.tsbuild/',
      'test/fixtures/',
      'renderer/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        Buffer: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeIo.map((name) => ({ name, message: 'electron/core is pure: no Node I/O.' })),
            { name: 'electron', message: 'electron/core is pure: no electron.' },
            { name: 'better-sqlite3', message: 'electron/core is pure: no SQLite.' },
          ],
          patterns: [
            {
              group: ['**/monitor/**', '**/app/**', '**/cli/**', '**/web/**'],
              message: 'core depends on shared only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'electron/core is pure: bytes come in as arguments.' },
        { name: 'setTimeout', message: 'electron/core is pure: no timers.' },
        { name: 'setInterval', message: 'electron/core is pure: no timers.' },
        { name: 'process', message: 'electron/core is pure: no process state.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'electron/core never reads the clock: take the time as an argument.',
        },
      ],
    },
  },
  {
    files: [
      'electron/monitor/**/*.ts',
      'electron/demo/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/web/**/*.ts',
      'shared/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/app and electron/preload import electron.',
            },
          ],
        },
      ],
    },
  },
  ...svelte.configs.recommended,
  {
    files: ['renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
    // TypeScript (svelte-check) resolves DOM names; the core rule knows no DOM globals.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks through shared/ipc only.' }],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer may import shared/ only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
  },
);
