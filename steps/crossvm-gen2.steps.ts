// Generation-2 cross-VM steps: register-level sentences are one call on the VMM's Gen2Probe
// (src/vmm/arm) or an assertion on what it observed; end-to-end sentences build a shipped app
// through src/system and type at its serial console. The mechanism lives in src/vmm and src/guest.
import { resolve } from 'node:path';
import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { DiagnosticError } from '../src/diagnostics';
import { buildSystem, Operator, readApp, type BuiltSystem, type RunOutcome } from '../src/system';
import { Gen2Probe } from '../src/vmm/arm';
import { PciBus } from '../src/vmm/pci';
import { withoutTimestamp } from './support/system';
import type { ConformanceWorld } from './support/world';

declare module './support/world' {
  interface ConformanceWorld {
    gen2?: Gen2Probe;
  }
}

function probe(w: ConformanceWorld): Gen2Probe {
  if (!w.gen2) throw new Error('no Arm VM: add "Given an Arm VM with the vm_cross_connector connections ..."');
  return w.gen2;
}

Given('an Arm VM with the vm_cross_connector connections conn_0 and conn_1', function (this: ConformanceWorld) {
  try {
    this.gen2 = new Gen2Probe(this.platform);
  } catch (e) {
    // The VMM's own refusal for the board (gicv2.h, hypervisor support) is the reason.
    if (!(e instanceof DiagnosticError)) throw e;
    throw new Error(`NOT-SUPPORTED: the Arm VMM is not built for ${this.platform.name}: ${e.message}`);
  }
  this.trace = this.gen2.tb.kernel.trace;
});

Then('PCI device {int} reads vendor {hex}, device {hex}, revision {int} and class {hex}', function (this: ConformanceWorld, dev: number, vendor: number, device: number, rev: number, cls: number) {
  const p = probe(this);
  expect(p.pciRead(dev, 0x00, 2)).to.equal(vendor);
  expect(p.pciRead(dev, 0x02, 2)).to.equal(device);
  expect(p.pciRead(dev, 0x08, 1)).to.equal(rev);
  expect(p.pciRead(dev, 0x0a, 2)).to.equal(cls);
});

Then('PCI device {int} has interrupt pin {int} and interrupt line {int}', function (this: ConformanceWorld, dev: number, pin: number, line: number) {
  const p = probe(this);
  expect(p.pciRead(dev, 0x3d, 1)).to.equal(pin);
  expect(p.pciRead(dev, 0x3c, 1)).to.equal(line);
});

Then('PCI device {int} has BAR0 at {hex} and BAR1 at {hex}, both {int} bytes', function (this: ConformanceWorld, dev: number, bar0: number, bar1: number, size: number) {
  const p = probe(this);
  const bars = [0x10, 0x14].map((off) => (p.pciRead(dev, off, 4) & ~0xf) >>> 0);
  expect(bars).to.deep.equal([bar0, bar1]);
  expect(p.barSize(dev, 0)).to.equal(size);
  expect(p.barSize(dev, 1)).to.equal(size);
});

Then('the name register of connection {int} reads {string}', function (this: ConformanceWorld, conn: number, name: string) {
  expect(probe(this).readName(conn)).to.equal(name);
});

Then('the consume register of connection {int} reads {int}', function (this: ConformanceWorld, conn: number, value: number) {
  expect(probe(this).readRegister(conn, 4)).to.equal(value);
});

When("the guest writes {int} at offset {hex} of connection {int}'s event BAR", function (this: ConformanceWorld, value: number, offset: number, conn: number) {
  const p = probe(this);
  p.write(conn, offset, 4, value);
  p.settle();
});

Then('the native component prints {string} {int} time(s)', function (this: ConformanceWorld, line: string, n: number) {
  const got = probe(this).componentLog().split('\n').filter((l) => l === line).length;
  expect(got).to.equal(n);
});

Then('the VMM prints {string}', function (this: ConformanceWorld, line: string) {
  expect(probe(this).vmmLog().split('\n')).to.include(line);
});

Then('the VMM prints {string} followed by an empty line', function (this: ConformanceWorld, line: string) {
  expect(probe(this).vmmLog()).to.include(line + '\n\n');
});

Given("the guest has enabled connection {int}'s interrupt", function (this: ConformanceWorld, conn: number) {
  probe(this).enableInterrupt(conn);
});

When('the native component emits done {int} time(s)', function (this: ConformanceWorld, n: number) {
  for (let i = 0; i < n; i++) probe(this).componentEmitsDone();
});

When('the native component emits done {int} times, {int} ms apart', function (this: ConformanceWorld, n: number, ms: number) {
  for (let i = 0; i < n; i++) {
    probe(this).tb.emitDone();
    probe(this).settle(ms * 1e6);
  }
});

/** What the VMM printed when it could not inject a consumed event's interrupt, if it did. */
function injectFailure(lines: readonly string[]): string | undefined {
  return lines.find((l) => l.includes('Failed to inject connection irq'));
}

