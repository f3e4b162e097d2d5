// Passthrough end to end: a board's VM with its plan realised and routed into a running VMM, the
// device model behind the passed-through frames and line, and a guest whose drivers count what
// reaches them (src/guest/drivers). Steps only read what that simulation computed.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { After, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { IRQ_HOPS } from '../src/report/svg';
import type { TraceEvent } from '../src/sel4';
import { DiagnosticError, formatDiagnostic } from '../src/diagnostics';
import { buildSystem, type BuiltSystem } from '../src/system';
import { ArmVmm } from '../src/vmm/arm';
import { X86Vmm } from '../src/vmm/x86';
import { armPassthroughRig, type ArmRig } from '../src/guest/drivers/harness-arm';
import { x86PassthroughRig, x86PlanFromConfig, type X86Rig } from '../src/guest/drivers/harness-x86';
import type { PassthroughDriver } from '../src/guest/drivers/passthrough-drivers';
import type { ConformanceWorld } from './support/world';

interface State {
  arm?: ArmRig;
  x86?: X86Rig;
  config?: string;
}
const states = new WeakMap<ConformanceWorld, State>();
const st = (w: ConformanceWorld): State => states.get(w) ?? (states.set(w, {}), states.get(w)!);
const rig = (w: ConformanceWorld) => {
  const s = st(w);
  const r = s.arm ?? s.x86;
  if (!r) throw new Error('no passthrough system was built in this scenario');
  return r;
};

function buildArm(w: ConformanceWorld, path: string, app: string, irq: number, clearAfter: number): void {
  const s = st(w);
  s.arm = armPassthroughRig({ platform: w.platform, app, vm: 'vm0', path, irq, clearAfter, seed: w.seed });
  w.trace = s.arm.kernel.trace;
}

Given('the passed-through device {string} of app {string} on INTID {int}, with its guest driver probed', function (this: ConformanceWorld, path: string, app: string, irq: number) {
  buildArm(this, path, app, irq, 1);
});

Given('the passed-through device {string} of app {string} on INTID {int}, with a guest driver that clears the cause only on its second interrupt', function (this: ConformanceWorld, path: string, app: string, irq: number) {
  buildArm(this, path, app, irq, 2);
});

When('the device raises its interrupt', function (this: ConformanceWorld) {
  const r = st(this).arm;
  if (!r) throw new Error('no Arm passthrough device in this scenario');
  r.raise();
  r.settle();
});

function expectHandled(d: PassthroughDriver | undefined, n: number, line: number): void {
  expect(d, 'no such guest driver').to.not.equal(undefined);
  expect({ line: d!.irq, count: d!.count }).to.deep.equal({ line, count: n });
}

Then('the guest driver has handled {int} interrupt(s) on line {int}', function (this: ConformanceWorld, n: number, line: number) {
  expectHandled(st(this).arm?.driver, n, line);
});

Then('the kernel delivered IRQ {int} {int} time(s)', function (this: ConformanceWorld, line: number, n: number) {
  const got = rig(this).kernel.trace.filter((e) => e.layer === 'machine' && e.op === 'irq' && e.object === `irq ${line}` && e.result === 'delivered');
  expect(got).to.have.length(n);
});

/** The report's hops (src/report/svg.ts IRQ_HOPS), plus the ack that closes the path. */
const HOP_MATCH: Record<string, (e: TraceEvent) => boolean> = {
  ...Object.fromEntries(IRQ_HOPS.map((h) => [h.title, h.match])),
  PIC: (e) => e.layer === 'vmm' && e.op === 'inject_irq' && e.object === 'i8259',
  'IRQ handler ack': (e) => e.layer === 'kernel' && e.op === 'seL4_IRQHandler_Ack',
};

Then('the trace shows the interrupt\'s hops in order: {}', function (this: ConformanceWorld, list: string) {
  const trace = rig(this).kernel.trace.all();
  const start = trace.findIndex((e) => e.layer === 'machine' && /^irq_(assert|pulse)$/.test(e.op));
  let from = start;
  const seen: string[] = [];
  for (const title of list.split(',').map((x) => x.trim())) {
    const m = HOP_MATCH[title];
    if (!m) throw new Error(`unknown hop "${title}": expected one of ${Object.keys(HOP_MATCH).join(', ')}`);
    const i = from < 0 ? -1 : trace.findIndex((e, k) => k >= from && m(e));
    expect(i, `hop "${title}" not found after: ${seen.join(' → ')}`).to.be.greaterThan(-1);
    seen.push(`${title} (#${trace[i].seq} ${trace[i].op} ${trace[i].object})`);
    if (title === 'seL4 IRQ handler') {
      // The notification signalled is the one the kernel delivered the line to.
      const delivered = trace.slice(start, i).find((e) => e.op === 'irq' && e.result === 'delivered');
      expect(trace[i].object, 'the signal after the delivery').to.equal(delivered?.peer);
    }
    from = i + 1;
  }
});

