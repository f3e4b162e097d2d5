import { PCI_COMMAND_IO, type PciDeviceDef } from '../pci';
import {
  VIRTIO_CONFIG_S_DRIVER_OK, VIRTIO_PCI, VIRTIO_PCI_ISR_QUEUE, VIRTIO_PCI_QUEUE_ADDR_SHIFT, VIRTIO_PCI_VENDOR, VIRTIO_PLACEMENT,
} from './layout';
import type { VirtioMemory } from './memory';
import { DeviceVirtqueue, type ChainError, type DescChain } from './virtqueue';

/** A device type behind the transport (virtio-net, virtio-console). */
export interface VirtioBackend {
  /** Short name for messages (`virtio-net`). */
  readonly kind: string;
  /** Virtio device type (VIRTIO_ID_*), the PCI subsystem id. */
  readonly deviceType: number;
  readonly pciDeviceId: number;
  readonly classCode: number;
  readonly numQueues: number;
  /** Offered feature bits as a u32 mask. */
  readonly hostFeatures: number;
  /** Device-specific configuration space (after the legacy header). */
  configRead(offset: number, size: 1 | 2 | 4): number;
  /** Called once the transport exists, before any guest access. */
  attach(t: VirtioPciTransport): void;
  /** The driver notified queue `q`, or set DRIVER_OK (q = -1): take what is available. */
  kick(q: number): void;
  /** Status was written 0: forget everything in flight. */
  reset(): void;
}

export interface VirtioTransportOptions {
  readonly name: string;
  readonly backend: VirtioBackend;
  readonly memory: VirtioMemory;
  /** I/O port of BAR0 (x86 port space; on Arm, offset into the vPCI IO window). */
  readonly ioPort: number;
  /** PCI INTERRUPT_LINE: the board's virtio line (Arm INTID, x86 PIC line). */
  readonly irqLine: number;
  /** Raise the device's interrupt (vGIC inject / PIC line). */
  readonly interrupt: () => void;
  /** The guest read the ISR: a level-triggered line may drop. */
  readonly deassert?: () => void;
  /** VMM error output (a malformed chain). */
  readonly log?: (text: string) => void;
}

/**
 * The legacy virtio-PCI transport (virtio 0.9.5 register block in an I/O BAR, the layout
 * upstream libvirtio uses — see VIRTIO_PLACEMENT). The guest's port accesses to BAR0 arrive as
 * `ioRead`/`ioWrite` with the offset into the block; queue notifications run the backend at once
 * (event-driven: notify → process → used ring → interrupt), never from a polling loop.
 */
export class VirtioPciTransport {
  readonly def: PciDeviceDef;
  status = 0;
  guestFeatures = 0;
  queueSel = 0;
  isr = 0;
  private readonly pfns: number[];
  private readonly queues: (DeviceVirtqueue | null)[];

  constructor(readonly o: VirtioTransportOptions) {
    const b = o.backend;
    this.pfns = new Array<number>(b.numQueues).fill(0);
    this.queues = new Array<DeviceVirtqueue | null>(b.numQueues).fill(null);
    this.def = {
      name: o.name,
      vendorId: VIRTIO_PCI_VENDOR,
      deviceId: b.pciDeviceId,
      command: PCI_COMMAND_IO,
      status: 0,
      revisionId: 0,
      classCode: b.classCode,
      progIf: 0,
      headerType: 0,
      subsystemVendorId: VIRTIO_PCI_VENDOR,
      subsystemId: b.deviceType,
      interruptLine: o.irqLine,
      interruptPin: VIRTIO_PLACEMENT.interruptPin,
      bars: [{ address: o.ioPort, size: VIRTIO_PLACEMENT.ioSize, space: 'io', prefetchable: false }],
    };
    b.attach(this);
  }

  get ioPort(): number {
    return this.o.ioPort;
  }

  /** Whether a port belongs to this device's BAR0. */
  handles(port: number): boolean {
    return port >= this.o.ioPort && port < this.o.ioPort + VIRTIO_PLACEMENT.ioSize;
  }

  get driverOk(): boolean {
    return (this.status & VIRTIO_CONFIG_S_DRIVER_OK) !== 0;
  }

  /** Queue `q` if the driver has given it an address. */
  queue(q: number): DeviceVirtqueue | null {
    return this.queues[q] ?? null;
  }

  ioRead(offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.byteAt(offset + i);
    if (offset <= VIRTIO_PCI.ISR && offset + size > VIRTIO_PCI.ISR && this.isr) {
      // Reading the ISR acknowledges the interrupt (legacy semantics).
      this.isr = 0;
      this.o.deassert?.();
    }
    return v;
  }

