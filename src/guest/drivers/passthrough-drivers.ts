/**
 * Guest drivers for passed-through devices, in the shape of their Linux counterparts: probe maps
 * the registers (Arm: the node's physical address, mapped 1:1 by the VMM; x86: the BARs the PCI
 * core found), enables the device's interrupt and `request_irq`s its line; the hard-IRQ handler
 * reads the cause, clears it and counts. Every register access is a real guest access through
 * the machine, so what the driver sees is what the device behind the VMM's mapping returned.
 *
 * `clearAfter` (default 1) models a driver that leaves the cause pending for the first
 * `clearAfter - 1` interrupts (NAPI-style deferral): a level line then fires again after the
 * EOI, an edge line does not.
 */
import type { Blocking } from '../../sel4';
import { AHCI, CDNS_UART, DWMAC, E1000, PL011, type DriverLayout } from '../../platform/devices';
import type { GuestKernel, IrqReturn } from '../kernel/kernel';
import type { PciDev } from '../kernel/pci';
import { pciEnableDevice } from '../kernel/pci';
import { KERN_ERR, KERN_INFO } from '../kernel/printk';

export interface ProbeContext {
  /** Arm: the GIC distributor's guest-physical address (the guest DT's interrupt-controller). */
  readonly gicDistributor?: number;
  /** x86: what the PCI core found on bus 0. */
  readonly pci: readonly PciDev[];
}

export interface PassthroughDriver {
  readonly name: string;
  /** Interrupts the handler claimed (IRQ_HANDLED) so far. */
  readonly count: number;
  /** The guest line it requested (after probe), -1 before. */
  readonly irq: number;
  probe(k: GuestKernel, ctx: ProbeContext): Blocking<number>;
}

const GICD_CTLR = 0x000;
const GICD_ISENABLER = 0x100;

/** irq_enable on the GIC: the distributor on, the line's set-enable bit written. */
function* gicEnable(k: GuestKernel, dist: number, irq: number): Blocking<void> {
  if (!((yield* k.machine.read32(dist + GICD_CTLR)) & 1)) yield* k.machine.write32(dist + GICD_CTLR, 1);
  yield* k.machine.write32(dist + GICD_ISENABLER + 4 * (irq >>> 5), (1 << (irq & 31)) >>> 0);
}

abstract class BaseDriver implements PassthroughDriver {
  count = 0;
  irq = -1;
  protected runs = 0;
  constructor(
    readonly name: string,
    protected readonly clearAfter = 1,
  ) {}
  abstract probe(k: GuestKernel, ctx: ProbeContext): Blocking<number>;

  protected handled(k: GuestKernel, cause: number): IrqReturn {
    this.count++;
    k.trace?.add('guest-kernel', `${k.machine.name}:kernel`, 'irq_handler', this.name, cause >>> 0, `count ${this.count}`);
    return 'IRQ_HANDLED';
  }

  /** Whether this run clears the cause (false for the first clearAfter - 1 runs). */
  protected clearsNow(): boolean {
    return ++this.runs >= this.clearAfter;
  }

  protected request(k: GuestKernel, line: number, handler: () => Blocking<IrqReturn>): number {
    const r = k.requestIrq(line, () => handler(), 0, this.name, this);
    if (r) k.printk(KERN_ERR, `${this.name}: request_irq(${line}) failed: ${r}\n`);
    else this.irq = line;
    return r;
  }
}

/** An Arm device at its physical address with a status/enable layout (src/platform/devices status-irq.ts, or those below). */
export class MmioStatusDriver extends BaseDriver {
  constructor(
    name: string,
    readonly base: number,
    readonly line: number,
    readonly layout: DriverLayout,
    clearAfter = 1,
  ) {
    super(name, clearAfter);
  }

  *probe(k: GuestKernel, ctx: ProbeContext): Blocking<number> {
    const m = k.machine;
    const r = this.request(k, this.line, () => this.handle(k));
    if (r) return r;
    if (ctx.gicDistributor !== undefined) yield* gicEnable(k, ctx.gicDistributor, this.line);
    for (const [off, v] of this.layout.setup ?? []) yield* m.write32(this.base + off, v);
    yield* m.write32(this.base + this.layout.enable, this.layout.enableBit);
    k.printk(KERN_INFO, `${this.name}: registers at 0x${this.base.toString(16)}, irq ${this.line}\n`);
    return 0;
  }

  private *handle(k: GuestKernel): Blocking<IrqReturn> {
    const status = (yield* k.machine.read32(this.base + this.layout.status)) >>> 0;
    if (!(status & this.layout.cause)) return 'IRQ_NONE';
    if (this.clearsNow()) yield* k.machine.write32(this.base + (this.layout.clear ?? this.layout.status), (status & this.layout.cause) >>> 0);
    return this.handled(k, status);
  }
}

/** stmmac's view of the DWMAC DMA block: receive interrupts (RI, summarised by NIS). */
export const DWMAC_RX_LAYOUT: DriverLayout = { status: DWMAC.STATUS, cause: DWMAC.RI | DWMAC.NIS, enable: DWMAC.INT_ENABLE, enableBit: DWMAC.NIS | DWMAC.RI };