/** PCI Interrupt Line 0xff: the device is connected to no interrupt line (PCI Local Bus spec 6.2.4). */
const NO_INTERRUPT_LINE = 0xff;

/**
 * The guest's interrupt wait. With `mayBeUnsupported`, a wait that saw no interrupt ends as
 * NOT-SUPPORTED only when both halves of the simulation say so: the connection's device advertises
 * no interrupt line, and the VMM printed that it could not inject one (its words are the reason).
 */
function takeInterrupt(w: ConformanceWorld, mayBeUnsupported: boolean): number | null {
  const p = probe(w);
  const noLine = mayBeUnsupported && p.pciRead(1, 0x3c, 1) === NO_INTERRUPT_LINE;
  const irq = p.takeInterrupt();
  const failed = irq === null && noLine ? injectFailure(p.vmmLog().split('\n')) : undefined;
  if (failed) throw new Error(`NOT-SUPPORTED: the VMM could not inject the consume interrupt on ${w.platform.name}; it printed "${failed}"`);
  if (irq !== null) p.endOfInterrupt(irq);
  return irq;
}

Then('the guest takes interrupt {int}', function (this: ConformanceWorld, irq: number) {
  expect(takeInterrupt(this, false)).to.equal(irq);
});

Then('the guest takes the cross-VM interrupt once', function (this: ConformanceWorld) {
  // The line connection 0's PCI device advertises (what connection.ko passes to request_irq).
  const line = probe(this).pciRead(1, 0x3c, 1);
  expect(takeInterrupt(this, true), `the interrupt line connection 0 advertises is ${line}`).to.equal(line);
  expect(probe(this).takeInterrupt(1e7)).to.equal(null);
});

// ---- End to end: the shipped generation-2 apps built by src/system and driven at the console ----

declare module './support/world' {
  interface ConformanceWorld {
    g2e?: { app: string; system?: BuiltSystem; operator?: Operator; last?: RunOutcome };
  }
}

/** The generation-2 app each family ships (platform.apps / app.yaml boards say on which boards). */
const BOARD_APP = { arm: 'vm_cross_connector', x86: 'string_reverse_gen2' } as const;

function g2e(w: ConformanceWorld): NonNullable<ConformanceWorld['g2e']> {
  if (!w.g2e) throw new Error('no app: start with "Given the generation-2 app <name>"');
  return w.g2e;
}

/**
 * Builds the app for the scenario's board as `vmconf run` does (no other boards). What stops the
 * build on this board is the outcome: an app not shipped for it is NOT-SUPPORTED with the reason.
 */
function built(w: ConformanceWorld): { system: BuiltSystem; operator: Operator } {
  const s = g2e(w);
  if (!s.system) {
    const dir = resolve('apps', s.app);
    try {
      s.system = buildSystem(dir, { board: w.platform.name, seed: w.seed });
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      const layout = readApp(dir).arch === 'arm' && !w.platform.apps[s.app] ? `; ${w.platform.file} has no apps.${s.app} VM layout` : '';
      throw new Error(`NOT-SUPPORTED: ${s.app} is not shipped for ${w.platform.name}: ${e.diagnostics.map((d) => d.message).join('; ')}${layout}`);
    }
    s.operator = new Operator(s.system, { commands: [] });
    w.trace = s.system.sys.kernel.trace;
  }
  return { system: s.system, operator: s.operator! };
}

/** A session that stopped (deadlock, VM died, timeout) has printed all it will: flush and report. */
function record(w: ConformanceWorld, o: RunOutcome): void {
  const s = g2e(w);
  s.last = o;
  if (o.kind === 'completed') return;
  s.system!.sys.serial.flush();
  if (o.kind === 'deadlock') w.deadlockReport = o.report;
}

function consoleText(w: ConformanceWorld): string[] {
  return built(w).system.sys.serial.lines.map((l) => withoutTimestamp(l.text));
}

function describe(o: RunOutcome | undefined): string {
  if (!o) return 'nothing ran';
  if (o.kind === 'deadlock') return `deadlock while waiting for ${o.waitingFor}:\n${o.report}`;
  if (o.kind === 'vm-died') return `the VM died: ${o.reason}`;
  if (o.kind === 'timeout') return `timeout while waiting for ${o.waitingFor}`;
  return 'completed';
}

Given('the generation-2 app {word}', function (this: ConformanceWorld, app: string) {
  this.g2e = { app };
});

Given("the board's generation-2 cross-VM app", function (this: ConformanceWorld) {
  this.g2e = { app: BOARD_APP[this.platform.family] };
});

When('the guest boots and its init scripts run', function (this: ConformanceWorld) {
  record(this, built(this).operator.login() ?? { kind: 'completed', commands: [] });
});

When("I type {string} at the guest's shell", function (this: ConformanceWorld, cmd: string) {
  record(this, built(this).operator.exec(cmd));
});

When("I type {string} at the guest's shell {int} time(s)", function (this: ConformanceWorld, cmd: string, n: number) {
  for (let i = 0; i < n; i++) {
    record(this, built(this).operator.exec(cmd));
    if (g2e(this).last!.kind !== 'completed') return;
  }
});

