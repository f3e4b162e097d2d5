import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorAt } from '../diagnostics';
import { loadPlatform, PLATFORMS_DIR, type Platform } from '../platform';
import { MATRIX_COLUMNS, type MatrixColumn, type Verdict } from './contract';
import { documentedCell, type DocumentedCell } from './documented';
import { expectationsFile, loadExpectations } from './expectations';
import { readMessages } from './messages';
import { readRunInfo, suiteInfo, type RunInfo } from './run-info';
import {
  accepted,
  classifyScenario,
  countVerdicts,
  judgeRequirements,
  observedText,
  requirementsOf,
  type RequirementResult,
  type ScenarioResult,
} from './verdicts';

export interface Change {
  readonly requirement: string;
  readonly from: Verdict | 'absent';
  readonly to: Verdict | 'absent';
}

export interface MatrixCell {
  readonly observed: string;
  /** The requirements whose `@matrix:` scenarios gave the observation. */
  readonly requirements: readonly string[];
  readonly documented?: DocumentedCell;
}

/** Everything known about one board's run, from which every output is drawn. */
export interface BoardReport {
  readonly board: string;
  readonly platform: Platform;
  readonly run: RunInfo & { suite: string; version: string; cucumber?: string; startedAt?: string; durationMs?: number };
  readonly scenarios: readonly ScenarioResult[];
  readonly requirements: readonly RequirementResult[];
  /** Scenarios that ran without a @REQ tag: judged, but outside the requirement list. */
  readonly untagged: readonly ScenarioResult[];
  /** Every scenario Cucumber compiled, run here or not: the requirement catalogue. */
  readonly catalogue: readonly ScenarioResult[];
  readonly counts: Record<Verdict, number>;
  readonly matrix: Record<MatrixColumn, MatrixCell>;
  /** Undefined when there is no previous run to compare with. */
  readonly changes?: readonly Change[];
  readonly problems: readonly string[];
  /** True when every verdict is pass, not-supported or known-fail. */
  readonly ok: boolean;
}

export interface BoardInputs {
  readonly reportsDir: string;
  readonly platformsDir?: string;
  /** How a board's description is read: `loadPlatform` from `platformsDir` by default. */
  readonly loadBoard?: (board: string) => Platform;
  /** Where the previous run's summary.json files are kept: `<reportsDir>/.previous` by default. */
  readonly previousDir?: string;
}

export const PREVIOUS_SUBDIR = '.previous';

function rel(p: string): string {
  return path.relative(process.cwd(), p) || p;
}

function readPrevious(file: string): Map<string, Verdict> | undefined {
  if (!fs.existsSync(file)) return undefined;
  let data: { requirements?: Record<string, { verdict?: Verdict }> };
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw errorAt({ file: rel(file), line: 1, col: 1 }, `expected the previous run's summary.json: ${(e as Error).message}`);
  }
  return new Map(Object.entries(data.requirements ?? {}).map(([k, v]) => [k, v.verdict as Verdict]));
}

export function diffVerdicts(prev: ReadonlyMap<string, Verdict>, now: readonly RequirementResult[]): Change[] {
  const cur = new Map(now.map((r) => [r.id, r.verdict]));
  const ids = [...new Set([...prev.keys(), ...cur.keys()])].sort();
  return ids.flatMap((id) => {
    const from = prev.get(id) ?? 'absent';
    const to = cur.get(id) ?? 'absent';
    return from === to ? [] : [{ requirement: id, from, to }];
  });
}

export function buildBoardReport(board: string, inputs: BoardInputs): BoardReport {
  const dir = path.join(inputs.reportsDir, board);
  const file = path.join(dir, 'messages.ndjson');
  if (!fs.existsSync(file)) throw errorAt({ file: rel(file), line: 1, col: 1 }, `no messages for board '${board}': run 'vmconf test' first`);
  const platform = inputs.loadBoard ? inputs.loadBoard(board) : loadPlatform(board, inputs.platformsDir);
  const msgs = readMessages(rel(file), fs.readFileSync(file, 'utf8'));
  const catalogue = msgs.pickles.map(classifyScenario);
  const scenarios = catalogue.filter((s) => s.pickle.attempt !== undefined);
  const known = new Set(msgs.pickles.flatMap((p) => requirementsOf(p.tags)));
  const expectations = loadExpectations(expectationsFile(inputs.platformsDir ?? PLATFORMS_DIR, board), known);
  const requirements = judgeRequirements(scenarios, expectations);
  const untagged = scenarios.filter((s) => s.requirements.length === 0);

  const problems: string[] = [...msgs.errors];
  for (const s of scenarios) {
    const where = `${s.pickle.uri}:${s.pickle.line}:${s.pickle.col}`;
    if (s.requirements.length === 0) problems.push(`${where}: warning: scenario '${s.pickle.name}' has no @REQ-<AREA>-<NNN> tag`);
    else if (!s.source) problems.push(`${where}: warning: scenario '${s.pickle.name}' has no @source:<document>#<section> tag`);
  }
  const ran = new Set(requirements.map((r) => r.id));
  for (const e of [...expectations.values()].filter((x) => !ran.has(x.requirement)))
    problems.push(`${e.pos.file}:${e.pos.line}:${e.pos.col}: warning: expected failure of ${e.requirement}, which did not run on ${board}`);

  const verdictOf = new Map(requirements.map((r) => [r.id, r.verdict]));
  const matrix = Object.fromEntries(
    MATRIX_COLUMNS.map((c) => {
      const ids = [...new Set(scenarios.filter((s) => s.matrix.includes(c)).flatMap((s) => s.requirements))].sort();
      const values = scenarios.filter((s) => s.matrix.includes(c) && s.raw === 'pass').flatMap((s) => (s.pickle.attempt?.observed ?? []).filter((o) => o.column === c).map((o) => o.value));
      const cell: MatrixCell = { observed: observedText(ids.map((id) => verdictOf.get(id)!), values), requirements: ids, documented: documentedCell(platform, c) };
      return [c, cell];
    }),
  ) as Record<MatrixColumn, MatrixCell>;

  const prev = readPrevious(path.join(inputs.previousDir ?? path.join(inputs.reportsDir, PREVIOUS_SUBDIR), `${board}.json`));
  const suite = suiteInfo();
  const verdicts = requirements.map((r) => r.verdict);
  return {
    board,
    platform,
    run: { ...readRunInfo(dir), suite: suite.name, version: suite.version, cucumber: msgs.cucumberVersion, startedAt: msgs.startedAt, durationMs: msgs.durationMs },
    scenarios,
    requirements,
    untagged,
    catalogue,
    counts: countVerdicts(verdicts),
    matrix,
    changes: prev ? diffVerdicts(prev, requirements) : undefined,
    problems,
    ok: msgs.errors.length === 0 && verdicts.every(accepted) && untagged.every((s) => s.raw === 'pass' || s.raw === 'not-supported'),
  };
}
