// Every `vigil` subcommand. Add a command by adding its module here.
import type { Command } from '../command';

export const COMMANDS: readonly Command[] = [];
