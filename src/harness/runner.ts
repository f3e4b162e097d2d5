import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfiguration, runCucumber, type IRunOptions, type ISupportCodeLibrary } from '@cucumber/cucumber/api';
import { listBoards, loadPlatform } from '../platform';
import type { CommandIO } from '../cli/command';
import { applicabilityExpression, boardsMentioned, specialiseForBoard } from './binding';
import { buildReports, consoleSummary, keepPreviousSummary, verdictExitStatus } from '../report/build';
import { simulatorVersion, writeRunInfo } from '../report/run-info';

/**
 * Where `vmconf test` and `vmconf report` write; `VMCONF_REPORTS_DIR` moves it, so that two runs
 * in one working tree (or a run beside a review of the last one) do not overwrite each other.
 */
export const REPORTS_DIR = path.resolve(process.env.VMCONF_REPORTS_DIR ?? path.resolve(__dirname, '..', '..', 'reports'));

export interface BoardRun {
  readonly board: string;
  readonly success: boolean;
  readonly dir: string;
}

/** The project's support code plus the harness's step marks (see step-marks.ts). */
function withStepMarks(s: IRunOptions['support']): IRunOptions['support'] {
  if ('originalCoordinates' in s) return s;
  return { ...s, requirePaths: [...(s.requirePaths ?? []), require.resolve('./step-marks')] };
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
  const simulator = simulatorVersion();
  for (const board of boards) {
    const platform = loadPlatform(board);
    const dir = path.join(REPORTS_DIR, board);
    keepPreviousSummary(REPORTS_DIR, board);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    writeRunInfo(dir, { seed, tags: userTags, simulator });
    const applies = applicabilityExpression(platform, all);
    const tagExpression = userTags ? `(${applies}) and (${specialiseForBoard(userTags, board, all)})` : applies;
    const options: IRunOptions = {
      ...runConfiguration,
      sources: { ...runConfiguration.sources, tagExpression },
      support: support ?? withStepMarks(runConfiguration.support),
      runtime: {
        ...runConfiguration.runtime,
        worldParameters: { ...runConfiguration.runtime.worldParameters, board, seed },
      },
      formats: {
        ...runConfiguration.formats,
        files: {
          ...runConfiguration.formats.files,
          // junit.xml, summary.json, index.html and allure-results/ are built from these messages.
          [path.join(dir, 'messages.ndjson')]: 'message',
        },
      },
    };
    io.out(`\n== ${board} (${platform.arch}) ==\n`);
    const result = await runCucumber(options, { stdout: process.stdout, stderr: process.stderr });
    support = result.support;
    runs.push({ board, success: result.success, dir });
  }
  // The exit status comes from the verdicts, not Cucumber's success: a known failure or a
  // not-supported outcome fails its scenario yet is an accepted verdict.
  const ran = runs.map((r) => r.board);
  const { reports, skipped } = buildReports({ reportsDir: REPORTS_DIR, now: new Date(), required: ran });
  for (const s of skipped) io.err(`note: ${s}\n`);
  io.out(`\nreports: ${path.relative(process.cwd(), path.join(REPORTS_DIR, 'index.html'))}\n${consoleSummary(reports, ran)}\n`);
  return verdictExitStatus(reports, ran);
}
