import { PCI_BAR_MEM_PREFETCH, PCI_BAR_SPACE_IO, PCI_CFG, PCI_CONFIG_SIZE, PCI_NUM_BARS, isPowerOfTwo, type PciBarSpec, type PciDeviceDef } from './config';

/**
 * One emulated PCI function: its configuration space as bytes, plus BAR size probing.
 * Following libsel4vmmplatsupport's BAR emulation, the VMM fixes every BAR's address: a write
 * of all ones to a BAR makes the next read return the size mask (`~(size-1)` with the type
 * bits), and any other write just ends the probe, leaving the address where the VMM put it
 * (which is why the Arm apps boot Linux with `realloc=off`). Every other register is
 * read-only to the guest.
 */
export class PciFunction {
  private readonly space = new Uint8Array(PCI_CONFIG_SIZE);
  private readonly probing = new Array<boolean>(PCI_NUM_BARS).fill(false);

  constructor(readonly def: PciDeviceDef) {
    const w = (off: number, size: number, v: number) => {
      for (let i = 0; i < size; i++) this.space[off + i] = (v >>> (8 * i)) & 0xff;
    };
    w(PCI_CFG.VENDOR_ID, 2, def.vendorId);
    w(PCI_CFG.DEVICE_ID, 2, def.deviceId);
    w(PCI_CFG.COMMAND, 2, def.command);
    w(PCI_CFG.STATUS, 2, def.status);
    w(PCI_CFG.REVISION_ID, 1, def.revisionId);
    w(PCI_CFG.CLASS_PROG, 1, def.progIf);
    w(PCI_CFG.CLASS_DEVICE, 2, def.classCode);
    w(PCI_CFG.HEADER_TYPE, 1, def.headerType);
    w(PCI_CFG.SUBSYSTEM_VENDOR_ID, 2, def.subsystemVendorId);
    w(PCI_CFG.SUBSYSTEM_ID, 2, def.subsystemId);
    w(PCI_CFG.INTERRUPT_LINE, 1, def.interruptLine);
    w(PCI_CFG.INTERRUPT_PIN, 1, def.interruptPin);
    def.bars.forEach((b, i) => {
      if (!b) return;
      if (!isPowerOfTwo(b.size)) throw new RangeError(`${def.name}: BAR${i} size ${b.size} is not a power of two`);
      w(PCI_CFG.BAR0 + 4 * i, 4, barValue(b, b.address));
    });
  }

  read(offset: number, size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.byteAt(offset + i);
    return v;
  }

  private byteAt(offset: number): number {
    if (offset < 0 || offset >= PCI_CONFIG_SIZE) return 0xff;
    const bar = barIndex(offset);
    const spec = bar === null ? null : this.def.bars[bar];
    if (bar !== null && spec && this.probing[bar]) return (barValue(spec, -spec.size >>> 0) >>> (8 * ((offset - PCI_CFG.BAR0) & 3))) & 0xff;
    return this.space[offset];
  }

  write(offset: number, size: 1 | 2 | 4, value: number): void {
    const bar = barIndex(offset);
    if (bar === null) return;
    const all = size === 4 ? 0xffffffff : size === 2 ? 0xffff : 0xff;
    // Only a full-width all-ones write is a size probe; anything else restores the fixed address.
    this.probing[bar] = size === 4 && (value >>> 0) === all && this.def.bars[bar] !== null && this.def.bars[bar] !== undefined;
  }

  /** BAR `i` as the VMM placed it. */
  bar(i: number): PciBarSpec | null {
    return this.def.bars[i] ?? null;
  }
}

function barIndex(offset: number): number | null {
  const rel = offset - PCI_CFG.BAR0;
  return rel >= 0 && rel < 4 * PCI_NUM_BARS ? Math.floor(rel / 4) : null;
}

function barValue(b: PciBarSpec, address: number): number {
  if (b.space === 'io') return ((address & ~0x3) | PCI_BAR_SPACE_IO) >>> 0;
  return ((address & ~0xf) | (b.prefetchable ? PCI_BAR_MEM_PREFETCH : 0)) >>> 0;
}