Then('the guest reaches its login prompt', function (this: ConformanceWorld) {
  const o = g2e(this).last;
  expect(o?.kind, describe(o)).to.equal('completed');
});

Then('the last command succeeds', function (this: ConformanceWorld) {
  const o = g2e(this).last;
  if (o?.kind !== 'completed') expect.fail(describe(o));
  expect(o.commands[o.commands.length - 1]?.status).to.equal(0);
});

Then('the serial console shows, in order:', function (this: ConformanceWorld, doc: string) {
  const got = consoleText(this);
  let at = 0;
  for (const want of doc.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const i = got.indexOf(want, at);
    if (i < 0) expect.fail(`expected the line ${JSON.stringify(want)} after line ${at}; ${describe(g2e(this).last)}; the console was:\n${got.join('\n')}`);
    at = i + 1;
  }
});

Then('the serial console shows the line {string} {int} time(s)', function (this: ConformanceWorld, line: string, n: number) {
  const got = consoleText(this);
  expect(got.filter((l) => l === line).length, `${describe(g2e(this).last)}; the console was:\n${got.join('\n')}`).to.equal(n);
});

/** The VM's vPCI bus: the Arm VMM's own, or the one the x86 generation-2 glue added. */
function vpciBus(vm: BuiltSystem['vms'][number]): PciBus | undefined {
  return 'pci' in vm.vmm && vm.vmm.pci instanceof PciBus ? vm.vmm.pci : (vm.gen2 as { bus?: PciBus } | undefined)?.bus;
}

/** The Interrupt Line register of connection 0's device, as the guest's PCI core reads it. */
function connectionLine(w: ConformanceWorld): number | undefined {
  const vm = built(w).system.vms[0];
  const c = vm.gen2?.connections?.connections[0];
  return c ? vpciBus(vm)?.configRead(0, c.dev, 0, 0x3c, 1) : undefined;
}

/** What the guest's PCI core reads from the connection's device (config space of the VMM's vPCI). */
Then("the guest's connection {int} has interrupt line {int} and its event BAR at {hex}", function (this: ConformanceWorld, conn: number, line: number, base: number) {
  const vm = built(this).system.vms[0];
  const conns = vm.gen2?.connections;
  if (!conns) expect.fail(`${vm.name} has no generation-2 connections; the VMM printed:\n${built(this).system.sys.serial.textOf(`${vm.name}:vmm`)}`);
  const c = conns.connections[conn];
  const bus = vpciBus(vm);
  if (!bus) expect.fail(`${vm.name} has no vPCI bus`);
  expect(bus.configRead(0, c.dev, 0, 0x3c, 1)).to.equal(line);
  expect((bus.configRead(0, c.dev, 0, 0x10, 4) & ~0xf) >>> 0).to.equal(base);
});

Then('the guest kernel handled interrupt {int} {int} time(s)', function (this: ConformanceWorld, irq: number, n: number) {
  const vm = built(this).system.vms[0].name;
  const got = built(this).system.sys.kernel.trace.all().filter((e) => e.layer === 'guest-kernel' && e.actor === `${vm}:kernel` && e.op === 'irq' && e.value === irq && e.result === 'IRQ_HANDLED');
  expect(got.length).to.equal(n);
});

/**
 * The family's round trip: on Arm the init script (guest emit → CrossvmInit → `done` → the
 * board's cross-VM interrupt → UIO read); on x86 string_reverse (emit → StringReverse → `done`
 * → reg_callback → PIC line 12 → UIO read).
 */
When('its cross-VM round trip runs', function (this: ConformanceWorld) {
  const { operator } = built(this);
  record(this, this.platform.family === 'arm' ? (operator.login() ?? { kind: 'completed', commands: [] }) : operator.exec('echo hello | string_reverse'));
});

/** The table's `line`s whose `family` is the board's (arm or x86): the expected text is the feature's. */
function familyLines(w: ConformanceWorld, table: DataTable): string[] {
  const rows = table.hashes();
  if (!rows.length || !('family' in rows[0]) || !('line' in rows[0])) throw new Error('expected a table with columns | family | line |');
  const want = rows.filter((r) => r.family === w.platform.family).map((r) => r.line);
  if (!want.length) throw new Error(`the table has no line for the ${w.platform.family} family`);
  return want;
}

Then("the round trip completed, the console showing the lines for the board's family:", function (this: ConformanceWorld, table: DataTable) {
  const o = g2e(this).last;
  const lines = consoleText(this);
  const want = familyLines(this, table);
  const missing = want.filter((l) => !lines.includes(l));
  const inject = injectFailure(lines);
  if (missing.length && inject && connectionLine(this) === NO_INTERRUPT_LINE) throw new Error(`NOT-SUPPORTED: the VMM could not inject the consume interrupt on ${this.platform.name}; it printed "${inject}" and the guest never saw the event (${describe(o)})`);
  expect(missing, `${describe(o)}; the console was:\n${lines.join('\n')}`).to.deep.equal([]);
  expect(o?.kind, describe(o)).to.equal('completed');
});
