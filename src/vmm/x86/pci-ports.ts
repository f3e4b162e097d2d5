/** The PCI configuration space of the guest's virtual bus, as `src/vmm/pci` will provide it. */
export interface PciConfigSpace {
  /** The value, or null when no function answers (the port then reads all ones). */
  read(bus: number, device: number, fn: number, offset: number, size: 1 | 2 | 4): number | null;
  write(bus: number, device: number, fn: number, offset: number, size: 1 | 2 | 4, value: number): void;
}

export const PCI_CONF_ADDR = 0xcf8;
export const PCI_CONF_DATA = 0xcfc;

const ONES = { 1: 0xff, 2: 0xffff, 4: 0xffffffff } as const;

/**
 * Configuration mechanism #1: a 32-bit address written to 0xcf8 (enable bit 31, bus, device,
 * function, register), then data at 0xcfc..0xcff. Until the vPCI bus exists, or for an absent
 * device, reads return all ones and writes are dropped, as on a real bus.
 */
export class PciConfigPorts {
  address = 0;

  constructor(private readonly bus: PciConfigSpace | null) {}

  handles(port: number): boolean {
    return (port >= PCI_CONF_ADDR && port < PCI_CONF_ADDR + 4) || (port >= PCI_CONF_DATA && port < PCI_CONF_DATA + 4);
  }

  private target(port: number): { bus: number; dev: number; fn: number; off: number } | null {
    if (!(this.address & 0x8000_0000)) return null;
    return { bus: (this.address >>> 16) & 0xff, dev: (this.address >>> 11) & 0x1f, fn: (this.address >>> 8) & 7, off: (this.address & 0xfc) + (port - PCI_CONF_DATA) };
  }

  ioIn(port: number, size: 1 | 2 | 4): number {
    if (port < PCI_CONF_DATA) return port === PCI_CONF_ADDR && size === 4 ? this.address >>> 0 : ONES[size];
    const t = this.target(port);
    if (!t || !this.bus) return ONES[size];
    return this.bus.read(t.bus, t.dev, t.fn, t.off, size) ?? ONES[size];
  }

  ioOut(port: number, size: 1 | 2 | 4, value: number): void {
    if (port < PCI_CONF_DATA) {
      if (port === PCI_CONF_ADDR && size === 4) this.address = value >>> 0;
      return;
    }
    const t = this.target(port);
    if (t && this.bus) this.bus.write(t.bus, t.dev, t.fn, t.off, size, value);
  }
}
