/**
 * A bench for one passed-through AHCI controller without a VMM or guest: the x86 plan realised
 * on a fresh kernel (the root task holds the device frames and IRQHandlers), the AHCI model
 * behind the PCI device's memory region and wired to the host line the plan routes it to
 * (IOAPIC pin → dest + 16, `x86HostLine`). The register sequences are the ahci driver's
 * (`AhciDriver` in passthrough-drivers.ts), written through the ABAR frame as the driver's
 * mapping of it would: scenarios about the interrupt's delivery and deassertion drive them.
 */
import { Kernel, type Frame } from '../../sel4';
import type { Platform } from '../../platform';
import { AHCI, AhciController, attachMmio, machineLine } from '../../platform/devices';
import { deviceUntypeds, realise, x86HostLine, type Realisation, type X86PassthroughPlan } from '../../vmm/passthrough';

export interface AhciBench {
  readonly kernel: Kernel;
  readonly realised: Realisation;
  readonly ahci: AhciController;
  /** The first frame of the controller's memory region: ABAR, offset 0 is CAP. */
  readonly abar: Frame;
}

/** Realises `plan` and puts an AHCI controller behind its PCI device `bdf`; throws when the device cannot carry one. */
export function realiseAhciBench(o: { platform: Platform; plan: X86PassthroughPlan; bdf: string; seed?: number }): AhciBench {
  const { plan } = o;
  const dev = plan.pciDevices.find((d) => d.bdf === o.bdf);
  if (!dev) throw new Error(`no PCI device ${o.bdf} in ${plan.vm}'s plan: it has ${plan.pciDevices.map((d) => d.bdf).join(', ') || 'none'}`);
  if (!dev.irq) throw new Error(`PCI device ${o.bdf} has no IRQ routed: an AHCI controller signals INTx#`);
  if (!dev.memory.length) throw new Error(`PCI device ${o.bdf} passes no memory: an AHCI controller needs its ABAR`);
  const kernel = new Kernel({ arch: o.platform.arch, seed: o.seed ?? 1, untyped: [{ sizeBits: 24, count: 1, paddr: 0x1000000 }, ...deviceUntypeds([plan])] });
  const realised = realise(plan, { kernel, alloc: kernel.allocator() });
  const ahci = new AhciController(dev.name, machineLine(kernel.machine, x86HostLine(dev.irq), dev.irq.trigger));
  const frames = realised.regions
    .filter((r) => dev.memory.some((m) => m.paddr === r.region.paddr))
    .flatMap((r) => r.frames.map((f) => kernel.root.object<Frame>(f)!));
  attachMmio(ahci, frames);
  return { kernel, realised, ahci, abar: frames[0] };
}

/** The driver's probe: GHC.IE on, port 0's D2H interrupt enabled, one command issued in slot 0. */
export function ahciEnableAndIssue(abar: Frame): void {
  abar.writeU(AHCI.GHC, 4, AHCI.GHC_IE);
  abar.writeU(AHCI.P0IE, 4, AHCI.PxIS_DHRS);
  abar.writeU(AHCI.P0CI, 4, 1);
}

/** The driver's interrupt acknowledgement: PxIS then IS, each written back with the bits it read. */
export function ahciClearInterrupt(abar: Frame): void {
  abar.writeU(AHCI.P0IS, 4, abar.readU(AHCI.P0IS, 4));
  abar.writeU(AHCI.IS, 4, abar.readU(AHCI.IS, 4));
}
