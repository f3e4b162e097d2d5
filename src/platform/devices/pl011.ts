/**
 * ARM PrimeCell UART (PL011), qemu-arm-virt's console `/pl011@9000000` (INTID 33, level;
 * platforms.md §2.6), which every qemu-arm-virt app but vm_multi passes through. Registers from
 * the PL011 TRM: DR 0x000 (a read takes the oldest received character), FR 0x018 (RXFE bit 4,
 * TXFE bit 7), LCR_H 0x02c, CR 0x030 (UARTEN bit 0, TXE bit 8, RXE bit 9; reset 0x300), IMSC
 * 0x038, RIS 0x03c, MIS 0x040 (RIS & IMSC), ICR 0x044 (write one to clear), and the PrimeCell
 * identification registers at 0xfe0-0xffc that Linux's AMBA bus reads before probing.
 *
 * Only receive is modelled beyond the registers: the FIFOs as left by reset (LCR_H.FEN = 0), so
 * every character received sets RXRIS (bit 4) and reading DR empty clears it. UNCONFIRMED
 * simplification: with FEN = 1 the hardware would raise RXRIS at the IFLS trigger level or on the
 * receive timeout (RTRIS); the model raises RXRIS per character in both modes.
 */
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

export const PL011 = {
  DR: 0x000,
  FR: 0x018,
  LCR_H: 0x02c,
  CR: 0x030,
  IMSC: 0x038,
  RIS: 0x03c,
  MIS: 0x040,
  ICR: 0x044,
  FR_RXFE: 1 << 4,
  FR_TXFE: 1 << 7,
  CR_UARTEN: 1 << 0,
  CR_TXE: 1 << 8,
  CR_RXE: 1 << 9,
  /** RX interrupt: RXIM in IMSC, RXRIS/RXMIS in RIS/MIS, RXIC in ICR. */
  RX: 1 << 4,
  /** Overrun: OERIS. */
  OE: 1 << 10,
} as const;

/** PeriphID0-3 and PCellID0-3 (PL011 r1p5, UNCONFIRMED revision; the part number 0x011 and the cell id are the TRM's). */
const ID_REGS = [0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1];
const RX_FIFO_DEPTH = 16;
const INTERRUPT_BITS = 0x7ff;

export class Pl011Uart implements MmioDevice {
  readonly windowSize = 0x1000;
  private readonly rx: number[] = [];
  private cr = PL011.CR_TXE | PL011.CR_RXE;
  private lcrH = 0;
  private imsc = 0;
  private ris = 0;
  /** Characters the guest wrote to DR. */
  readonly transmitted: number[] = [];
  /** Characters dropped because the receive FIFO was full. */
  overruns = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
  ) {}

  /** A character arrives on the RX pin; ignored while the UART or its receiver is disabled. */
  receive(ch: number): void {
    if (!(this.cr & PL011.CR_UARTEN) || !(this.cr & PL011.CR_RXE)) return;
    if (this.rx.length >= RX_FIFO_DEPTH) {
      this.overruns++;
      this.ris |= PL011.OE;
    } else {
      this.rx.push(ch & 0xff);
      this.ris |= PL011.RX;
    }
    this.update();
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    const reg = offset & ~3;
    let v = 0;
    if (reg >= 0xfe0) v = ID_REGS[(reg - 0xfe0) >> 2];
    else if (reg === PL011.DR) {
      v = this.rx.shift() ?? 0;
      if (!this.rx.length) this.ris &= ~PL011.RX;
      this.update();
    } else if (reg === PL011.FR) v = (this.rx.length ? 0 : PL011.FR_RXFE) | PL011.FR_TXFE;
    else if (reg === PL011.LCR_H) v = this.lcrH;
    else if (reg === PL011.CR) v = this.cr;
    else if (reg === PL011.IMSC) v = this.imsc;
    else if (reg === PL011.RIS) v = this.ris;
    else if (reg === PL011.MIS) v = this.ris & this.imsc;
    return readSub(v, offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    if (reg === PL011.DR) this.transmitted.push(v & 0xff);
    else if (reg === PL011.LCR_H) this.lcrH = v & 0xff;
    else if (reg === PL011.CR) this.cr = v & 0xff87;
    else if (reg === PL011.IMSC) this.imsc = v & INTERRUPT_BITS;
    else if (reg === PL011.ICR) this.ris &= ~v;
    this.update();
  }

  private update(): void {
    this.irq.set((this.ris & this.imsc) !== 0);
  }
}
