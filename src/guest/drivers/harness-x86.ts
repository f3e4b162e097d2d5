/**
 * Test harness: the x86 Init VMM with an x86 passthrough plan realised and routed into it
 * (src/vmm/passthrough/route-x86.ts), the cma34cr device models behind the passed-through PCI
 * devices, and the passthrough guest with the AHCI and e1000e drivers.
 */
import { Kernel, type RunResult } from '../../sel4';
import type { Platform } from '../../platform';
import { AhciController, Intel82574, attachMmio, attachPorts, machineLine } from '../../platform/devices';
import { X86Vmm } from '../../vmm/x86';
import { PciBus } from '../../vmm/pci';
import { deviceUntypeds, x86HostLine, type X86PassthroughPlan, type X86PciPassthrough } from '../../vmm/passthrough';
import { routeX86, type HostPciIdentity, type X86Routing } from '../../vmm/passthrough/route-x86';
import { loadCamkes } from '../../camkes/parser';
import { resolveAssembly } from '../../camkes/resolve';
import { planX86, x86ConfigFromAssembly } from '../../vmm/passthrough';
import { AhciDriver, E1000IoDriver, PCI_CLASS_NETWORK_ETHERNET, PCI_CLASS_STORAGE_SATA, type PassthroughDriver } from './passthrough-drivers';
import { PassthroughGuest } from './passthrough-guest';

/**
 * The cma34cr's devices at their host BDFs (platforms.md §3.7). UNCONFIRMED: the PCH SATA
 * controller's device id (Intel 7-series mobile AHCI, 8086:1e03); 82574L is 8086:10d3.
 */
export const CMA34CR_PCI: Readonly<Record<string, HostPciIdentity & { model: 'ahci' | 'e1000e' }>> = {
  '00:1f.2': { vendorId: 0x8086, deviceId: 0x1e03, classCode: PCI_CLASS_STORAGE_SATA, progIf: 0x01, model: 'ahci' },
  '05:00.0': { vendorId: 0x8086, deviceId: 0x10d3, classCode: PCI_CLASS_NETWORK_ETHERNET, progIf: 0, model: 'e1000e' },
};

/** The file a configuration text is placed in, inside an assembly with `Init vm0` and `VMConfig vm0_config`. */
export const X86_CONFIG_FILE = '/vm.camkes';
export const X86_CONFIG_HEADER = ['component Init { control; }', 'component VMConfig { hardware; }', 'assembly {', '  composition {', '    component Init vm0;', '    component VMConfig vm0_config;', '  }', '  configuration {'];

/** Plans `vm`'s passthrough from configuration lines (either layout); errors are positioned in X86_CONFIG_FILE. */
export function x86PlanFromConfig(platform: Platform, text: string, vm = 'vm0'): X86PassthroughPlan {
  const file = [...X86_CONFIG_HEADER, text, '  }', '}', ''].join('\n');
  const asm = resolveAssembly(loadCamkes(X86_CONFIG_FILE, { readFile: (f) => (f === X86_CONFIG_FILE ? file : undefined), preprocess: 'none' }));
  return planX86(x86ConfigFromAssembly(asm, vm), { platform });
}

export interface X86Rig {
  readonly kernel: Kernel;
  readonly vmm: X86Vmm;
  readonly routing: X86Routing;
  readonly guest: PassthroughGuest;
  readonly drivers: ReadonlyMap<string, PassthroughDriver>;
  readonly ahci: AhciController | null;
  readonly e1000: Intel82574 | null;
  settle(): RunResult;
}

export function x86PassthroughRig(o: { platform: Platform; plan: X86PassthroughPlan; seed?: number; ahciClearAfter?: number }): X86Rig {
  const { plan } = o;
  const kernel = new Kernel({ arch: o.platform.arch === 'ia32' ? 'ia32' : 'x86_64', seed: o.seed ?? 1, untyped: [{ sizeBits: 28, count: 1, paddr: 0x1_0000_0000 }, ...deviceUntypeds([plan])] });
  const alloc = kernel.allocator();
  const cnode = alloc.must('CNode', `${plan.vm} cnode`, 12);
  const bus = new PciBus();
  const known = (d: X86PciPassthrough) => {
    const id = CMA34CR_PCI[d.bdf];
    // IDE mode (no ABAR) is a different device; the model only has the AHCI driver.
    return id && (id.model !== 'ahci' || d.memory.length > 0) ? id : undefined;
  };
  const drivers = new Map<string, PassthroughDriver>();
  for (const d of plan.pciDevices) {
    const m = known(d)?.model;
    if (m === 'ahci') drivers.set(d.bdf, new AhciDriver(o.ahciClearAfter ?? 1));
    else if (m === 'e1000e') drivers.set(d.bdf, new E1000IoDriver());
  }
  const guest = new PassthroughGuest({ drivers: [...drivers.values()], trace: kernel.trace });
  const vmm = new X86Vmm({ kernel, name: plan.vm, cnode, serial: { write: () => undefined }, ramMb: 16, cmdline: '', guest, rootSlot: () => alloc.slot(), pci: bus });
  const routing = routeX86({ kernel, vmm, plan, alloc, bus, hostPci: (d) => known(d) ?? { vendorId: 0xffff, deviceId: 0xffff, classCode: 0, progIf: 0 } });
  let ahci: AhciController | null = null;
  let e1000: Intel82574 | null = null;
  for (const d of plan.pciDevices) {
    const m = known(d)?.model;
    if (!m || !d.irq) continue;
    const line = machineLine(kernel.machine, x86HostLine(d.irq), d.irq.trigger);
    const frames = routing.realisation.regions.filter((r) => r.region.paddr === d.memory[0]?.paddr).flatMap((r) => r.frames.map((f) => kernel.root.object<import('../../sel4').Frame>(f)!));
    if (m === 'ahci') attachMmio((ahci = new AhciController(d.name, line)), frames);
    else {
      e1000 = new Intel82574(d.name, line);
      if (frames.length) attachMmio(e1000, frames);
      for (const r of d.ioports) attachPorts(kernel.machine, r.first, r.last - r.first + 1, e1000.ioPorts());
    }
  }
  vmm.start();
  const settle = () => kernel.run({ maxSteps: 500_000 });
  kernel.run({ until: () => guest.probed !== null, maxSteps: 2_000_000 });
  if (!guest.probed || [...guest.probed.values()].some((r) => r !== 0)) throw new Error(`the guest drivers did not probe:\n${guest.dmesg}`);
  return { kernel, vmm, routing, guest, drivers, ahci, e1000, settle };
}