  private byteAt(off: number): number {
    const P = VIRTIO_PCI;
    const reg = (base: number, width: number, value: number): number | null => (off >= base && off < base + width ? Math.floor(value / 256 ** (off - base)) & 0xff : null);
    if (off >= P.CONFIG) return this.o.backend.configRead(off - P.CONFIG, 1) & 0xff;
    const q = this.queueSel < this.queues.length ? this.queueSel : -1;
    return (
      reg(P.HOST_FEATURES, 4, this.o.backend.hostFeatures >>> 0) ??
      reg(P.GUEST_FEATURES, 4, this.guestFeatures >>> 0) ??
      reg(P.QUEUE_PFN, 4, q >= 0 ? this.pfns[q] : 0) ??
      reg(P.QUEUE_NUM, 2, q >= 0 ? VIRTIO_PLACEMENT.queueSize : 0) ??
      reg(P.QUEUE_SEL, 2, this.queueSel) ??
      reg(P.QUEUE_NOTIFY, 2, 0) ??
      reg(P.STATUS, 1, this.status) ??
      reg(P.ISR, 1, this.isr) ??
      0
    );
  }

  ioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    const P = VIRTIO_PCI;
    switch (offset) {
      case P.GUEST_FEATURES:
        // The driver may only accept what is offered.
        this.guestFeatures = (value & this.o.backend.hostFeatures) >>> 0;
        return;
      case P.QUEUE_PFN:
        this.setPfn(value >>> 0);
        return;
      case P.QUEUE_SEL:
        this.queueSel = value & 0xffff;
        return;
      case P.QUEUE_NOTIFY:
        if ((value & 0xffff) < this.queues.length && this.queues[value & 0xffff]) this.o.backend.kick(value & 0xffff);
        return;
      case P.STATUS:
        this.setStatus(value & 0xff);
        return;
      default:
        // Read-only registers and the (read-only) device configuration ignore writes.
        void size;
    }
  }

  private setPfn(pfn: number): void {
    const q = this.queueSel;
    if (q >= this.queues.length) return;
    this.pfns[q] = pfn;
    this.queues[q] = pfn === 0 ? null : new DeviceVirtqueue(this.o.memory, pfn * 2 ** VIRTIO_PCI_QUEUE_ADDR_SHIFT, VIRTIO_PLACEMENT.queueSize);
  }

  private setStatus(s: number): void {
    if (s === 0) {
      this.reset();
      return;
    }
    const wasOk = this.driverOk;
    this.status = s;
    if (!wasOk && this.driverOk) this.o.backend.kick(-1);
  }

  private reset(): void {
    this.status = 0;
    this.guestFeatures = 0;
    this.queueSel = 0;
    this.isr = 0;
    this.pfns.fill(0);
    this.queues.fill(null);
    this.o.backend.reset();
  }

  /** Takes the next chain of queue `q`, reporting a malformed one once through the VMM log. */
  pop(q: number): DescChain | null {
    const vq = this.queues[q];
    if (!vq) return null;
    const c = vq.pop();
    if (c && 'error' in c) {
      this.report(q, c);
      return null;
    }
    return c;
  }

  private report(q: number, c: ChainError): void {
    // UNCONFIRMED wording: libvirtio's own error text is not in the reference.
    this.o.log?.(`${this.o.backend.kind}: queue ${q}: ${c.error}; queue stopped\n`);
  }

  /** Chains went to the used ring of queue `q`: interrupt unless the driver suppressed it. */
  usedBuffers(q: number): void {
    const vq = this.queues[q];
    if (!vq || !vq.wantsInterrupt()) return;
    const was = this.isr;
    this.isr |= VIRTIO_PCI_ISR_QUEUE;
    if (!was) this.o.interrupt();
  }
}

/**
 * The I/O ports of several virtio devices, for the VMM's port dispatch (x86 `ioIn/ioOut`) or the
 * Arm vPCI IO window (an MMIO region at `vpci.io.base` whose offset is the port).
 */
export class VirtioIoSpace {
  private readonly devices: VirtioPciTransport[] = [];

  add(t: VirtioPciTransport): void {
    if (this.devices.some((d) => d.handles(t.ioPort) || t.handles(d.ioPort))) throw new RangeError(`${t.o.name}: I/O ports 0x${t.ioPort.toString(16)} overlap another virtio device`);
    this.devices.push(t);
  }

  handles(port: number): boolean {
    return this.devices.some((d) => d.handles(port));
  }

  /** An unclaimed port reads all ones, as on a real bus. */
  read(port: number, size: 1 | 2 | 4): number {
    const d = this.devices.find((x) => x.handles(port));
    return d ? d.ioRead(port - d.ioPort, size) : size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
  }

  write(port: number, size: 1 | 2 | 4, value: number): void {
    const d = this.devices.find((x) => x.handles(port));
    d?.ioWrite(port - d.ioPort, size, value);
  }
}
