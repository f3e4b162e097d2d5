import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfiguration, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { listBoards, loadPlatform } from '../platform';
import type { CommandIO } from '../cli/command';
import { applicabilityExpression, boardsMentioned, specialiseForBoard } from './binding';

export const REPORTS_DIR = path.resolve(__dirname, '..', '..', 'reports');

export interface BoardRun {
  readonly board: string;
  readonly success: boolean;
  readonly dir: string;
}

/**
 * Runs the suite once per selected board. Support code is loaded once and reused, so the cost
 * of a board is its scenarios, not a Cucumber start-up.
 */
export async function runConformance(argv: string[], io: CommandIO): Promise<number> {
  const { runConfiguration, useConfiguration } = await loadConfiguration({ provided: argv });
  const all = listBoards();
  const userTags = useConfiguration.tags.trim();
  const mentioned = boardsMentioned(userTags, all);
  const boards = mentioned.length ? mentioned : all;
  const seed = Number(process.env.VMCONF_SEED ?? 1);

  let support: ISupportCodeLibrary | undefined;
  const runs: BoardRun[] = [];
  for (const board of boards) {
    const platform = loadPlatform(board);
    const dir = path.join(REPORTS_DIR, board);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const applies = applicabilityExpression(platform, all);
    const tagExpression = userTags ? `(${applies}) and (${specialiseForBoard(userTags, board, all)})` : applies;
    const options: IRunOptions = {
      ...runConfiguration,
      sources: { ...runConfiguration.sources, tagExpression },
      support: support ?? runConfiguration.support,
      runtime: {
        ...runConfiguration.runtime,
        worldParameters: { ...runConfiguration.runtime.worldParameters, board, seed },
      },
      formats: {
        ...runConfiguration.formats,
        files: {
          ...runConfiguration.formats.files,
          [path.join(dir, 'messages.ndjson')]: 'message',
          [path.join(dir, 'junit.xml')]: 'junit',
        },
        options: { ...runConfiguration.formats.options, junit: { suiteName: board } },
      },
    };
    io.out(`\n== ${board} (${platform.arch}) ==\n`);
    const result = await runCucumber(options, { stdout: process.stdout, stderr: process.stderr });
    support = result.support;
    runs.push({ board, success: result.success, dir });
  }
  io.out(`\nboards: ${runs.map((r) => `${r.board} ${r.success ? 'passed' : 'FAILED'}`).join(', ')}\n`);
  return runs.every((r) => r.success) ? 0 : 1;
}
