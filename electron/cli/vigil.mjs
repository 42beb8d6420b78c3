#!/usr/bin/env node
// Launcher for the `vigil` command: runs the TypeScript sources directly through tsx, so
// `npm install` needs no build step and the CLI always matches the checked-out code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