// ---- x86 -----------------------------------------------------------------------------------------

Given('the x86 VM configuration for passthrough:', function (this: ConformanceWorld, text: string) {
  st(this).config = text;
});

function bootX86(w: ConformanceWorld, ahciClearAfter: number): void {
  const s = st(w);
  s.x86 = x86PassthroughRig({ platform: w.platform, plan: x86PlanFromConfig(w.platform, s.config ?? ''), seed: w.seed, ahciClearAfter });
  w.trace = s.x86.kernel.trace;
  s.x86.settle();
}

When('the guest boots with the AHCI and e1000e drivers', function (this: ConformanceWorld) {
  bootX86(this, 1);
});

When('the guest boots with the AHCI and e1000e drivers, the AHCI driver clearing IS only on its second interrupt', function (this: ConformanceWorld) {
  bootX86(this, 2);
});

When('Ethernet5 receives a frame', function (this: ConformanceWorld) {
  const r = st(this).x86!;
  if (!r.e1000) throw new Error('Ethernet5 is not passed through in this configuration');
  r.e1000.receive();
  r.settle();
});

const x86Driver = (w: ConformanceWorld, name: string) => [...(st(w).x86?.drivers.values() ?? [])].find((d) => d.name === name);

Then('the {string} driver has handled {int} interrupt(s) on line {int}', function (this: ConformanceWorld, name: string, n: number, line: number) {
  expectHandled(x86Driver(this, name), n, line);
});

Then('the guest\'s PCI core finds host device {string} as {string} at {string} with memory BAR {string} and interrupt line {int}', function (this: ConformanceWorld, bdf: string, id: string, at: string, bar: string, line: number) {
  const r = st(this).x86!;
  const p = r.routing.presented.find((x) => x.device.bdf === bdf);
  expect(p, `presented: ${r.routing.presented.map((x) => x.device.bdf).join(', ')}`).to.not.equal(undefined);
  const slot = `0000:00:${p!.guestDev.toString(16).padStart(2, '0')}.0`;
  const d = r.guest.pci.find((x) => x.slot === slot);
  expect(d, `the guest found ${r.guest.pci.map((x) => x.slot).join(', ')}`).to.not.equal(undefined);
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  expect({ at: d!.slot.slice(5), id: `${hex4(d!.vendor)}:${hex4(d!.deviceId)}`, bar: `0x${(d!.bars.find((b) => b.size > 0)?.addr ?? 0).toString(16)}`, line: d!.irq }).to.deep.equal({ at, id, bar, line });
});

Then('the e1000e driver found its I\\/O BAR at {string}', function (this: ConformanceWorld, at: string) {
  const d = x86Driver(this, 'e1000e') as (PassthroughDriver & { io: number }) | undefined;
  expect(`0x${(d?.io ?? 0).toString(16)}`).to.equal(at);
});

Then('the e1000e driver read ICR through the IOPort cap for {word}', function (this: ConformanceWorld, range: string) {
  const ev = st(this).x86!.kernel.trace.filter((e) => e.layer === 'kernel' && e.op === 'seL4_X86_IOPort_In32' && e.object === `ioports ${range}`);
  expect(ev.length, 'no seL4_X86_IOPort_In32 on that range').to.be.greaterThan(0);
});

// ---- passthrough in a built app (src/system/passthrough.ts) --------------------------------------

interface AppState {
  built?: BuiltSystem;
  /** A temporary copy of an app this scenario made (removed after the scenario). */
  copy?: string;
  error?: DiagnosticError;
}
const apps = new WeakMap<ConformanceWorld, AppState>();
const app = (w: ConformanceWorld): AppState => apps.get(w) ?? (apps.set(w, {}), apps.get(w)!);

After(function (this: ConformanceWorld) {
  const c = apps.get(this)?.copy;
  // Only the directory this scenario made under the temp directory.
  if (c && c.startsWith(tmpdir())) rmSync(c, { recursive: true, force: true });
});

function buildApp(w: ConformanceWorld, dir: string): void {
  const s = app(w);
  try {
    s.built = buildSystem(dir, { board: w.platform.name, seed: w.seed, anyBoardOfArch: true });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    s.error = e;
    return;
  }
  w.trace = s.built.sys.kernel.trace;
  s.built.start();
  // The VMM threads map the devices and start their IRQ servers before any guest work.
  s.built.sys.kernel.run({ until: 1_000_000, maxSteps: 2_000_000 });
}

const built = (w: ConformanceWorld): BuiltSystem => {
  const s = app(w);
  if (s.error) throw s.error;
  if (!s.built) throw new Error('no app was built in this scenario');
  return s.built;
};

function copyApp(w: ConformanceWorld, name: string, edit: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), `vmconf-pt-${name}-`));
  app(w).copy = dir;
  cpSync(resolve('apps', name), dir, { recursive: true });
  edit(dir);
}

