// Every `vigil` subcommand. Add a command by adding its module here.
import type { Command } from '../command';
import { auditVerifyCommand } from './audit';
import { inspectCommand } from './inspect';
import { matchCommand } from './match';
import { runCommand } from './run';
import { verifyCommand } from './verify';
import { watchlistCheckCommand, watchlistImportRekorMonitorCommand } from './watchlist';

export const COMMANDS: readonly Command[] = [
  runCommand,
  auditVerifyCommand,
  verifyCommand,
  inspectCommand,
  matchCommand,
  watchlistCheckCommand,
  watchlistImportRekorMonitorCommand,
];
