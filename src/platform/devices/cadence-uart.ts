/**
 * Cadence UART (Xilinx "xuartps"), zcu102's console UART0 `/amba/serial@ff000000` (INTID 53,
 * level; platforms.md §2.8), the only device zcu102's vm_minimal passes through. Registers from
 * the Zynq UltraScale+ TRM (as Linux's xilinx_uartps.c names them): CR 0x00 (RXEN bit 2, RXDIS
 * bit 3), IER 0x08 / IDR 0x0c (write one to set / clear a bit of IMR), IMR 0x10, ISR 0x14 (sticky
 * causes, write one to clear), RXWM 0x20 (receive FIFO trigger level, reset 0x20), SR 0x2c
 * (RXEMPTY bit 1, TXEMPTY bit 3), FIFO 0x30. The interrupt output is ISR & IMR.
 *
 * Receive: each character goes to the 64-byte FIFO; RXTRIG (bit 0) latches in ISR when the FIFO
 * holds at least RXWM characters (Linux's startup writes RXWM = 1), RXOVR (bit 5) when it was full.
 */
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

export const CDNS_UART = {
  CR: 0x00,
  MR: 0x04,
  IER: 0x08,
  IDR: 0x0c,
  IMR: 0x10,
  ISR: 0x14,
  RXWM: 0x20,
  SR: 0x2c,
  FIFO: 0x30,
  CR_RXEN: 1 << 2,
  CR_RXDIS: 1 << 3,
  IXR_RXTRIG: 1 << 0,
  IXR_RXOVR: 1 << 5,
  SR_RXEMPTY: 1 << 1,
  SR_TXEMPTY: 1 << 3,
} as const;

const FIFO_DEPTH = 64;
const IXR_BITS = 0x3fff;

export class CadenceUart implements MmioDevice {
  readonly windowSize = 0x1000;
  private readonly rx: number[] = [];
  /** Reset value 0x128: transmitter and receiver disabled, no break. */
  private cr = 0x128;
  private mr = 0;
  private imr = 0;
  private isr = 0;
  private rxwm = 0x20;
  readonly transmitted: number[] = [];
  overruns = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
  ) {}

  private get receiving(): boolean {
    return (this.cr & CDNS_UART.CR_RXEN) !== 0 && (this.cr & CDNS_UART.CR_RXDIS) === 0;
  }

  /** A character arrives; ignored while the receiver is disabled. */
  receive(ch: number): void {
    if (!this.receiving) return;
    if (this.rx.length >= FIFO_DEPTH) {
      this.overruns++;
      this.isr |= CDNS_UART.IXR_RXOVR;
    } else this.rx.push(ch & 0xff);
    if (this.rxwm > 0 && this.rx.length >= this.rxwm) this.isr |= CDNS_UART.IXR_RXTRIG;
    this.update();
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    const reg = offset & ~3;
    let v = 0;
    if (reg === CDNS_UART.CR) v = this.cr;
    else if (reg === CDNS_UART.MR) v = this.mr;
    else if (reg === CDNS_UART.IMR) v = this.imr;
    else if (reg === CDNS_UART.ISR) v = this.isr;
    else if (reg === CDNS_UART.RXWM) v = this.rxwm;
    else if (reg === CDNS_UART.SR) v = (this.rx.length ? 0 : CDNS_UART.SR_RXEMPTY) | CDNS_UART.SR_TXEMPTY;
    else if (reg === CDNS_UART.FIFO) v = this.rx.shift() ?? 0;
    return readSub(v, offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    if (reg === CDNS_UART.CR) this.cr = v & 0x1ff;
    else if (reg === CDNS_UART.MR) this.mr = v & 0x3ff;
    else if (reg === CDNS_UART.IER) this.imr = (this.imr | v) & IXR_BITS;
    else if (reg === CDNS_UART.IDR) this.imr = this.imr & ~v & IXR_BITS;
    else if (reg === CDNS_UART.ISR) this.isr &= ~v;
    else if (reg === CDNS_UART.RXWM) this.rxwm = v & 0x3f;
    else if (reg === CDNS_UART.FIFO) this.transmitted.push(v & 0xff);
    this.update();
  }

  private update(): void {
    this.irq.set((this.isr & this.imr) !== 0);
  }
}
