import type { Command } from '../command';
import { testCommand } from './test';
import { platformsCommand } from './platforms';
import { reportCommand } from './report';
import { runCommand } from './run';
import { specCommand } from './spec';
import { checkCommand } from './check';
import { newBoardCommand } from './new-board';

/** Every sub-command, in the order `vmconf --help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [testCommand, reportCommand, platformsCommand, runCommand, checkCommand, specCommand, newBoardCommand];
