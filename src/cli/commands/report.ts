import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORTS_DIR } from '../../harness/runner';
import { allureConfig, ALLURE_SUBDIR } from '../../report/allure';
import { boardsWithResults, buildReports, consoleSummary, verdictExitStatus } from '../../report/build';
import { CATALOGUE_FILE, catalogueText } from '../../report/catalogue';
import { loadAllPlatforms } from '../../platform';
import { EXIT, type Command } from '../command';

const USAGE = `usage: vmconf report [--reports-dir DIR] [--allure]
       vmconf report --catalogue

Rebuilds every board's report bundle (reports/<board>/index.html, summary.json, junit.xml,
allure-results/) and the cross-board pages (reports/index.html, matrix.md, requirements.html)
from the messages.ndjson files of the last run, without running any scenario.

  --reports-dir DIR  read and write DIR instead of reports/
  --catalogue        only regenerate the requirement catalogue features/README.md from the
                     feature files (no run needed; a unit test fails when it is stale)
  --allure           then merge every board's allure-results into one Allure 3 report in
                     DIR/allure, with each board as an environment (writes DIR/allurerc.mjs)

Exit status: 0 when every requirement verdict on every board is pass, not-supported or
known-fail; 1 otherwise or when an input was rejected; 2 on a usage error.
`;

function allure(dir: string, boards: readonly string[], io: { out(t: string): void; err(t: string): void }): number {
  const cli = path.resolve(__dirname, '..', '..', '..', 'node_modules', 'allure', 'cli.js');
  if (!fs.existsSync(cli)) {
    io.err(`vmconf report: error: the allure package is not installed (${path.relative(process.cwd(), cli)} missing)\n`);
    return EXIT.inputError;
  }
  const config = path.join(dir, 'allurerc.mjs');
  fs.writeFileSync(config, allureConfig(boards));
  const out = path.join(dir, 'allure');
  const args = [cli, 'generate', '--config', config, '--output', out, ...boards.map((b) => path.join(dir, b, ALLURE_SUBDIR))];
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    io.err(`vmconf report: error: allure generate exited with status ${r.status ?? r.signal}\n`);
    return EXIT.inputError;
  }
  io.out(`allure report: ${path.relative(process.cwd(), path.join(out, 'index.html'))}\n`);
  return EXIT.ok;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'rebuild the report bundles and index from the last run (no scenarios are run)',
  usage: USAGE,
  async run(argv, io) {
    let dir = REPORTS_DIR;
    let withAllure = false;
    let catalogue = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--allure') withAllure = true;
      else if (a === '--catalogue') catalogue = true;
      else if (a === '--reports-dir' && i + 1 < argv.length) dir = path.resolve(argv[++i]);
      else if (a.startsWith('--reports-dir=')) dir = path.resolve(a.slice('--reports-dir='.length));
      else {
        io.err(`vmconf report: error: unexpected argument '${a}'\n\n${USAGE}`);
        return EXIT.usage;
      }
    }
    if (catalogue) {
      const root = path.resolve(__dirname, '..', '..', '..');
      fs.writeFileSync(path.join(root, CATALOGUE_FILE), catalogueText(root, loadAllPlatforms()));
      io.out(`requirement catalogue: ${CATALOGUE_FILE}\n`);
      return EXIT.ok;
    }
    const boards = boardsWithResults(dir);
    if (boards.length === 0) {
      io.err(`vmconf report: error: no reports/<board>/messages.ndjson under ${path.relative(process.cwd(), dir) || dir}: run 'vmconf test' first\n`);
      return EXIT.inputError;
    }
    const { reports } = buildReports({ reportsDir: dir, now: new Date() });
    io.out(`${consoleSummary(reports, boards)}\nreports: ${path.relative(process.cwd(), path.join(dir, 'index.html'))}\n`);
    const status = verdictExitStatus(reports, boards);
    if (withAllure) {
      const a = allure(dir, boards, io);
      if (a !== EXIT.ok) return a;
    }
    return status;
  },
};
