import type { Blocking } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';
import {
  VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_DRIVER, VIRTIO_CONFIG_S_DRIVER_OK, VIRTIO_CONFIG_S_FAILED, VIRTIO_PCI,
  VIRTIO_PCI_QUEUE_ADDR_SHIFT, VIRTIO_PCI_VENDOR, vringLayout,
} from '../../vmm/virtio/layout';
import { getLe, le } from '../../vmm/virtio/memory';
import { DriverVirtqueue } from './virtqueue';

/** Sized accesses to the device's legacy register block. */
export interface VirtioRegs {
  read(offset: number, size: 1 | 2 | 4): Blocking<number>;
  write(offset: number, size: 1 | 2 | 4, value: number): Blocking<void>;
}

/** Allocates `bytes` of physically contiguous, page-aligned guest RAM (the guest's page allocator). */
export type DmaAlloc = (bytes: number) => number | null;

/**
 * BAR0 as the CPU reaches an I/O BAR: x86 port I/O; Arm has no port space, so the port is an
 * offset into the host bridge's I/O window (`pciIoBase`, the board's vPCI IO region, which Linux
 * learns from the device tree's `ranges`).
 */
export function ioBarRegs(m: GuestMachine, port: number, pciIoBase: number | null): VirtioRegs {
  if (m.arch === 'x86') {
    return {
      read: (off, size) => m.ioIn(port + off, size),
      write: (off, size, v) => m.ioOut(port + off, size, v),
    };
  }
  if (pciIoBase === null) throw new Error(`${m.name}: an Arm guest needs the vPCI IO window to reach I/O BARs`);
  const base = pciIoBase + port;
  return {
    *read(off, size) {
      return getLe(yield* m.read(base + off, size), 0, size);
    },
    *write(off, size, v) {
      yield* m.write(base + off, le(size, v));
    },
  };
}

export interface VirtioPciProbe {
  readonly device: number;
  readonly deviceId: number;
  /** Virtio device type (PCI subsystem id). */
  readonly type: number;
  readonly port: number;
  readonly irq: number;
  readonly slot: string;
}

/**
 * virtio_pci_legacy_probe: a function with vendor 0x1af4 and a transitional device id
 * (0x1000..0x103f) whose BAR0 is an I/O BAR. Null when `device` is not one.
 */
export function* probeVirtioPci(m: GuestMachine, device: number): Blocking<VirtioPciProbe | null> {
  const id = (yield* m.pciConfigRead(device, 0, 0, 4)) >>> 0;
  const vendor = id & 0xffff;
  const deviceId = id >>> 16;
  if (vendor !== VIRTIO_PCI_VENDOR || deviceId < 0x1000 || deviceId > 0x103f) return null;
  const bar0 = (yield* m.pciConfigRead(device, 0, 0x10, 4)) >>> 0;
  if (!(bar0 & 1)) return null;
  const type = yield* m.pciConfigRead(device, 0, 0x2e, 2);
  const irq = (yield* m.pciConfigRead(device, 0, 0x3c, 1)) & 0xff;
  // pci_enable_device: I/O decoding on.
  const cmd = yield* m.pciConfigRead(device, 0, 4, 2);
  if (!(cmd & 1)) yield* m.pciConfigWrite(device, 0, 4, 2, cmd | 1);
  const slot = `0000:00:${device.toString(16).padStart(2, '0')}.0`;
  return { device, deviceId, type, port: bar0 & ~3, irq, slot };
}

/**
 * A legacy virtio-PCI device as the driver core sees it: status handshake, feature
 * negotiation, queue setup in guest RAM, notification and the ISR.
 */
export class VirtioPciDevice {
  features = 0;

  constructor(readonly m: GuestMachine, readonly probe: VirtioPciProbe, readonly regs: VirtioRegs) {}

  *reset(): Blocking<void> {
    yield* this.regs.write(VIRTIO_PCI.STATUS, 1, 0);
  }

  *addStatus(bits: number): Blocking<void> {
    const s = yield* this.regs.read(VIRTIO_PCI.STATUS, 1);
    yield* this.regs.write(VIRTIO_PCI.STATUS, 1, s | bits);
  }

  *status(): Blocking<number> {
    return yield* this.regs.read(VIRTIO_PCI.STATUS, 1);
  }

  /** reset, ACKNOWLEDGE, DRIVER, then accept the offered subset of `wanted` (feature bit numbers). */
  *begin(wanted: readonly number[]): Blocking<number> {
    yield* this.reset();
    yield* this.addStatus(VIRTIO_CONFIG_S_ACKNOWLEDGE);
    yield* this.addStatus(VIRTIO_CONFIG_S_DRIVER);
    const host = (yield* this.regs.read(VIRTIO_PCI.HOST_FEATURES, 4)) >>> 0;
    const mask = wanted.reduce((a, b) => (a | (1 << b)) >>> 0, 0);
    this.features = (host & mask) >>> 0;
    yield* this.regs.write(VIRTIO_PCI.GUEST_FEATURES, 4, this.features);
    return this.features;
  }

  has(bit: number): boolean {
    return (this.features & (1 << bit)) !== 0;
  }

  /** setup_vq: select, read the size (0: absent), allocate and clear the ring, write its PFN. */
  *setupQueue<T>(q: number, alloc: DmaAlloc, startIndex = 0): Blocking<DriverVirtqueue<T> | null> {
    yield* this.regs.write(VIRTIO_PCI.QUEUE_SEL, 2, q);
    const num = yield* this.regs.read(VIRTIO_PCI.QUEUE_NUM, 2);
    if (!num || (yield* this.regs.read(VIRTIO_PCI.QUEUE_PFN, 4))) return null;
    const base = alloc(vringLayout(0, num).bytes);
    if (base === null) return null;
    const vq = new DriverVirtqueue<T>(this.m, q, base, num);
    yield* vq.init(startIndex);
    yield* this.regs.write(VIRTIO_PCI.QUEUE_PFN, 4, Math.floor(base / 2 ** VIRTIO_PCI_QUEUE_ADDR_SHIFT));
    return vq;
  }

  *driverOk(): Blocking<void> {
    yield* this.addStatus(VIRTIO_CONFIG_S_DRIVER_OK);
  }

  *failed(): Blocking<void> {
    yield* this.addStatus(VIRTIO_CONFIG_S_FAILED);
  }

  *notify(q: number): Blocking<void> {
    yield* this.regs.write(VIRTIO_PCI.QUEUE_NOTIFY, 2, q);
  }

  /** Kicks queue `vq` if the device did not ask to be left alone. */
  *kick(vq: DriverVirtqueue<unknown>): Blocking<void> {
    if (yield* vq.kickNeeded()) yield* this.notify(vq.index);
  }

  /** Reading the ISR acknowledges the interrupt. */
  *isr(): Blocking<number> {
    return yield* this.regs.read(VIRTIO_PCI.ISR, 1);
  }

  *config(offset: number, size: 1 | 2 | 4): Blocking<number> {
    return yield* this.regs.read(VIRTIO_PCI.CONFIG + offset, size);
  }
}
