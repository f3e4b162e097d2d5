// Generation-1 cross-VM and end-to-end x86 steps: each builds the app through src/system (with
// the scenario's declared variant applied to a temporary copy), types commands at the guest's
// serial console, and asserts on the console, the outcome and the trace.
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { expect } from 'chai';
import { AppVariant, buildSession, removeFunction, replaceCommandLine, replaceText, type Session, withoutTimestamp } from './support/system';
import type { ConformanceWorld } from './support/world';

declare module './support/world' {
  interface ConformanceWorld {
    xvm?: { variant: AppVariant; session?: Session };
  }
}

const APP = '(print server|string reverse)';

function variant(w: ConformanceWorld, app: string): AppVariant {
  if (!w.xvm) w.xvm = { variant: new AppVariant(app) };
  else if (w.xvm.variant.app !== app) throw new Error(`the scenario already uses the ${w.xvm.variant.app} app`);
  return w.xvm.variant;
}

function session(w: ConformanceWorld): Session {
  if (!w.xvm) throw new Error('no app: start with "Given the print server app"');
  if (!w.xvm.session) {
    w.xvm.session = buildSession(w.xvm.variant, w.platform.name, w.seed);
    w.trace = w.xvm.session.system.sys.kernel.trace;
  }
  return w.xvm.session;
}

/** After a session ends (died, stuck), text without a final newline is all there will be: show it. */
function settle(w: ConformanceWorld, s: Session): void {
  if (!s.last || s.last.kind === 'completed') return;
  s.system.sys.serial.flush();
  if (s.last.kind === 'deadlock') w.deadlockReport = s.last.report;
}

function outcome(w: ConformanceWorld) {
  const s = session(w);
  if (!s.last) throw new Error('no command has been run yet');
  return s.last;
}

/** Lines of the console with printk timestamps removed. */
function consoleLines(w: ConformanceWorld): string[] {
  return session(w).console.map(withoutTimestamp);
}

function expectInOrder(actual: readonly string[], expected: readonly string[], what: string): void {
  let at = 0;
  for (const e of expected) {
    const i = actual.indexOf(e, at);
    if (i < 0) expect.fail(`${what}: expected the line ${JSON.stringify(e)} after line ${at}, in order; the console was:\n${actual.join('\n')}`);
    at = i + 1;
  }
}

const lines = (doc: string) => doc.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l !== '');

Given(new RegExp(`^the ${APP} app$`), function (this: ConformanceWorld, app: string) {
  variant(this, app);
});

Given(new RegExp(`^the ${APP} app with "(.*)" in camkes_init$`), function (this: ConformanceWorld, app: string, line: string) {
  variant(this, app).edits.push(replaceCommandLine('camkes_init', line));
});

Given(new RegExp(`^the ${APP} app with "(.*)" replaced by "(.*)" in (\\S+)$`), function (this: ConformanceWorld, app: string, from: string, to: string, file: string) {
  variant(this, app).edits.push(replaceText(file, from, to));
});

Given(new RegExp(`^the ${APP} app without (\\w+) in (\\S+)$`), function (this: ConformanceWorld, app: string, fn: string, file: string) {
  variant(this, app).edits.push(removeFunction(file, fn));
});

When('the guest boots and I log in', function (this: ConformanceWorld) {
  const s = session(this);
  s.last = s.operator.login() ?? { kind: 'completed', commands: [] };
  settle(this, s);
});

When('I run {string} in the guest', function (this: ConformanceWorld, cmd: string) {
  const s = session(this);
  s.last = s.operator.exec(cmd);
  settle(this, s);
});

Then('the command succeeds', function (this: ConformanceWorld) {
  const o = outcome(this);
  expect(o.kind, o.kind === 'deadlock' ? o.report : '').to.equal('completed');
  expect(o.commands[o.commands.length - 1].status).to.equal(0);
});

Then('the command exits with status {int}', function (this: ConformanceWorld, status: number) {
  const o = outcome(this);
  expect(o.kind).to.equal('completed');
  expect(o.commands[o.commands.length - 1].status).to.equal(status);
});

Then('the console shows, in order:', function (this: ConformanceWorld, doc: string) {
  expectInOrder(consoleLines(this), lines(doc), 'console');
});

Then('the console shows the line {string}', function (this: ConformanceWorld, line: string) {
  expect(consoleLines(this)).to.include(line);
});

Then('the console shows {string} on a line', function (this: ConformanceWorld, text: string) {
  expect(consoleLines(this).some((l) => l.includes(text)), `no console line contains ${JSON.stringify(text)}`).to.equal(true);
});

Then('the console does not show the line {string}', function (this: ConformanceWorld, line: string) {
  expect(consoleLines(this)).to.not.include(line);
});

Then(/^the console shows the line "(.*)" (\d+) times?$/, function (this: ConformanceWorld, line: string, n: string) {
  expect(consoleLines(this).filter((l) => l === line).length).to.equal(Number(n));
});

Then('the VM dies and the VMM prints, in order:', function (this: ConformanceWorld, doc: string) {
  const o = outcome(this);
  expect(o.kind).to.equal('vm-died');
  const vmm = session(this).system.sys.serial.lines.filter((l) => l.source.endsWith(':vmm')).map((l) => l.text);
  expectInOrder(vmm, lines(doc).map((l) => l.replace(/\\t/g, '\t')), 'VMM output');
});

Then('the VMM prints, in order:', function (this: ConformanceWorld, doc: string) {
  const vmm = session(this).system.sys.serial.lines.filter((l) => l.source.endsWith(':vmm')).map((l) => l.text);
  expectInOrder(vmm, lines(doc).map((l) => l.replace(/\\t/g, '\t')), 'VMM output');
});

Then('the VM is still running', function (this: ConformanceWorld) {
  for (const v of session(this).system.vms) expect(v.vmm.vm.state.kind, v.name).to.equal('running');
});

Then('nothing can run any more', function (this: ConformanceWorld) {
  const o = outcome(this);
  expect(o.kind).to.equal('deadlock');
});

Then('the deadlock report names {string}', function (this: ConformanceWorld, name: string) {
  const o = outcome(this);
  if (o.kind !== 'deadlock') expect.fail(`expected a deadlock, got ${o.kind}`);
  expect(o.report).to.include(name);
});

Then('the trace shows {string} by {string}', function (this: ConformanceWorld, op: string, actor: string) {
  const found = session(this).system.sys.kernel.trace.all().some((e) => e.op === op && e.actor === actor);
  expect(found, `no ${op} by ${actor} in the trace`).to.equal(true);
});

Then("the VMM's reg_new_handler calls were, in order:", function (this: ConformanceWorld, table: DataTable) {
  const got = session(this).system.sys.kernel.trace.all().filter((e) => e.layer === 'vmm' && e.op === 'reg_new_handler').map((e) => ({ token: String(e.value), handler: e.object, result: e.result }));
  const want = table.hashes();
  let at = 0;
  for (const w of want) {
    const i = got.findIndex((g, k) => k >= at && g.token === w.token && g.handler === w.handler && g.result === w.result);
    if (i < 0) expect.fail(`no reg_new_handler(${w.handler}, ${w.token}) returning ${w.result} after call ${at}; the calls were ${JSON.stringify(got)}`);
    at = i + 1;
  }
});
