#!/usr/bin/env node
// Development launcher: runs `vigil` from the TypeScript sources through tsx (a dev dependency),
// so a change is tried without a build. The installed command is the built out/main/vigil.js.
import { register } from 'tsx/esm/api';

register();
const { runProcess } = await import('./process.ts');
await runProcess();