/** amba-pl011's receive interrupt: enable the UART and receiver, unmask RXIM, read MIS, clear through ICR. */
export const PL011_RX_LAYOUT: DriverLayout = {
  status: PL011.MIS,
  cause: PL011.RX,
  enable: PL011.IMSC,
  enableBit: PL011.RX,
  clear: PL011.ICR,
  setup: [[PL011.CR, PL011.CR_UARTEN | PL011.CR_TXE | PL011.CR_RXE]],
};

/** xilinx_uartps's receive interrupt: RXWM 1 and RXEN (cdns_uart_startup), RXTRIG through IER, ISR written back to clear. */
export const CDNS_UART_RX_LAYOUT: DriverLayout = {
  status: CDNS_UART.ISR,
  cause: CDNS_UART.IXR_RXTRIG,
  enable: CDNS_UART.IER,
  enableBit: CDNS_UART.IXR_RXTRIG,
  setup: [[CDNS_UART.RXWM, 1], [CDNS_UART.CR, CDNS_UART.CR_RXEN]],
};

/** PCI class codes (base << 8 | sub) the x86 drivers bind to. */
export const PCI_CLASS_STORAGE_SATA = 0x0106;
export const PCI_CLASS_NETWORK_ETHERNET = 0x0200;

function pciFind(ctx: ProbeContext, classCode: number): PciDev | undefined {
  return ctx.pci.find((d) => d.classCode >>> 8 === classCode);
}

/** Reads an I/O BAR the PCI core skipped (pciScan sizes memory BARs only): its address. */
function* ioBar(k: GuestKernel, dev: PciDev): Blocking<number | null> {
  for (let i = 0; i < 6; i++) {
    const v = (yield* k.machine.pciConfigRead(dev.device, dev.fn, 0x10 + 4 * i, 4)) >>> 0;
    if (v & 1 && v !== 0xffffffff) return v & ~3;
  }
  return null;
}

/** ahci: ABAR is the memory BAR; one command issued at probe completes with an interrupt. */
export class AhciDriver extends BaseDriver {
  abar = 0;
  constructor(clearAfter = 1) {
    super('ahci', clearAfter);
  }

  *probe(k: GuestKernel, ctx: ProbeContext): Blocking<number> {
    const dev = pciFind(ctx, PCI_CLASS_STORAGE_SATA);
    const bar = dev?.bars.find((b) => b.size > 0);
    if (!dev || !bar) return -19; // ENODEV
    yield* pciEnableDevice(k, dev);
    this.abar = bar.addr;
    const r = this.request(k, dev.irq, () => this.handle(k));
    if (r) return r;
    const m = k.machine;
    k.printk(KERN_INFO, `ahci ${dev.slot}: AHCI ${(yield* m.read32(this.abar + AHCI.VS)).toString(16)} abar 0x${this.abar.toString(16)} irq ${dev.irq}\n`);
    yield* m.write32(this.abar + AHCI.GHC, AHCI.GHC_AE | AHCI.GHC_IE);
    yield* m.write32(this.abar + AHCI.P0IE, AHCI.PxIS_DHRS);
    // The port probe's first command (IDENTIFY): it completes with a D2H Register FIS interrupt.
    yield* this.issue(k);
    return 0;
  }

  /** Issues one command on port 0 (what a block request does). */
  *issue(k: GuestKernel): Blocking<void> {
    yield* k.machine.write32(this.abar + AHCI.P0CI, 1);
  }

  private *handle(k: GuestKernel): Blocking<IrqReturn> {
    const m = k.machine;
    const is = (yield* m.read32(this.abar + AHCI.IS)) >>> 0;
    if (!is) return 'IRQ_NONE';
    if (this.clearsNow()) {
      yield* m.write32(this.abar + AHCI.P0IS, yield* m.read32(this.abar + AHCI.P0IS));
      yield* m.write32(this.abar + AHCI.IS, is);
    }
    return this.handled(k, is);
  }
}

/** e1000e through the I/O BAR (IOADDR at +0, IODATA at +4): receive interrupts; reading ICR clears them. */
export class E1000IoDriver extends BaseDriver {
  io = 0;
  constructor() {
    super('e1000e');
  }

  *probe(k: GuestKernel, ctx: ProbeContext): Blocking<number> {
    const dev = pciFind(ctx, PCI_CLASS_NETWORK_ETHERNET);
    if (!dev) return -19;
    const io = yield* ioBar(k, dev);
    if (io === null) return -19;
    this.io = io;
    const r = this.request(k, dev.irq, () => this.handle(k));
    if (r) return r;
    yield* this.write(k, E1000.IMS, E1000.ICR_RXT0);
    k.printk(KERN_INFO, `e1000e ${dev.slot}: I/O 0x${io.toString(16)} irq ${dev.irq}\n`);
    return 0;
  }

  private *write(k: GuestKernel, reg: number, v: number): Blocking<void> {
    yield* k.machine.ioOut(this.io, 4, reg);
    yield* k.machine.ioOut(this.io + 4, 4, v);
  }

  private *handle(k: GuestKernel): Blocking<IrqReturn> {
    yield* k.machine.ioOut(this.io, 4, E1000.ICR);
    const icr = (yield* k.machine.ioIn(this.io + 4, 4)) >>> 0;
    if (!(icr & ~E1000.ICR_ASSERTED)) return 'IRQ_NONE';
    return this.handled(k, icr);
  }
}
