/**
 * Wiring a realised x86 passthrough plan into the `Init` VMM, as camkes-vm's Init does: each IRQ
 * handler signals the VMM's own notification with the badge `irq_badges[dest]` =
 * BIT(27) | BIT(dest + 1), so `handle_async_event` raises PIC line `dest`; the guest's EOI of
 * that line acknowledges the seL4 IRQ handler (a level line still asserted fires again). The
 * guest's port I/O on a passed-through range exits to the VMM, which performs it on the host
 * through the range's IOPort cap; PCI memory frames are mapped 1:1 in the EPT; each PCI device
 * appears on the virtual PCI bus with its BARs and `dest` as its interrupt line.
 */
import { InitCaps, ReadWrite, type CPtr, type Kernel, type ObjectAllocator, type Sys } from '../../sel4';
import type { PciBarSpec, PciBus, PciDeviceDef } from '../pci';
import { picBadge, type X86Vmm } from '../x86';
import { realise, X86_USER_IRQ_BASE, type Realisation } from './realise';
import { cnodeSlots, giveToVmm } from './route-arm';
import type { X86PassthroughPlan, X86PciPassthrough } from './types';
import { hex } from './types';

/** What the VMM reads from the host's configuration space of a passed-through device. */
export interface HostPciIdentity {
  readonly vendorId: number;
  readonly deviceId: number;
  /** Base class << 8 | subclass. */
  readonly classCode: number;
  readonly progIf: number;
  readonly revisionId?: number;
}

export interface X86RouteOptions {
  readonly kernel: Kernel;
  readonly vmm: X86Vmm;
  readonly plan: X86PassthroughPlan;
  /** The root task's allocator. */
  readonly alloc: ObjectAllocator;
  /** The vPCI bus the VMM was built with (`X86VmmOptions.pci`); absent: PCI devices are not presented. */
  readonly bus?: PciBus;
  /** The host configuration header of a device (the PCIConfig read the VMM makes). */
  readonly hostPci?: (dev: X86PciPassthrough) => HostPciIdentity;
}

export interface X86PresentedDevice {
  readonly device: X86PciPassthrough;
  /** Where the guest finds it: bus 0, this device number, function 0. */
  readonly guestDev: number;
  readonly def: PciDeviceDef;
}

export interface X86Routing {
  readonly realisation: Realisation;
  readonly presented: readonly X86PresentedDevice[];
}

/** BAR sizes must be powers of two; a range of another size gets the next one (UNCONFIRMED: upstream reads the host BAR). */
export function barSize(bytes: number, min: number): number {
  let s = min;
  while (s < bytes) s *= 2;
  return s;
}

/**
 * The BARs the VMM presents (UNCONFIRMED order: Init builds them from the host device; the model
 * lists the configured memory regions first, then the device's I/O ranges, both in written order).
 */
export function presentedBars(dev: X86PciPassthrough): PciBarSpec[] {
  const mem = dev.memory.map((m): PciBarSpec => ({ address: m.paddr, size: barSize(m.size, 16), space: 'memory', prefetchable: false }));
  const io = dev.ioports.map((r): PciBarSpec => ({ address: r.first, size: barSize(r.last - r.first + 1, 4), space: 'io', prefetchable: false }));
  return [...mem, ...io].slice(0, 6);
}

export function routeX86(o: X86RouteOptions): X86Routing {
  const { kernel, vmm, plan } = o;
  const root = kernel.root;
  const vmmCNode = vmm.o.cnode;
  // The kernel signals the VMM's bound notification through a cap badged for line `dest`.
  const notificationFor = (line: number): CPtr => {
    const s = o.alloc.slot();
    const r = root.cnodeMint(InitCaps.seL4_CapInitThreadCNode, s, vmmCNode, vmm.resources.notification, { read: false, write: true, grant: false, grantReply: false }, picBadge(line - X86_USER_IRQ_BASE));
    if (r !== 'seL4_NoError') throw new Error(`minting irq_badges[${line - X86_USER_IRQ_BASE}]: ${r}`);
    return s;
  };
  const realisation = realise(plan, { kernel, alloc: o.alloc, notificationFor });
  const slot = cnodeSlots(kernel, vmmCNode, 'top-down');
  const handlers = realisation.irqs.map((r) => ({ dest: r.line - X86_USER_IRQ_BASE, cap: giveToVmm(kernel, vmmCNode, slot, r.handler, `the IRQHandler of line ${r.line}`) }));
  const ports = realisation.ioports.map((p) => ({ range: p.range, cap: giveToVmm(kernel, vmmCNode, slot, p.cap, `I/O ports ${hex(p.range.first)}-${hex(p.range.last)}`) }));
  const regions = realisation.regions.map((r) => ({ paddr: r.region.paddr, frames: r.frames.map((f) => giveToVmm(kernel, vmmCNode, slot, f, `the frame at ${hex(r.region.paddr)}`)) }));

  const presented: X86PresentedDevice[] = [];
  if (o.bus) {
    for (const d of plan.pciDevices) {
      const id = o.hostPci?.(d) ?? { vendorId: 0xffff, deviceId: 0xffff, classCode: 0, progIf: 0 };
      const def: PciDeviceDef = {
        name: d.name,
        vendorId: id.vendorId,
        deviceId: id.deviceId,
        command: 0,
        status: 0,
        revisionId: id.revisionId ?? 0,
        classCode: id.classCode,
        progIf: id.progIf,
        headerType: 0,
        subsystemVendorId: 0,
        subsystemId: 0,
        // vmm_pci_create_irq_emulation: the guest reads the PIC line the IRQ arrives on.
        interruptLine: d.irq?.dest ?? 0xff,
        interruptPin: d.irq ? 1 : 0,
        bars: presentedBars(d),
      };
      const guestDev = o.bus.add(def);
      if (guestDev < 0) throw new Error(`${plan.vm}: the virtual PCI bus is full; ${d.bdf} (${d.name}) not presented`);
      presented.push({ device: d, guestDev, def });
    }
  }

  let vmmSys: Sys | null = null;
  const sys = (): Sys => {
    if (!vmmSys) throw new Error(`${plan.vm}: passthrough used before the VMM thread initialised it`);
    return vmmSys;
  };
  const allOnes = (size: 1 | 2 | 4) => (size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff);
  for (const p of ports) {
    vmm.machine.passthrough.ports.push({
      first: p.range.first,
      last: p.range.last,
      in: (port, size) => {
        const r = sys().ioPortIn(p.cap, port, size);
        return r.error === 'seL4_NoError' ? r.value : allOnes(size);
      },
      out: (port, size, value) => void sys().ioPortOut(p.cap, port, size, value),
    });
  }
  vmm.machine.passthrough.onEoi.push((line) => {
    for (const h of handlers) if (h.dest === line) sys().irqHandlerAck(h.cap);
  });
  // Init's main_continued maps the PCI memory before the guest runs; nothing in it blocks.
  // eslint-disable-next-line require-yield
  vmm.addInit(function* (s) {
    vmmSys = s;
    for (const r of regions) {
      const e = vmm.vm.memory.mapFrames(r.paddr, r.frames, ReadWrite);
      if (e !== 'seL4_NoError') throw new Error(`${plan.vm}: mapping PCI memory at ${hex(r.paddr)} 1:1: ${e}`);
    }
  });
  return { realisation, presented };
}
