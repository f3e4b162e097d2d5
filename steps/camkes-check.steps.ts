// Steps for features/camkes/check.feature and tutorial.feature: copy a shipped app (or write a
// spec) to a temp dir, edit the named line, run `vmconf check` on it and read its output lines.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAppYaml } from '../src/camkes/check';
import { main } from '../src/cli/main';
import type { ConformanceWorld } from './support/world';

const APPS = resolve(__dirname, '..', 'apps');
/** `the tutorial app` is the completed cross-VM tutorial (seed 000). */
const ALIASES: Record<string, string> = { tutorial: 'crossvm_tutorial' };
const ROOTS: Record<string, string> = {
  crossvm_tutorial: 'crossvm_tutorial.camkes', minimal: 'minimal.camkes', pingpong: 'pingpong.camkes',
  string_reverse_gen1: 'string_reverse.camkes', string_reverse_gen2: 'string_reverse.camkes',
  vm_cross_connector: 'vm_cross_connector.camkes',
};

interface Line {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

interface CheckState {
  file: string;
  /** `--platform` for apps that target the board this run is for. */
  board?: string;
  status?: number;
  lines?: Line[];
  raw?: string;
}

declare module './support/world' {
  interface ConformanceWorld {
    camkesCheck?: CheckState;
  }
}

function state(w: ConformanceWorld): CheckState {
  if (!w.camkesCheck) throw new Error('no spec was given: start with "Given the ... app" or "Given a spec:"');
  return w.camkesCheck;
}

/** Copies apps/<app> to a temp dir; the shipped app is never edited. */
function copyApp(w: ConformanceWorld, name: string): void {
  const app = ALIASES[name] ?? name;
  const root = ROOTS[app];
  if (!root) throw new Error(`unknown app '${app}'; known: ${Object.keys(ROOTS).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `vmconf-${app}-`));
  cpSync(join(APPS, app), dir, { recursive: true });
  const file = join(dir, root);
  const boards = readAppYaml(file)?.boards ?? [];
  w.camkesCheck = { file, board: boards.includes(w.platform.name) ? w.platform.name : undefined };
}

/**
 * Applies one declarative edit to the root file:
 *  - `inst.attr = value` replaces the setting of `inst.attr` (it must exist);
 *  - `without inst.attr` deletes that setting's line;
 *  - `connection K name` changes the connector of connection `name`;
 *  - `component T inst;` adds an instance line after `VM_PER_VM_COMP_DEF(0)`.
 */
function edit(file: string, change: string): void {
  const text = readFileSync(file, 'utf8');
  let out: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^without (\w+\.\w+)$/.exec(change))) {
    const re = new RegExp(`^[ \\t]*${m[1].replace('.', '\\.')}\\s*=[^\\n]*\\n`, 'm');
    if (re.test(text)) out = text.replace(re, '');
  } else if ((m = /^(\w+\.\w+)\s*=\s*(.+?);?$/.exec(change))) {
    const re = new RegExp(`^([ \\t]*)${m[1].replace('.', '\\.')}\\s*=[^;]*;`, 'm');
    if (re.test(text)) out = text.replace(re, `$1${m[1]} = ${m[2]};`);
  } else if ((m = /^connection (\w+) (\w+)$/.exec(change))) {
    const re = new RegExp(`connection \\w+ ${m[2]}\\(`);
    if (re.test(text)) out = text.replace(re, `connection ${m[1]} ${m[2]}(`);
  } else if ((m = /^(component \w+ \w+;)$/.exec(change))) {
    if (text.includes('VM_PER_VM_COMP_DEF(0)')) out = text.replace('VM_PER_VM_COMP_DEF(0)', `VM_PER_VM_COMP_DEF(0) ${m[1]}`);
  } else {
    throw new Error(`cannot apply "${change}": expected "inst.attr = value", "without inst.attr", "connection K name" or "component T inst;"`);
  }
  if (out === undefined) throw new Error(`cannot apply "${change}" to ${file}: the line it edits is not there`);
  writeFileSync(file, out);
}

Given('the {word} app', function (this: ConformanceWorld, app: string) {
  copyApp(this, app);
});

Given('the {word} app with {string}', function (this: ConformanceWorld, app: string, change: string) {
  copyApp(this, app);
  edit(state(this).file, change);
});

Given('a spec:', function (this: ConformanceWorld, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vmconf-spec-'));
  const file = join(dir, 'spec.camkes');
  writeFileSync(file, text + '\n');
  this.camkesCheck = { file };
});

async function check(w: ConformanceWorld, strict: boolean): Promise<void> {
  const s = state(w);
  const args = [s.file, ...(s.board ? ['--platform', s.board] : []), ...(strict ? ['--strict'] : [])];
  let out = '';
  let err = '';
  s.status = await main(['check', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  if (err) throw new Error(`vmconf check wrote to stderr:\n${err}`);
  s.raw = out;
  s.lines = out.split('\n').filter((l) => /^\S.*:\d+:\d+: (error|warning): /.test(l)).map((l) => {
    const m = /^(.*):(\d+):(\d+): (error|warning): (.*)$/.exec(l)!;
    return { file: resolve(m[1]), line: Number(m[2]), col: Number(m[3]), severity: m[4] as Line['severity'], message: m[5] };
  });
}

When('I check it', async function (this: ConformanceWorld) {
  await check(this, false);
});

When('I check it with --strict', async function (this: ConformanceWorld) {
  await check(this, true);
});

Then('the check passes', function (this: ConformanceWorld) {
  const s = state(this);
  expect(s.raw, 'vmconf check output').to.equal('');
  expect(s.status).to.equal(0);
});

function reports(w: ConformanceWorld, severity: 'error' | 'warning', line: number, message: string): void {
  const s = state(w);
  expect(s.lines, 'the check has not run').to.not.equal(undefined);
  const found = s.lines!.find((l) => l.file === s.file && l.line === line && l.severity === severity && l.message === message);
  expect(found, `expected "${s.file}:${line}: ${severity}: ${message}" in:\n${s.raw}`).to.not.equal(undefined);
  expect(s.status, 'exit status').to.equal(s.lines!.some((l) => l.severity === 'error') ? 1 : 0);
}

Then('the check reports an error at line {int} {string}', function (this: ConformanceWorld, line: number, message: string) {
  reports(this, 'error', line, message);
  expect(state(this).status).to.equal(1);
});

Then('the check reports a warning at line {int} {string}', function (this: ConformanceWorld, line: number, message: string) {
  reports(this, 'warning', line, message);
});

Then('the first error is at line {int} {string}', function (this: ConformanceWorld, line: number, message: string) {
  const s = state(this);
  const first = s.lines?.find((l) => l.severity === 'error');
  expect(first, `no error in:\n${s.raw}`).to.not.equal(undefined);
  expect([first!.line, first!.message]).to.deep.equal([line, message]);
  expect(s.status).to.equal(1);
});

Then('the check reports no errors', function (this: ConformanceWorld) {
  const s = state(this);
  expect(s.lines!.filter((l) => l.severity === 'error'), s.raw).to.deep.equal([]);
  expect(s.status).to.equal(0);
});
