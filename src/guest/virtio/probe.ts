import type { Blocking } from '../../sel4';
import { VIRTIO_ID_CONSOLE, VIRTIO_ID_NET } from '../../vmm/virtio/layout';
import { IRQF_SHARED } from '../kernel/kernel';
import type { GuestSystem } from '../kernel/system';
import { HVC_MAJOR, VirtioConsoleDriver } from './console';
import { VirtioNetDriver, type DmaPool } from './net';
import { netStackOf } from './netstack';
import { ioBarRegs, probeVirtioPci, VirtioPciDevice } from './pci';

export interface VirtioGuestOptions {
  /** Arm: the board's vPCI IO window (`vpci.io.base`), where I/O BARs appear. Unused on x86. */
  readonly pciIoBase?: number | null;
}

export interface VirtioGuestDevices {
  readonly nets: VirtioNetDriver[];
  readonly consoles: VirtioConsoleDriver[];
}

/** The guest kernel's page allocator as the drivers' DMA pool (identity virt_to_phys). */
export function kmallocPool(sys: GuestSystem): DmaPool {
  return { alloc: (bytes) => sys.mem.kmalloc(bytes), free: (addr) => sys.mem.kfree(addr) };
}

/**
 * virtio_pci_probe for every virtio function the PCI core found: virtio-net becomes eth0, eth1...
 * in the network stack, virtio-console becomes /dev/hvc0. Each device's handler is requested
 * IRQF_SHARED on its INTERRUPT_LINE (on Arm the line is shared with the cross-VM devices).
 */
export function* probeVirtio(sys: GuestSystem, opts: VirtioGuestOptions = {}): Blocking<VirtioGuestDevices> {
  const m = sys.k.machine;
  const nets: VirtioNetDriver[] = [];
  const consoles: VirtioConsoleDriver[] = [];
  const pool = kmallocPool(sys);
  let index = 0;
  for (const pd of sys.pciDevices) {
    const p = yield* probeVirtioPci(m, pd.device);
    if (!p) continue;
    const dev = new VirtioPciDevice(m, p, ioBarRegs(m, p.port, opts.pciIoBase ?? null));
    const name = `virtio${index++}`;
    if (p.type === VIRTIO_ID_NET) {
      const d = yield* VirtioNetDriver.probe(`eth${nets.length}`, dev, pool, netStackOf(sys.k));
      if (!d) continue;
      nets.push(d);
      sys.k.requestIrq(p.irq, () => d.interrupt(), IRQF_SHARED, name, d);
    } else if (p.type === VIRTIO_ID_CONSOLE) {
      const d = yield* VirtioConsoleDriver.probe(sys.k, dev, pool);
      if (!d) continue;
      consoles.push(d);
      sys.k.requestIrq(p.irq, () => d.interrupt(), IRQF_SHARED, name, d);
      if (consoles.length === 1) {
        sys.chrdev.register(HVC_MAJOR, 'hvc', d.ops);
        sys.devNode('hvc0', HVC_MAJOR, 0);
      }
    }
  }
  return { nets, consoles };
}
