// Board and passthrough features: steps build plans with src/vmm/passthrough, run the porting
// checklist's simulated build (src/guest/drivers/porting-build.ts), construct the Arm VMM and
// drive the AHCI model through src/guest/drivers/ahci-bench.ts on the kernel model. Steps only compare what
// that code computed.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { DiagnosticError, formatDiagnostic, type Diagnostic } from '../src/diagnostics';
import { loadCamkes } from '../src/camkes/parser';
import { resolveAssembly } from '../src/camkes/resolve';
import { loadDeviceTree, type ArmVm } from '../src/platform';
import { checklistOutcome, type ChecklistItem } from '../src/platform/new-board';
import { simulatePortingBuild } from '../src/guest/drivers/porting-build';
import { constructArmVmm, type ArmVmmBuild } from '../src/system/arm-vmm-build';
import type { ArmVmm } from '../src/vmm/arm';
import { GICV2_UNSUPPORTED_ERROR, gicv2Frames } from '../src/vmm/arm/gic-support';
import type { AhciController } from '../src/platform/devices';
import { ahciClearInterrupt, ahciEnableAndIssue, realiseAhciBench } from '../src/guest/drivers/ahci-bench';
import { InitCaps, type Frame, type Kernel } from '../src/sel4';
import {
  armConfigFromBoard, planArm, planX86, x86ConfigFromAssembly,
  type ArmPassthroughPlan, type PassthroughPlan, type Realisation, type X86GuestDevices, type X86PassthroughPlan,
} from '../src/vmm/passthrough';
import type { ConformanceWorld } from './support/world';

const FILE = '/vm.camkes';
/** The assembly a configuration docstring is placed in; its line N is line N + HEADER.length of the file. */
const HEADER = [
  'component Init { control; }',
  'component VMConfig { hardware; }',
  'assembly {',
  '  composition {',
  '    component Init vm0;',
  '    component VMConfig vm0_config;',
  '  }',
  '  configuration {',
];

interface BoardsState {
  vm?: ArmVm;
  configText?: string;
  devices: { crossVm?: boolean; virtio: NonNullable<X86GuestDevices['virtio']>[number][] };
  plan?: PassthroughPlan;
  error?: DiagnosticError;
  kernel?: Kernel;
  realised?: Realisation;
  ahci?: AhciController;
  /** The AHCI register frame, as the VMM would map it for the guest driver. */
  abar?: Frame;
}
const states = new WeakMap<ConformanceWorld, BoardsState>();
function st(w: ConformanceWorld): BoardsState {
  let s = states.get(w);
  if (!s) states.set(w, (s = { devices: { virtio: [] } }));
  return s;
}
const armPlan = (w: ConformanceWorld): ArmPassthroughPlan => {
  const p = st(w).plan;
  if (!p || p.family !== 'arm') throw new Error('no Arm passthrough plan was made in this scenario');
  return p;
};
const x86Plan = (w: ConformanceWorld): X86PassthroughPlan => {
  const s = st(w);
  if (s.error) throw new Error(`planning failed:\n${s.error.message}`);
  if (!s.plan || s.plan.family !== 'x86') throw new Error('no x86 passthrough plan was made in this scenario');
  return s.plan;
};
const hex = (n: number) => `0x${n.toString(16)}`;

