import type { ConsoleDevice } from '../core';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;

const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const IER_RDA = 0x01;

/**
 * The guest's COM1 (a 16550-style 8250 at 0x3f8..0x3ff; camkes-vm Init `serial.c`): THR/RBR,
 * IER, IIR/FCR, LCR (DLAB), MCR, LSR, MSR, SCR. Bytes written to THR go to the serial output;
 * bytes typed at the console fill the receive FIFO and request IRQ 4 while IER enables it.
 *
 * Modelling choice: IER starts with the receive interrupt enabled, as the Linux 8250 driver
 * leaves it once getty has opened ttyS0 (the model's guest does not program the UART itself).
 */
export class Com1 {
  ier = IER_RDA;
  lcr = 0x03;
  mcr = 0;
  scr = 0;
  private dll = 1;
  private dlm = 0;

  constructor(readonly console: ConsoleDevice) {}

  handles(port: number): boolean {
    return port >= COM1_BASE && port < COM1_BASE + 8;
  }

  /** True while the device asserts its interrupt (received data with IER.RDA set). */
  get interrupting(): boolean {
    return (this.ier & IER_RDA) !== 0 && this.console.pending > 0;
  }

  private get dlab(): boolean {
    return (this.lcr & 0x80) !== 0;
  }

  ioIn(port: number): number {
    switch (port - COM1_BASE) {
      case 0:
        if (this.dlab) return this.dll;
        return this.console.pending ? this.console.receive(1)[0] : 0;
      case 1:
        return this.dlab ? this.dlm : this.ier;
      case 2:
        return this.interrupting ? 0x04 : 0x01; // IIR: received data available / no interrupt
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return (this.console.pending ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
      case 6:
        return 0xb0; // MSR: DCD, DSR, CTS
      default:
        return this.scr;
    }
  }

  ioOut(port: number, value: number): void {
    const v = value & 0xff;
    switch (port - COM1_BASE) {
      case 0:
        if (this.dlab) this.dll = v;
        else this.console.transmit(Uint8Array.of(v));
        return;
      case 1:
        if (this.dlab) this.dlm = v;
        else this.ier = v & 0x0f;
        return;
      case 3:
        this.lcr = v;
        return;
      case 4:
        this.mcr = v;
        return;
      case 7:
        this.scr = v;
        return;
      default:
        return; // FCR and read-only registers
    }
  }
}
