/**
 * A minimal guest for passthrough: the guest kernel of this model (scheduler, interrupt entry,
 * printk, PCI core) with only the passed-through devices' drivers built in. It boots, scans the
 * PCI bus on x86, probes each driver and then idles taking interrupts, so every interrupt it
 * counts came through the VMM's mechanism (vGIC list register or virtual PIC).
 */
import type { Blocking, Trace } from '../../sel4';
import type { GuestMachine, GuestOS } from '../../vmm/guest-machine';
import { GuestKernel } from '../kernel/kernel';
import { pciScan, type PciDev } from '../kernel/pci';
import { KERN_ERR } from '../kernel/printk';
import type { PassthroughDriver } from './passthrough-drivers';

export interface PassthroughGuestOptions {
  readonly drivers: readonly PassthroughDriver[];
  readonly trace?: Trace;
  /** Arm: the GIC distributor address from the guest's device tree. */
  readonly gicDistributor?: number;
}

export class PassthroughGuest implements GuestOS {
  kernel: GuestKernel | null = null;
  pci: readonly PciDev[] = [];
  /** Probe results by driver name (0 or a negative errno); set once every driver was probed. */
  probed: Map<string, number> | null = null;

  constructor(readonly o: PassthroughGuestOptions) {}

  *boot(m: GuestMachine): Blocking<void> {
    const k = (this.kernel = new GuestKernel(m, this.o.trace));
    if (m.arch === 'x86') this.pci = yield* pciScan(k);
    const probed = new Map<string, number>();
    for (const d of this.o.drivers) {
      const r = yield* d.probe(k, { pci: this.pci, gicDistributor: this.o.gicDistributor });
      if (r) k.printk(KERN_ERR, `${d.name}: probe failed with error ${r}\n`);
      probed.set(d.name, r);
    }
    this.probed = probed;
    yield* k.run();
  }

  /** What `dmesg` would print. */
  get dmesg(): string {
    return this.kernel?.log.dmesg() ?? '';
  }
}