/** "32-63, 65, 66" → numbers. */
function parseIrqList(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const [a, b] = part.trim().split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

// ---- Arm: DTB passthrough on the board --------------------------------------------------------

Given('the VM {string} of app {string}', function (this: ConformanceWorld, vm: string, app: string) {
  const a = this.platform.apps[app];
  const v = a?.vms.find((x) => x.name === vm);
  if (!v || v.kind !== 'arm') throw new Error(`${this.platform.name} has no Arm VM ${vm} in app ${app}`);
  st(this).vm = v;
});

When('its passthrough plan is made', function (this: ConformanceWorld) {
  const s = st(this);
  s.plan = planArm(armConfigFromBoard(s.vm!), { platform: this.platform, tree: loadDeviceTree(this.platform) });
});

const fromEntry = (what: string, entry: string) => what.startsWith(`dtb path "${entry}" (`);

Then('the dtb entry {string} passes IRQ {int} as {word}', function (this: ConformanceWorld, entry: string, irq: number, trigger: string) {
  const got = armPlan(this).irqs.filter((i) => fromEntry(i.origin.what, entry)).map((i) => `${i.irq} ${i.trigger}`);
  expect(got).to.include(`${irq} ${trigger}`);
});

Then('the dtb entry {string} selects node {string} and passes its region at {string}', function (this: ConformanceWorld, entry: string, node: string, at: string) {
  const regs = armPlan(this).regions.filter((r) => fromEntry(r.origin.what, entry));
  expect(regs.map((r) => r.node)).to.include(node);
  expect(regs.map((r) => hex(r.paddr))).to.include(at);
});

Then('the dtb entry {string} selects node {string}, which gives no region and no IRQ', function (this: ConformanceWorld, entry: string, node: string) {
  const p = armPlan(this);
  expect(p.selected.filter((x) => x.origin.what === `dtb path "${entry}"`).map((x) => x.node)).to.deep.equal([node]);
  expect(p.irqs.filter((i) => fromEntry(i.origin.what, entry))).to.deep.equal([]);
  expect(p.regions.filter((r) => fromEntry(r.origin.what, entry))).to.deep.equal([]);
});

Then('the VM\'s passthrough IRQs include none of {string}', function (this: ConformanceWorld, list: string) {
  const got = new Set(armPlan(this).irqs.map((i) => i.irq));
  expect(parseIrqList(list).filter((i) => got.has(i))).to.deep.equal([]);
});

Then('the dtb entry {string} matches no node and passes nothing', function (this: ConformanceWorld, entry: string) {
  const p = armPlan(this);
  expect(p.unmatched.map((u) => u.what)).to.include(`dtb path "${entry}"`);
  expect(p.irqs.filter((i) => fromEntry(i.origin.what, entry))).to.deep.equal([]);
  expect(p.regions.filter((r) => fromEntry(r.origin.what, entry))).to.deep.equal([]);
});

Then('the VM\'s passthrough IRQs are {string}', function (this: ConformanceWorld, list: string) {
  const got = armPlan(this).irqs.map((i) => i.irq).sort((a, b) => a - b);
  expect(got).to.deep.equal(parseIrqList(list).sort((a, b) => a - b));
});

// ---- x86: configuration in a .camkes assembly ---------------------------------------------------

Given('the x86 VM configuration:', function (this: ConformanceWorld, text: string) {
  st(this).configText = text;
});

Given('the VM also has cross-VM connections', function (this: ConformanceWorld) {
  st(this).devices.crossVm = true;
});

Given('the VM also has virtio-{word}', function (this: ConformanceWorld, dev: string) {
  if (!['net', 'blk', 'console', 'vsock'].includes(dev)) throw new Error(`unknown virtio device ${dev}`);
  st(this).devices.virtio.push(dev as 'net');
});

When('the passthrough plan is made for {string}', function (this: ConformanceWorld, vm: string) {
  const s = st(this);
  const text = [...HEADER, s.configText ?? '', '  }', '}', ''].join('\n');
  try {
    const asm = resolveAssembly(loadCamkes(FILE, { readFile: (f) => (f === FILE ? text : undefined), preprocess: 'none' }));
    s.plan = planX86(x86ConfigFromAssembly(asm, vm), { platform: this.platform, devices: s.devices });
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    s.error = e;
  }
});

function findDiag(w: ConformanceWorld, line: number, col: number): Diagnostic {
  const e = st(w).error;
  if (!e) throw new Error('expected the configuration to be refused, but it was accepted');
  const d = e.diagnostics.find((x) => x.pos.file === FILE && x.pos.line === line + HEADER.length && x.pos.col === col);
  const shown = e.diagnostics.map((x) => `line ${x.pos.line - HEADER.length} column ${x.pos.col}: ${x.message}`).join('\n');
  expect(d, `no error at line ${line} column ${col}; errors:\n${shown}`).to.not.equal(undefined);
  return d!;
}

Then('it is refused at line {int} column {int} of the configuration with:', function (this: ConformanceWorld, line: number, col: number, message: string) {
  expect(findDiag(this, line, col).message).to.equal(message.trim());
});

Then('it is refused with {int} error(s)', function (this: ConformanceWorld, n: number) {
  const e = st(this).error;
  expect(e?.diagnostics.map(formatDiagnostic) ?? []).to.have.length(n);
});

Then('the plan uses the {string} layout', function (this: ConformanceWorld, layout: string) {
  expect(x86Plan(this).layout).to.equal(layout);
});

Then('the guest sees I\\/O ports {string}', function (this: ConformanceWorld, list: string) {
  const got = x86Plan(this).ioports.map((r) => `${hex(r.first)}-${hex(r.last)}`).join(', ');
  expect(got).to.equal(list);
});

Then('the guest sees PCI device {string} as {string} on guest line {int} from IOAPIC pin {int}, {word}-triggered, active {word}', function (this: ConformanceWorld, bdf: string, name: string, dest: number, pin: number, trigger: string, polarity: string) {
  const d = x86Plan(this).pciDevices.find((x) => x.bdf === bdf);
  expect(d, `PCI devices: ${x86Plan(this).pciDevices.map((x) => x.bdf).join(', ')}`).to.not.equal(undefined);
  expect({ name: d!.name, dest: d!.irq?.dest, pin: d!.irq?.pin, trigger: d!.irq?.trigger, polarity: d!.irq?.polarity }).to.deep.equal({ name, dest, pin, trigger, polarity });
});

Then('PCI device {string} has memory {string}', function (this: ConformanceWorld, bdf: string, list: string) {
  const d = x86Plan(this).pciDevices.find((x) => x.bdf === bdf);
  expect((d?.memory ?? []).map((m) => `${hex(m.paddr)}+${hex(m.size)}`).join(', ')).to.equal(list);
});

Then('PCI device {string} has I\\/O ports {string}', function (this: ConformanceWorld, bdf: string, list: string) {
  const d = x86Plan(this).pciDevices.find((x) => x.bdf === bdf);
  expect((d?.ioports ?? []).map((r) => `${hex(r.first)}-${hex(r.last)}`).join(', ')).to.equal(list);
});

Then('each PCI device has its own IOSpace', function (this: ConformanceWorld) {
  expect(x86Plan(this).iospace).to.equal(true);
});

// ---- realising a plan and driving a device --------------------------------------------------------

When('the plan is realised with an AHCI controller behind PCI device {string}', function (this: ConformanceWorld, bdf: string) {
  const s = st(this);
  const bench = realiseAhciBench({ platform: this.platform, plan: x86Plan(this), bdf, seed: this.seed });
  this.trace = bench.kernel.trace;
  Object.assign(s, { kernel: bench.kernel, realised: bench.realised, ahci: bench.ahci, abar: bench.abar });
});

function abar(w: ConformanceWorld): Frame {
  const f = st(w).abar;
  if (!f) throw new Error('no AHCI controller was realised in this scenario');
  return f;
}

When('the driver enables interrupts and issues a command', function (this: ConformanceWorld) {
  ahciEnableAndIssue(abar(this));
});

When('the driver clears PxIS and IS', function (this: ConformanceWorld) {
  ahciClearInterrupt(abar(this));
});

Then('kernel IRQ line {int} has been delivered to its notification {int} time(s)', function (this: ConformanceWorld, line: number, n: number) {
  const k = st(this).kernel!;
  const r = st(this).realised!.irqs.find((i) => i.line === line);
  expect(r, `realised lines: ${st(this).realised!.irqs.map((i) => i.line).join(', ')}`).to.not.equal(undefined);
  expect(k.trace.filter((e) => e.op === 'irq' && e.object === `irq ${line}` && e.result === 'delivered')).to.have.length(n);
});

Then('kernel IRQ line {int} is {word}', function (this: ConformanceWorld, line: number, state: string) {
  const k = st(this).kernel!;
  const ev = k.trace.filter((e) => e.object === `irq ${line}` && (e.op === 'irq_assert' || e.op === 'irq_deassert'));
  expect(ev.at(-1)?.op).to.equal(state === 'asserted' ? 'irq_assert' : 'irq_deassert');
});

Then('the root task holds the IRQHandler for line {int}', function (this: ConformanceWorld, line: number) {
  const s = st(this);
  const r = s.realised!.irqs.find((i) => i.line === line)!;
  expect(s.kernel!.root.cap(r.handler)?.object.type).to.equal('IRQHandler');
  expect(s.kernel!.root.irqControlGet(InitCaps.seL4_CapIRQControl, line, InitCaps.seL4_CapInitThreadCNode, s.kernel!.allocator().slot())).to.equal('seL4_RevokeFirst');
});

// ---- porting checklist, decided by the simulated build (src/guest/drivers/porting-build.ts) ------

/** One simulated build per board and run: the steps are deterministic, and each scenario reads one item. */
const builds = new Map<string, ChecklistItem[]>();

Then('the simulated build of this board passes its step for the porting checklist item {string}', function (this: ConformanceWorld, id: string) {
  let items = builds.get(this.platform.name);
  if (!items) builds.set(this.platform.name, (items = simulatePortingBuild(this.platform)));
  const it = items.find((x) => x.id === id);
  if (!it) throw new Error(`no checklist item ${id}: expected one of ${items.map((x) => x.id).join(', ')}`);
  for (const n of it.notes) this.log(`note: ${n}`);
  const outcome = checklistOutcome(this.platform, it);
  if (outcome === 'not-supported') throw new Error(`NOT-SUPPORTED: ${it.reason}`);
  expect(it.ok, it.reason).to.equal(true);
});

// ---- the Arm VMM build (src/vmm/arm/gic-support.ts) -------------------------------------------

const vmmBuilds = new WeakMap<ConformanceWorld, ArmVmmBuild>();
const vmmBuild = (w: ConformanceWorld): ArmVmmBuild => {
  const b = vmmBuilds.get(w);
  if (!b) throw new Error('no Arm VMM was constructed: add "When the Arm VMM is constructed for this board"');
  return b;
};

When('the Arm VMM is constructed for this board', function (this: ConformanceWorld) {
  const b = constructArmVmm(this.platform, this.seed);
  this.trace = b.kernel.trace;
  vmmBuilds.set(this, b);
});

/** The VMM that was built; on a board the VMM does not support, its build error is the NOT-SUPPORTED reason. */
function builtVmm(w: ConformanceWorld): ArmVmm {
  const b = vmmBuild(w);
  if (b.ok) return b.vmm;
  // The refusal is the build's own; the board file only decides whether it may stand as the reason.
  if (!w.platform.vmmSupported) throw new Error(`NOT-SUPPORTED: ${b.error.message}`);
  throw b.error;
}

Then('its vGIC distributor is emulated at gicv2.h\'s distributor address for the board\'s platform', function (this: ConformanceWorld) {
  const vmm = builtVmm(this);
  const at = gicv2Frames(this.platform)!.distributor;
  expect(vmm.vm.memory.mmioAt(at)?.name, `guest-physical ${hex(at)}`).to.equal('vgic distributor');
});

Then('gicv2.h\'s GIC frames for the board\'s platform are the board file\'s gic frames', function (this: ConformanceWorld) {
  builtVmm(this);
  const f = gicv2Frames(this.platform)!;
  const g = this.platform.gic!;
  const shown = (x: { distributor?: number; cpuInterface?: number; vcpuControl?: number; vcpuInterface?: number }) => [x.distributor, x.cpuInterface, x.vcpuControl, x.vcpuInterface].map((n) => (n === undefined ? '-' : hex(n)));
  expect(shown(g), `${this.platform.file} gic`).to.deep.equal(shown(f));
});

Then('it is refused with gicv2.h\'s compile error for KernelPlatform {string}, at the board file\'s sel4 section', function (this: ConformanceWorld, platform: string) {
  const b = vmmBuild(this);
  if (b.ok) expect.fail('the VMM was built');
  const [d] = b.error.diagnostics;
  expect(d.message).to.contain(`KernelPlatform ${platform}: `).and.to.contain(GICV2_UNSUPPORTED_ERROR);
  expect({ file: d.pos.file, line: d.pos.line }).to.deep.equal({ file: this.platform.sel4.pos.file, line: this.platform.sel4.pos.line });
});
