// SMP steps: each sentence runs the build rules (src/vmm/smp-config.ts) and the VMM with a stub
// guest (Arm: src/vmm/arm/smp-probe.ts; x86: the x86 VMM), or asserts on what they produced.
import { DataTable, Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { HSR_EC, PSCI_FN, PSCI_RET, SmpProbe } from '../src/vmm/arm';
import { NoVmAppError, configureBoardSmp } from '../src/vmm/arm/vm-app';
import { SmpConfigureError, type SmpBuild } from '../src/vmm/smp-config';
import { X86SmpProbe } from '../src/vmm/x86/smp-probe';
import type { ConformanceWorld } from './support/world';
import { join } from 'node:path';
import { DiagnosticError } from '../src/diagnostics';
import { ArmVmm } from '../src/vmm/arm';
import { kernelArmPlatform, smpNotSupportedMessage } from '../src/vmm/smp-config';
import { buildSystem, readApp, type BuiltSystem } from '../src/system';
import { configuredVmSmp } from '../src/system/smp';

declare module './support/world' {
  interface ConformanceWorld {
    smp?: { arm?: SmpProbe; x86?: X86SmpProbe; configured?: SmpBuild; configureError?: string; cpuOn?: (number | null)[] };
  }
}

function smpState(w: ConformanceWorld) {
  return (w.smp ??= {});
}

function arm(w: ConformanceWorld): SmpProbe {
  const p = w.smp?.arm;
  if (!p) throw new Error('no Arm SMP system: add "Given the board\'s VM app is built with ..."');
  return p;
}

/**
 * A refusal of the build the simulation raised, as the scenario's NOT-SUPPORTED reason: the board
 * has no VM app to build (NoVmAppError) or the configure step's FATAL_ERROR (SmpConfigureError).
 * Anything else is a defect and propagates.
 */
function refused(e: unknown): never {
  if (e instanceof NoVmAppError) throw new Error(`NOT-SUPPORTED: no VM can be built: ${e.message}`);
  if (e instanceof SmpConfigureError) throw new Error(`NOT-SUPPORTED: the configure step failed: ${e.message}`);
  throw e;
}

/** Builds the board's VM app; the build's refusal is the board's reason for no SMP. */
function buildVm(w: ConformanceWorld, numNodes: string, numVcpus: number): void {
  const s = smpState(w);
  try {
    if (w.platform.family === 'x86') {
      s.x86 = new X86SmpProbe({ platform: w.platform, numNodes, numVcpus, seed: w.seed });
      w.trace = s.x86.kernel.trace;
      return;
    }
    s.arm = new SmpProbe({ platform: w.platform, numNodes, numVcpus, seed: w.seed });
  } catch (e) {
    refused(e);
  }
  w.trace = s.arm.kernel.trace;
  s.arm.settle(1e6);
}

Given("the board's VM app is built with NUM_NODES and num_vcpus set to the board's core count, at least 2", function (this: ConformanceWorld) {
  const n = Math.max(2, this.platform.cores);
  buildVm(this, String(n), n);
});

Given("the board's VM app is built with NUM_NODES {string} and num_vcpus {int}", function (this: ConformanceWorld, nodes: string, vcpus: number) {
  buildVm(this, nodes, vcpus);
});

When("the board's VM app is configured with NUM_NODES {string}", function (this: ConformanceWorld, nodes: string) {
  const s = smpState(this);
  try {
    s.configured = configureBoardSmp(this.platform, nodes);
  } catch (e) {
    if (e instanceof NoVmAppError) refused(e);
    if (!(e instanceof SmpConfigureError)) throw e;
    s.configureError = e.message;
  }
});

Then('the configure step fails with {string}', function (this: ConformanceWorld, message: string) {
  expect(smpState(this).configureError, 'the configure step succeeded').to.equal(message);
});

Then('KernelMaxNumNodes is {int}', function (this: ConformanceWorld, n: number) {
  const s = smpState(this);
  expect(s.configureError, 'the configure step failed').to.equal(undefined);
  expect(s.configured!.kernelMaxNumNodes).to.equal(n);
});

When('the guest starts every secondary vCPU with PSCI CPU_ON', function (this: ConformanceWorld) {
  const s = smpState(this);
  if (s.x86) {
    const m = [...s.x86.machines][0];
    if (!m?.smc)
      throw new Error(
        `NOT-SUPPORTED: ${s.x86.build.note}: the guest ran on ${s.x86.machines.size} vCPU with KernelMaxNumNodes ${s.x86.build.kernelMaxNumNodes}, and its machine has no SMC (PSCI) to start another`,
      );
    throw new Error('the x86 machine offers SMC, which the x86 VMM does not model');
  }
  const p = arm(this);
  const want = Math.max(2, this.platform.cores);
  s.cpuOn = [];
  for (let i = 1; i < want; i++) {
    const r = p.cpuOn(i);
    if (r === null) powerDeviceGone(this, p);
    s.cpuOn.push(r);
  }
});

/** The SMC never returned: on a VMM with no virtual power device that is the board's reason. */
function powerDeviceGone(w: ConformanceWorld, p: SmpProbe): never {
  const st = p.vmm.vm.state;
  const log = p.vmmLog().trim().split('\n').at(-1) ?? '';
  if (st.kind === 'dead' && st.reason.startsWith(`unhandled VCPU fault (HSR 0x${((HSR_EC.SMC32 * 2 ** 26 + 2 ** 25) >>> 0).toString(16)})`))
    throw new Error(`NOT-SUPPORTED: no virtual power device to start vCPUs at runtime (platforms.md §1.8): the guest's SMC is not handled by the ${w.platform.arch} VMM, which printed "${log}" and stopped the VM`);
  throw new Error(`the guest's SMC never returned (VM ${st.kind}${st.kind === 'dead' ? `: ${st.reason}` : ''})`);
}

Then('every CPU_ON returned PSCI_SUCCESS', function (this: ConformanceWorld) {
  const r = smpState(this).cpuOn ?? [];
  expect(r.length).to.be.greaterThan(0);
  expect(r).to.deep.equal(r.map(() => PSCI_RET.SUCCESS));
});

Then('every secondary vCPU marked itself online in guest RAM', function (this: ConformanceWorld) {
  const p = arm(this);
  const n = smpState(this).cpuOn!.length;
  for (let i = 1; i <= n; i++) expect(p.waitOnline(i), `vCPU ${i} online`).to.equal(true);
  expect(p.guest.started.map((x) => [x.vcpu, x.contextId])).to.deep.equal(Array.from({ length: n }, (_, i) => [i + 1, i + 1]));
});

Then('each vCPU ran on its own core', function (this: ConformanceWorld) {
  const p = arm(this);
  const cores = p.vmm.vcpus.slots.map((s) => p.coreOf(s.id));
  expect(cores.every((c) => c !== null)).to.equal(true);
  expect(new Set(cores).size, `cores ${cores.join(', ')}`).to.equal(cores.length);
  expect(p.kernel.core.cores.length).to.equal(p.build.kernelMaxNumNodes);
});

Then('the VMM logs {string}', function (this: ConformanceWorld, text: string) {
  expect(arm(this).vmmLog()).to.include(text);
});

Then('the VMM created {int} vCPU(s)', function (this: ConformanceWorld, n: number) {
  const s = smpState(this);
  if (s.x86) {
    expect(s.x86.machines.size).to.equal(n);
    return;
  }
  expect(arm(this).vmm.vcpus.slots.length).to.equal(n);
  expect(arm(this).vmm.vgic.numVcpus).to.equal(n);
});

Then('the boot vCPU runs the guest', function (this: ConformanceWorld) {
  const s = smpState(this);
  if (s.x86) {
    expect(s.x86.booted).to.equal(true);
    return;
  }
  const p = arm(this);
  expect(p.run(0, (m) => m.read32(m.ram.base)).done, 'vCPU 0 ran a guest load').to.equal(true);
  expect(p.vmm.vm.alive).to.equal(true);
});

Then("the boot vCPU's SMC calls return these x0 values:", function (this: ConformanceWorld, table: DataTable) {
  const p = arm(this);
  for (const row of table.hashes()) {
    const x = p.smc(0, Number(row.fid), [Number(row.x1), Number(row.x2), Number(row.x3)]);
    if (x === null) powerDeviceGone(this, p);
    expect(x[0], row.call).to.equal(Number(row.x0));
  }
});

Given('the guest has started vCPU 1 and turned the distributor on', function (this: ConformanceWorld) {
  const p = arm(this);
  const r = p.cpuOn(1);
  if (r === null) powerDeviceGone(this, p);
  expect(r, 'CPU_ON').to.equal(PSCI_RET.SUCCESS);
  expect(p.waitOnline(1), 'vCPU 1 online').to.equal(true);
  p.enableDistributor();
});

When('vCPU {int} writes {word} to GICD_SGIR', function (this: ConformanceWorld, from: number, value: string) {
  expect(arm(this).writeSgir(from, Number(value)), `vCPU ${from} wrote GICD_SGIR`).to.equal(true);
  arm(this).settle();
});

Given('vCPU {int} has enabled interrupt {int}', function (this: ConformanceWorld, vcpu: number, irq: number) {
  expect(arm(this).enableIrq(vcpu, irq)).to.equal(true);
});

When('the VMM injects interrupt {int} into vCPU {int}', function (this: ConformanceWorld, irq: number, vcpu: number) {
  expect(arm(this).vmm.vgic.injectIrq(vcpu, irq)).to.equal(0);
  arm(this).settle();
});

Then('vCPU {int} takes interrupt {int}', function (this: ConformanceWorld, vcpu: number, irq: number) {
  expect(arm(this).taken(vcpu)).to.deep.equal([irq]);
});

Then('vCPU {int} takes no interrupt', function (this: ConformanceWorld, vcpu: number) {
  expect(arm(this).taken(vcpu)).to.deep.equal([]);
});

Then('injecting interrupt {int} into vCPU {int} is refused, as vCPU {int} has not enabled its own PPI {int}', function (this: ConformanceWorld, irq: number, vcpu: number, same: number, ppi: number) {
  expect([same, ppi]).to.deep.equal([vcpu, irq]);
  const p = arm(this);
  expect(p.vmm.vgic.injectIrq(vcpu, irq)).to.equal(-1);
  p.settle();
  expect(p.taken(vcpu)).to.deep.equal([]);
});

When('vCPU {int} calls PSCI CPU_OFF', function (this: ConformanceWorld, vcpu: number) {
  const p = arm(this);
  expect(p.smc(vcpu, PSCI_FN.CPU_OFF, []), 'CPU_OFF does not return').to.equal(null);
  expect(p.vmm.vm.alive).to.equal(true);
});

Then('AFFINITY_INFO of vCPU {int} returns {int}', function (this: ConformanceWorld, vcpu: number, x0: number) {
  const x = arm(this).smc(0, PSCI_FN.AFFINITY_INFO_32, [vcpu, 0]);
  expect(x?.[0]).to.equal(x0);
});

Then('CPU_ON of vCPU {int} returns {int}', function (this: ConformanceWorld, vcpu: number, x0: number) {
  expect(arm(this).cpuOn(vcpu)).to.equal(x0);
});

Then("vCPU {int} has entered the guest's secondary entry {int} times", function (this: ConformanceWorld, vcpu: number, n: number) {
  const p = arm(this);
  p.settle();
  expect(p.guest.started.filter((s) => s.vcpu === vcpu)).to.have.length(n);
});

Then('the kernel runs on {int} cores', function (this: ConformanceWorld, n: number) {
  const k = smpState(this).x86?.kernel ?? arm(this).kernel;
  expect(k.core.cores.length).to.equal(n);
});

Then("the guest's machine has no SMC to start another vCPU", function (this: ConformanceWorld) {
  const ms = [...(smpState(this).x86?.machines ?? [])];
  expect(ms).to.have.length(1);
  expect(ms[0].smc).to.equal(undefined);
});

// --- The buildroot guest on vm_minimal (features/smp/smp-guest.feature) -------------------------

const VM_MINIMAL = join(__dirname, '..', 'apps', 'vm_minimal');

interface GuestSmp {
  readonly system: BuiltSystem;
  readonly vmm: ArmVmm;
  /** What the configuration asked of vm0, as the build computes it (src/system/smp.ts). */
  readonly configured: SmpBuild;
  /** The guest console's lines (source vm0). */
  console: string[];
}

function guestSmp(w: ConformanceWorld): GuestSmp {
  const g = (w as ConformanceWorld & { smpGuest?: GuestSmp }).smpGuest;
  if (!g) throw new Error('no vm_minimal system: add "Given the vm_minimal app is built ..."');
  return g;
}

Given("the vm_minimal app is built for the board with NUM_NODES set to the board's core count", function (this: ConformanceWorld) {
  const app = readApp(VM_MINIMAL);
  const options = { board: this.platform.name, seed: this.seed, numNodes: String(this.platform.cores) };
  let system: BuiltSystem;
  try {
    system = buildSystem(VM_MINIMAL, options);
  } catch (e) {
    // The build's refusal of the board is the reason: app.yaml's boards (the settings.cmake
    // supported list) or the configure step's SMP refusal. Any other error is a defect.
    if (!(e instanceof DiagnosticError)) throw e;
    const [d] = e.diagnostics;
    const boardsRefusal = d.pos.file === app.boardsPos.file && d.pos.line === app.boardsPos.line;
    if (boardsRefusal || d.message === smpNotSupportedMessage(kernelArmPlatform(this.platform))) throw new Error(`NOT-SUPPORTED: the build refused ${this.platform.name}: ${e.diagnostics.map((x) => x.message).join('; ')}`);
    throw e;
  }
  const vmm = system.vms[0]?.vmm;
  if (!(vmm instanceof ArmVmm)) throw new Error('vm_minimal has no Arm VM');
  const configured = configuredVmSmp(app, this.platform, options, system.sys, system.vms[0].name);
  (this as ConformanceWorld & { smpGuest?: GuestSmp }).smpGuest = { system, vmm, configured, console: [] };
  this.trace = system.sys.kernel.trace;
});

When('the buildroot guest boots until its kernel has brought up its CPUs', function (this: ConformanceWorld) {
  const g = guestSmp(this);
  const k = g.system.sys.kernel;
  const serial = g.system.sys.serial;
  let done = false;
  const off = serial.onLine((l) => {
    if (l.source === 'vm0' && /Brought up /.test(l.text)) done = true;
  });
  g.system.start();
  k.run({ until: () => done || !g.vmm.vm.alive || k.now > 30e9 });
  off();
  serial.flush();
  g.console = serial.textOf('vm0');
  expect(g.vmm.vm.alive, `the VM died: ${JSON.stringify(g.vmm.vm.state)}`).to.equal(true);
});

Then("the VMM created min\\(num_vcpus of the board's vm_minimal layout, the board's core count) vCPUs", function (this: ConformanceWorld) {
  expect(guestSmp(this).vmm.vcpus.slots.length).to.equal(guestSmp(this).configured.vcpus);
});

Then('the console shows {string} for each secondary vCPU', function (this: ConformanceWorld, banner: string) {
  const g = guestSmp(this);
  const n = g.configured.vcpus;
  for (let cpu = 1; cpu < n; cpu++) expect(g.console.some((l) => l.includes(`CPU${cpu}: ${banner}`)), `CPU${cpu} banner in:\n${g.console.join('\n')}`).to.equal(true);
  expect(g.console.filter((l) => l.includes(banner))).to.have.length(n - 1);
});

Then('the console shows the kernel brought up every vCPU', function (this: ConformanceWorld) {
  const g = guestSmp(this);
  const n = g.configured.vcpus;
  // Linux ≥ 4.10 (the 4.14.87 images) and 4.9 (qemu-arm-virt's 4.9.189) word it differently.
  const want = new RegExp(`\\] (smp: Brought up 1 node, ${n} CPUs?|Brought up ${n} CPUs)$`);
  expect(g.console.some((l) => want.test(l)), g.console.join('\n')).to.equal(true);
});

Then('every vCPU of the VM ran on its own core', function (this: ConformanceWorld) {
  const g = guestSmp(this);
  const cores = g.vmm.vcpus.slots.map((s) => s.thread?.core ?? null);
  expect(cores.every((c) => c !== null), `cores ${cores.join(', ')}`).to.equal(true);
  expect(new Set(cores).size, `cores ${cores.join(', ')}`).to.equal(cores.length);
});
