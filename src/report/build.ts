import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticError, errorAt } from '../diagnostics';
import type { Platform } from '../platform';
import { ALLURE_SUBDIR, writeAllureResults } from './allure';
import { buildBoardReport, PREVIOUS_SUBDIR, type BoardReport } from './board';
import { boardHtml } from './board-html';
import { indexHtml, matrixMarkdown, requirementsHtml } from './index-pages';
import { junitXml } from './junit';
import { summaryJson } from './summary';

export interface BuildOptions {
  readonly reportsDir: string;
  /** Board descriptions and `expectations/`; the project's `platforms/` by default. */
  readonly platformsDir?: string;
  /** How a board's description is read: `loadPlatform` by default (tests pass a fixed one). */
  readonly loadBoard?: (board: string) => Platform;
  /** Time for the pages' generated-at line; omitted, the line says "unknown". */
  readonly now?: Date;
  /**
   * Boards whose bundles must be built (the boards of the run just finished). Other boards with
   * results on disk join the index when they still build; one that does not (its board file
   * changed since, say) is left out with a note instead of failing the run. Omitted: all required.
   */
  readonly required?: readonly string[];
}

export interface BuildResult {
  readonly reports: readonly BoardReport[];
  /** Boards left out of the index, with the reason. */
  readonly skipped: readonly string[];
}

/** Boards with results under `reportsDir`: every directory holding a messages.ndjson. */
export function boardsWithResults(reportsDir: string): string[] {
  if (!fs.existsSync(reportsDir)) return [];
  return fs
    .readdirSync(reportsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && fs.existsSync(path.join(reportsDir, d.name, 'messages.ndjson')))
    .map((d) => d.name)
    .sort();
}

/**
 * Keeps a board's last summary.json as `<reportsDir>/.previous/<board>.json` before the board's
 * directory is cleared for a new run, so the report can list what changed. Call it once per run.
 */
export function keepPreviousSummary(reportsDir: string, board: string): void {
  const from = path.join(reportsDir, board, 'summary.json');
  if (!fs.existsSync(from)) return;
  const dir = path.join(reportsDir, PREVIOUS_SUBDIR);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(from, path.join(dir, `${board}.json`));
}

/**
 * Builds every board's bundle (index.html, summary.json, junit.xml, allure-results/) and the
 * cross-board pages (index.html, matrix.md, requirements.html) from the messages on disk.
 */
export function buildReports(opts: BuildOptions): BuildResult {
  const boards: BoardReport[] = [];
  const skipped: string[] = [];
  for (const name of boardsWithResults(opts.reportsDir)) {
    try {
      boards.push(buildBoardReport(name, opts));
    } catch (e) {
      if (!(e instanceof DiagnosticError) || !opts.required || opts.required.includes(name)) throw e;
      skipped.push(`${name} (earlier results, left out of the index): ${e.message.split('\n')[0]}`);
    }
  }
  for (const name of opts.required ?? [])
    if (!boards.some((b) => b.board === name)) throw errorAt({ file: path.relative(process.cwd(), path.join(opts.reportsDir, name, 'messages.ndjson')), line: 1, col: 1 }, `no messages for board '${name}'`);
  for (const b of boards) {
    const dir = path.join(opts.reportsDir, b.board);
    fs.writeFileSync(path.join(dir, 'summary.json'), summaryJson(b));
    fs.writeFileSync(path.join(dir, 'junit.xml'), junitXml(b));
    fs.writeFileSync(path.join(dir, 'index.html'), boardHtml(b, opts.now));
    writeAllureResults(b, path.join(dir, ALLURE_SUBDIR));
  }
  fs.writeFileSync(path.join(opts.reportsDir, 'index.html'), indexHtml(boards, opts.now));
  fs.writeFileSync(path.join(opts.reportsDir, 'matrix.md'), matrixMarkdown(boards));
  fs.writeFileSync(path.join(opts.reportsDir, 'requirements.html'), requirementsHtml(boards, opts.now));
  return { reports: boards, skipped };
}

/** 0 when every named board's verdicts are all accepted (and each has results), 1 otherwise. */
export function verdictExitStatus(reports: readonly BoardReport[], boards: readonly string[]): 0 | 1 {
  return boards.every((name) => reports.find((r) => r.board === name)?.ok === true) ? 0 : 1;
}

/** One line per board for the console. */
export function consoleSummary(reports: readonly BoardReport[], boards: readonly string[]): string {
  return reports
    .filter((r) => boards.includes(r.board))
    .map((r) => {
      const counts = Object.entries(r.counts)
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${n} ${v}`)
        .join(', ');
      return `${r.board}: ${r.ok ? 'ok' : 'NEEDS ATTENTION'} (${counts || 'no requirements'}${r.untagged.length ? `, ${r.untagged.length} untagged scenario(s)` : ''})`;
    })
    .concat(totalLine(reports.filter((r) => boards.includes(r.board))))
    .join('\n');
}

/**
 * One closing line over every board's requirement verdicts, in the plain `N passed, N failed,
 * N skipped` form CI readers recognise: accepted non-passes (not-supported, known-fail) count as
 * skipped; everything that fails the run (fail, unresolved, unexpected pass) as failed.
 */
function totalLine(reports: readonly BoardReport[]): string {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of reports) {
    for (const [verdict, n] of Object.entries(r.counts)) {
      if (verdict === 'pass') passed += n;
      else if (verdict === 'not-supported' || verdict === 'known-fail') skipped += n;
      else failed += n;
    }
  }
  return `conformance: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
