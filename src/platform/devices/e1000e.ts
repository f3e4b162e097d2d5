/**
 * An Intel 82574 Gigabit Ethernet controller (the cma34cr's Ethernet5, PCI 05:00.0: memory BAR
 * 0xc0500000 + 0x20000 and 0xc0520000 + 0x4000 (MSI-X), I/O BAR 0x3000-0x301f, IOAPIC pin 17,
 * level, active low; platforms.md §3.7; Ethernet6 is the one the native Ethdriver82574 drives).
 * Interrupt registers per the 82574 datasheet: ICR (read clears), ICS (write sets causes, the
 * "poke"), IMS (write sets mask bits), IMC (write clears them). INTx# is asserted while
 * ICR & IMS is non-zero, so reading ICR deasserts the line. Bumping the transmit tail (TDT)
 * completes the transmission (TXDW); `receive()` models a frame arriving (RXT0). The I/O BAR
 * gives the same registers through IOADDR (+0) / IODATA (+4).
 */
import type { IOPortDevice } from '../../sel4';
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

export const E1000 = {
  CTRL: 0x0000,
  STATUS: 0x0008,
  ICR: 0x00c0,
  ICS: 0x00c8,
  IMS: 0x00d0,
  IMC: 0x00d8,
  TDT: 0x3818,
  ICR_TXDW: 1 << 0,
  ICR_LSC: 1 << 2,
  ICR_RXT0: 1 << 7,
  /** ICR.INT_ASSERTED, set whenever the controller is asserting its interrupt. */
  ICR_ASSERTED: 1 << 31,
  /** STATUS: full duplex, link up, 1000 Mb/s. */
  STATUS_UP: 0x00000083,
} as const;

export class Intel82574 implements MmioDevice {
  readonly windowSize = 0x20000;
  private icr = 0;
  private ims = 0;
  private ctrl = 0;
  private tdt = 0;
  private ioaddr = 0;
  /** Frames sent (TDT bumps) and received so far. */
  sent = 0;
  received = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
  ) {}

  private read32(off: number): number {
    switch (off) {
      case E1000.CTRL:
        return this.ctrl;
      case E1000.STATUS:
        return E1000.STATUS_UP;
      case E1000.ICR: {
        const v = this.icr | (this.icr & this.ims ? E1000.ICR_ASSERTED : 0);
        this.icr = 0; // read to clear
        this.update();
        return v >>> 0;
      }
      case E1000.IMS:
        return this.ims;
      case E1000.TDT:
        return this.tdt;
      default:
        return 0;
    }
  }

  private write32(off: number, v: number): void {
    switch (off) {
      case E1000.CTRL:
        this.ctrl = v;
        break;
      case E1000.ICS:
        this.icr |= v & ~E1000.ICR_ASSERTED;
        break;
      case E1000.IMS:
        this.ims |= v;
        break;
      case E1000.IMC:
        this.ims &= ~v;
        break;
      case E1000.ICR:
        this.icr &= ~v; // writing ones also clears causes
        break;
      case E1000.TDT:
        this.tdt = v & 0xffff;
        this.sent++;
        this.icr |= E1000.ICR_TXDW;
        break;
    }
    this.update();
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    return readSub(this.read32(offset & ~3), offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    // Registers are written whole; narrower writes are not used by drivers of this part.
    if (size === 4) this.write32(offset & ~3, value >>> 0);
  }

  /** A frame arrived from the wire. */
  receive(): void {
    this.received++;
    this.icr |= E1000.ICR_RXT0;
    this.update();
  }

  /** The I/O BAR: IOADDR selects a register, IODATA reads or writes it. */
  ioPorts(): IOPortDevice {
    return {
      in: (port, size) => ((port & 0x1f) === 0 ? this.ioaddr : (port & 0x1f) === 4 ? readSub(this.read32(this.ioaddr & 0x1fffc), 0, size) : 0xffffffff),
      out: (port, _size, v) => {
        if ((port & 0x1f) === 0) this.ioaddr = v >>> 0;
        else if ((port & 0x1f) === 4) this.write32(this.ioaddr & 0x1fffc, v >>> 0);
      },
    };
  }

  private update(): void {
    this.irq.set((this.icr & this.ims) !== 0);
  }
}
