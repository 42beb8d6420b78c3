// Every `vigil` subcommand. Add a command by adding its module here.
import type { Command } from '../command';
import {
  alertsAckCommand,
  alertsExpectCommand,
  alertsListCommand,
  alertsNoteCommand,
} from './alerts';
import { auditVerifyCommand } from './audit';
import {
  channelsAddCommand,
  channelsDisableCommand,
  channelsEnableCommand,
  channelsListCommand,
  channelsRemoveCommand,
  channelsTestCommand,
} from './channels';
import { demoCommand } from './demo';
import { exportCommand } from './export';
import { inspectCommand } from './inspect';
import { matchCommand } from './match';
import { matchesCommand } from './matches';
import { runCommand } from './run';
import { settingsListCommand, settingsSetCommand } from './settings';
import { serveCommand } from './serve';
import { statusCommand } from './status';
import { verifyCommand } from './verify';
import {
  watchAddCommand,
  watchExportCommand,
  watchImportCommand,
  watchListCommand,
  watchRemoveCommand,
} from './watch';
import { watchlistCheckCommand, watchlistImportRekorMonitorCommand } from './watchlist';

export const COMMANDS: readonly Command[] = [
  demoCommand,
  runCommand,
  serveCommand,
  statusCommand,
  matchesCommand,
  alertsListCommand,
  alertsAckCommand,
  alertsExpectCommand,
  alertsNoteCommand,
  watchAddCommand,
  watchListCommand,
  watchRemoveCommand,
  watchImportCommand,
  watchExportCommand,
  channelsAddCommand,
  channelsListCommand,
  channelsRemoveCommand,
  channelsEnableCommand,
  channelsDisableCommand,
  channelsTestCommand,
  exportCommand,
  auditVerifyCommand,
  verifyCommand,
  inspectCommand,
  matchCommand,
  watchlistCheckCommand,
  watchlistImportRekorMonitorCommand,
  settingsListCommand,
  settingsSetCommand,
];