When('the app {string} is built for this board and its VMMs start', function (this: ConformanceWorld, name: string) {
  buildApp(this, resolve('apps', name));
  built(this);
});

Given('a copy of app {string} whose {string} has the string {string} instead of {string}', function (this: ConformanceWorld, name: string, file: string, to: string, from: string) {
  copyApp(this, name, (dir) => {
    const p = join(dir, file);
    const text = readFileSync(p, 'utf8');
    // The CAmkES string literal, not a mention in a comment.
    if (!text.includes(`"${from}"`)) throw new Error(`${file} of ${name} has no string "${from}"`);
    writeFileSync(p, text.replace(`"${from}"`, `"${to}"`));
  });
});

Given('a copy of app {string} whose {string} configuration also has:', function (this: ConformanceWorld, name: string, file: string, extra: string) {
  copyApp(this, name, (dir) => {
    const p = join(dir, file);
    const text = readFileSync(p, 'utf8');
    const at = text.indexOf('configuration {');
    if (at < 0) throw new Error(`${file} of ${name} has no configuration block`);
    const end = at + 'configuration {'.length;
    writeFileSync(p, `${text.slice(0, end)}\n${extra}\n${text.slice(end)}`);
  });
});

When('the copied app is built for this board', function (this: ConformanceWorld) {
  const dir = app(this).copy;
  if (!dir) throw new Error('no app was copied in this scenario');
  buildApp(this, dir);
});

Then('the build is refused at line {int} column {int} of {string} with:', function (this: ConformanceWorld, line: number, col: number, file: string, message: string) {
  const s = app(this);
  expect(s.error, 'the app was built without an error').to.not.equal(undefined);
  const want = resolve(s.copy!, file);
  const shown = s.error!.diagnostics.map(formatDiagnostic).join('\n');
  const d = s.error!.diagnostics.find((x) => resolve(x.pos.file) === want && x.pos.line === line && x.pos.col === col);
  expect(d, `no error at ${file}:${line}:${col}; errors:\n${shown}`).to.not.equal(undefined);
  expect(d!.message).to.equal(message.trim());
});

function vmOf(w: ConformanceWorld, vm: string): BuiltSystem['vms'][number] {
  const v = built(w).vms.find((x) => x.name === vm);
  if (!v) throw new Error(`the built system has no VM ${vm}`);
  return v;
}

Then('{word}\'s guest-physical {word} is mapped to the device frame at physical {word}', function (this: ConformanceWorld, vm: string, gpa: string, pa: string) {
  const v = vmOf(this, vm);
  if (!(v.vmm instanceof ArmVmm)) throw new Error(`${vm} is not an Arm VM`);
  const m = v.vmm.res.eptObject.lookup(Number(gpa));
  expect(m, `nothing mapped at ${gpa}`).to.not.equal(undefined);
  expect({ paddr: `0x${(m!.frame.paddr + (Number(gpa) - m!.vaddr)).toString(16)}`, device: m!.frame.device }).to.deep.equal({ paddr: pa, device: true });
});

function irqHandlersIn(w: ConformanceWorld, vm: string): number[] {
  const is = built(w).sys.instances.get(vm);
  if (!is) throw new Error(`no instance ${vm}`);
  return is.space.cnode.used().flatMap((s) => (s.cap?.object.type === 'IRQHandler' ? [(s.cap.object as unknown as { line: number }).line] : []));
}

Then('{word}\'s CNode holds the IRQHandler for INTID {int}', function (this: ConformanceWorld, vm: string, irq: number) {
  expect(irqHandlersIn(this, vm)).to.include(irq);
});

Then('{word}\'s CNode holds the IRQHandler for kernel line {int}', function (this: ConformanceWorld, vm: string, line: number) {
  expect(irqHandlersIn(this, vm)).to.include(line);
});

Then('{word}\'s Init VMM performs the guest\'s port I\\/O on {word} through its IOPort cap', function (this: ConformanceWorld, vm: string, range: string) {
  const v = vmOf(this, vm);
  if (!(v.vmm instanceof X86Vmm)) throw new Error(`${vm} is not an x86 VM`);
  const [first, last] = range.split('-').map(Number);
  const port = v.vmm.machine.passthrough.ports.find((p) => p.first === first && p.last === last);
  expect(port, `passed-through port ranges: ${v.vmm.machine.passthrough.ports.map((p) => `0x${p.first.toString(16)}-0x${p.last.toString(16)}`).join(', ')}`).to.not.equal(undefined);
  const trace = built(this).sys.kernel.trace;
  const before = trace.filter((e) => e.op === 'seL4_X86_IOPort_In8').length;
  port!.in(first, 1);
  const after = trace.filter((e) => e.op === 'seL4_X86_IOPort_In8' && e.object === `ioports ${range}`);
  expect(after.length, 'seL4_X86_IOPort_In8 on the range').to.be.greaterThan(0);
  expect(trace.filter((e) => e.op === 'seL4_X86_IOPort_In8').length).to.equal(before + 1);
});
