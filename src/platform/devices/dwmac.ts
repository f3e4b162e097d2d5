/**
 * The Arm passthrough device modelled: odroidc2's Ethernet, `/ethernet@c9410000`
 * ("amlogic,meson-gxbb-dwmac", "snps,dwmac"; reg 0xc9410000 + 0x10000; interrupts <0 8 1> →
 * INTID 40, edge; platforms.md §2.7), passed through by odroidc2's vm_minimal. It is the one
 * Arm app device that is neither the console nor a PCI host bridge.
 *
 * Synopsys DWMAC DMA registers (GMAC databook): Status at 0x1014 (write 1 to clear; NIS, bit 16,
 * summarises TI bit 0 and RI bit 6), Interrupt Enable at 0x101c (NIE, TIE, RIE). A write to
 * Transmit Poll Demand (0x1004) completes a transmission (TI); `receive()` models a frame
 * arriving (RI). The request is Status & Enable non-zero; on the edge-configured line each
 * rising request is one edge, so a cause left pending gives no further interrupt.
 */
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

export const DWMAC = {
  BUS_MODE: 0x1000,
  TX_POLL_DEMAND: 0x1004,
  STATUS: 0x1014,
  INT_ENABLE: 0x101c,
  TI: 1 << 0,
  RI: 1 << 6,
  NIS: 1 << 16,
} as const;

/** Status bits the driver can clear (interrupt causes and summaries, bits 0-16). */
const CAUSES = 0x1ffff;

export class DwmacEthernet implements MmioDevice {
  readonly windowSize = 0x10000;
  private status = 0;
  private enable = 0;
  private busMode = 0;
  sent = 0;
  received = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
  ) {}

  private reg(off: number): number {
    switch (off) {
      case DWMAC.BUS_MODE:
        return this.busMode;
      case DWMAC.STATUS:
        return this.status;
      case DWMAC.INT_ENABLE:
        return this.enable;
      default:
        return 0;
    }
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    return readSub(this.reg(offset & ~3), offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    if (size !== 4) return;
    const v = value >>> 0;
    switch (offset) {
      case DWMAC.BUS_MODE:
        this.busMode = v;
        break;
      case DWMAC.TX_POLL_DEMAND:
        this.sent++;
        this.raise(DWMAC.TI);
        break;
      case DWMAC.STATUS:
        this.status &= ~(v & CAUSES);
        if (!(this.status & (DWMAC.TI | DWMAC.RI))) this.status &= ~DWMAC.NIS;
        break;
      case DWMAC.INT_ENABLE:
        this.enable = v & CAUSES;
        break;
    }
    this.update();
  }

  receive(): void {
    this.received++;
    this.raise(DWMAC.RI);
    this.update();
  }

  private raise(cause: number): void {
    this.status |= cause | DWMAC.NIS;
  }

  private update(): void {
    this.irq.set((this.status & this.enable & CAUSES) !== 0);
  }
}
