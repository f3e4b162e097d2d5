import { HOST_BRIDGE, PCI_DEVICES_PER_BUS, type PciDeviceDef } from './config';
import { PciFunction } from './device';

export type PciAccessSize = 1 | 2 | 4;

/** What an access to an absent function reads: all ones of the access width. */
export function allOnes(size: PciAccessSize): number {
  return size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
}

/**
 * The virtual PCI bus (bus 0 only, function 0 only, as libsel4vmmplatsupport's vpci): device
 * numbers are handed out in the order devices are added, after the host bridge at 00:00.0.
 * Both architectures reach it through `configRead`/`configWrite`: x86 via `PciConfigPorts`
 * (0xcf8/0xcfc), Arm via `camOffset` on the board's PCI CFG window, and the guest model via
 * `GuestMachine.pciConfigRead/Write`.
 */
export class PciBus {
  private readonly slots: (PciFunction | null)[] = new Array<PciFunction | null>(PCI_DEVICES_PER_BUS).fill(null);

  constructor(opts: { hostBridge?: boolean } = {}) {
    if (opts.hostBridge ?? true) this.slots[0] = new PciFunction(HOST_BRIDGE);
  }

  /** vmm_pci_add_entry: the lowest free device number, or -1 when the bus is full. */
  add(def: PciDeviceDef): number {
    const dev = this.slots.indexOf(null);
    if (dev < 0) return -1;
    this.slots[dev] = new PciFunction(def);
    return dev;
  }

  device(dev: number): PciFunction | null {
    return this.slots[dev] ?? null;
  }

  /** Devices present, by device number. */
  devices(): { dev: number; fn: PciFunction }[] {
    return this.slots.flatMap((fn, dev) => (fn ? [{ dev, fn }] : []));
  }

  configRead(bus: number, dev: number, fn: number, offset: number, size: PciAccessSize): number {
    const f = bus === 0 && fn === 0 ? this.slots[dev] : null;
    return f ? f.read(offset, size) : allOnes(size);
  }

  configWrite(bus: number, dev: number, fn: number, offset: number, size: PciAccessSize, value: number): void {
    const f = bus === 0 && fn === 0 ? this.slots[dev] : null;
    if (f) f.write(offset, size, value);
  }

  /** The x86 VMM's `PciConfigSpace` view (src/vmm/x86/pci-ports.ts): null when no function answers. */
  read(bus: number, dev: number, fn: number, offset: number, size: PciAccessSize): number | null {
    const f = bus === 0 && fn === 0 ? this.slots[dev] : null;
    return f ? f.read(offset, size) : null;
  }

  write(bus: number, dev: number, fn: number, offset: number, size: PciAccessSize, value: number): void {
    this.configWrite(bus, dev, fn, offset, size, value);
  }
}

/**
 * The Arm vPCI configuration window decodes CAM-style (not ECAM): bus in bits 23:16, device in
 * 15:11, function in 10:8 and the register in 7:0, matching the `pci-host-cam-generic` node the
 * VMM puts in the guest device tree. UNCONFIRMED: recalled from libsel4vmmplatsupport's Arm vpci.
 */
export function camOffset(offset: number): { bus: number; dev: number; fn: number; reg: number } {
  return { bus: (offset >>> 16) & 0xff, dev: (offset >>> 11) & 0x1f, fn: (offset >>> 8) & 0x7, reg: offset & 0xff };
}

export const PCI_CONF_ADDR_PORT = 0xcf8;
export const PCI_CONF_DATA_PORT = 0xcfc;

/**
 * PCI configuration mechanism #1 for the x86 VMM: CONFIG_ADDRESS at 0xcf8 (enable bit 31, bus
 * 23:16, device 15:11, function 10:8, register 7:2) and CONFIG_DATA at 0xcfc..0xcff. Route the
 * guest's port I/O for 0xcf8..0xcff here.
 */
export class PciConfigPorts {
  private address = 0;

  constructor(readonly bus: PciBus) {}

  handles(port: number): boolean {
    return port >= PCI_CONF_ADDR_PORT && port <= PCI_CONF_DATA_PORT + 3;
  }

  ioIn(port: number, size: PciAccessSize): number {
    if (port >= PCI_CONF_ADDR_PORT && port < PCI_CONF_DATA_PORT) return size === 4 && port === PCI_CONF_ADDR_PORT ? this.address >>> 0 : allOnes(size);
    const a = this.address;
    if (!(a & 0x80000000)) return allOnes(size);
    return this.bus.configRead((a >>> 16) & 0xff, (a >>> 11) & 0x1f, (a >>> 8) & 0x7, (a & 0xfc) + (port - PCI_CONF_DATA_PORT), size);
  }

  ioOut(port: number, size: PciAccessSize, value: number): void {
    if (port === PCI_CONF_ADDR_PORT && size === 4) {
      this.address = value >>> 0;
      return;
    }
    if (port < PCI_CONF_DATA_PORT) return;
    const a = this.address;
    if (a & 0x80000000) this.bus.configWrite((a >>> 16) & 0xff, (a >>> 11) & 0x1f, (a >>> 8) & 0x7, (a & 0xfc) + (port - PCI_CONF_DATA_PORT), size, value);
  }
}
