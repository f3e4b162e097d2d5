import type { Blocking } from '../../sel4';
import { KERN_DEBUG } from './printk';
import type { GuestKernel } from './kernel';

export interface PciBar {
  readonly index: number;
  readonly addr: number;
  readonly size: number;
  readonly prefetch: boolean;
  readonly is64: boolean;
}

export interface PciDev {
  readonly device: number;
  readonly fn: number;
  readonly vendor: number;
  readonly deviceId: number;
  readonly classCode: number;
  /** dev->irq: the interrupt line register the VMM (as firmware) filled in. */
  readonly irq: number;
  /** Resources by BAR number (index 0..5); absent BARs have size 0 and address 0. */
  readonly bars: readonly PciBar[];
  readonly slot: string;
}

/**
 * The guest PCI core's scan of bus 0 (drivers/pci/probe.c): vendor/device, class, BAR sizing by
 * writing all ones and restoring. Addresses are kept as the firmware (the VMM) assigned them, as
 * Linux does with `pci=realloc=off` (the Arm command line) and with BIOS-assigned BARs on x86.
 */
export function* pciScan(k: GuestKernel): Blocking<PciDev[]> {
  const m = k.machine;
  const out: PciDev[] = [];
  for (let device = 0; device < 32; device++) {
    const id = (yield* m.pciConfigRead(device, 0, 0, 4)) >>> 0;
    const vendor = id & 0xffff;
    if (vendor === 0xffff || vendor === 0) continue;
    const deviceId = id >>> 16;
    const classCode = (yield* m.pciConfigRead(device, 0, 8, 4)) >>> 8;
    const header = (yield* m.pciConfigRead(device, 0, 0x0e, 1)) & 0x7f;
    const slot = `0000:00:${device.toString(16).padStart(2, '0')}.0`;
    k.printk(KERN_DEBUG, `pci ${slot}: [${hex(vendor, 4)}:${hex(deviceId, 4)}] type ${hex(header, 2)} class 0x${hex(classCode, 6)}\n`);
    const bars: PciBar[] = [];
    for (let i = 0; i < 6; i++) {
      const off = 0x10 + 4 * i;
      const orig = (yield* m.pciConfigRead(device, 0, off, 4)) >>> 0;
      yield* m.pciConfigWrite(device, 0, off, 4, 0xffffffff);
      const sz = (yield* m.pciConfigRead(device, 0, off, 4)) >>> 0;
      yield* m.pciConfigWrite(device, 0, off, 4, orig);
      if (sz === 0 || sz === 0xffffffff || orig & 1) {
        bars.push({ index: i, addr: 0, size: 0, prefetch: false, is64: false });
        continue;
      }
      const is64 = ((orig >> 1) & 3) === 2;
      const prefetch = (orig & 8) !== 0;
      let addr = (orig & ~0xf) >>> 0;
      let size = ((~(sz & ~0xf)) >>> 0) + 1;
      if (is64 && i < 5) {
        const hiOff = off + 4;
        const hi = (yield* m.pciConfigRead(device, 0, hiOff, 4)) >>> 0;
        yield* m.pciConfigWrite(device, 0, hiOff, 4, 0xffffffff);
        const hiSz = (yield* m.pciConfigRead(device, 0, hiOff, 4)) >>> 0;
        yield* m.pciConfigWrite(device, 0, hiOff, 4, hi);
        addr = addr + hi * 2 ** 32;
        if (hiSz !== 0xffffffff) size = (((~hiSz) >>> 0) * 2 ** 32) + size;
      }
      bars.push({ index: i, addr, size, prefetch, is64 });
      k.printk(KERN_DEBUG, `pci ${slot}: reg 0x${off.toString(16)}: [mem 0x${hex(addr, 8)}-0x${hex(addr + size - 1, 8)}${is64 ? ' 64bit' : ''}${prefetch ? ' pref' : ''}]\n`);
      if (is64) {
        i++;
        bars.push({ index: i, addr: 0, size: 0, prefetch: false, is64: false });
      }
    }
    const irq = (yield* m.pciConfigRead(device, 0, 0x3c, 1)) & 0xff;
    out.push({ device, fn: 0, vendor, deviceId, classCode, irq, bars, slot });
  }
  return out;
}

function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

/** pci_enable_device: turn on memory decoding (PCI_COMMAND_MEMORY). */
export function* pciEnableDevice(k: GuestKernel, dev: PciDev): Blocking<void> {
  const cmd = yield* k.machine.pciConfigRead(dev.device, dev.fn, 4, 2);
  if (!(cmd & 2)) yield* k.machine.pciConfigWrite(dev.device, dev.fn, 4, 2, cmd | 2);
}
