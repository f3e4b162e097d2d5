/**
 * The guest's virtual 8259A pair (libsel4vmm `i8259.c`): master at ports 0x20/0x21, slave at
 * 0xa0/0xa1 cascaded on master line 2. Edge-triggered lines, fixed priority (line 0 highest; the
 * slave's lines take the cascade line's place), IMR masking, IRR/ISR, non-specific and specific
 * EOI, OCW3 register select, and the ICW1-4 initialisation sequence Linux runs at boot.
 */

export const PIC_MASTER_CMD = 0x20;
export const PIC_MASTER_DATA = 0x21;
export const PIC_SLAVE_CMD = 0xa0;
export const PIC_SLAVE_DATA = 0xa1;
const CASCADE_LINE = 2;

class Chip {
  irr = 0;
  isr = 0;
  imr = 0;
  /** ICW2: vector of line 0 (Linux programs 0x30 / 0x38; recorded, the model numbers lines). */
  vectorBase = 0;
  private initStep = 0;
  private expectIcw4 = false;
  private readIsr = false;

  /** The highest-priority line requesting service that is not masked and not below one in service. */
  highest(extraIrr = 0): number {
    const req = (this.irr | extraIrr) & ~this.imr & 0xff;
    for (let l = 0; l < 8; l++) {
      if (this.isr & (1 << l)) return -1; // a line of higher or equal priority is in service
      if (req & (1 << l)) return l;
    }
    return -1;
  }

  command(v: number): void {
    if (v & 0x10) {
      // ICW1: start of initialisation; clears IMR and ISR.
      this.initStep = 2;
      this.expectIcw4 = (v & 1) !== 0;
      this.imr = 0;
      this.isr = 0;
      this.readIsr = false;
      return;
    }
    if (v & 0x08) {
      // OCW3: bits 1-0 = 10 read IRR, 11 read ISR.
      if (v & 0x02) this.readIsr = (v & 0x01) !== 0;
      return;
    }
    // OCW2: EOI commands.
    const cmd = v >> 5;
    if (cmd === 1) this.nonSpecificEoi();
    else if (cmd === 3) this.isr &= ~(1 << (v & 7));
  }

  data(v: number): void {
    if (this.initStep === 2) {
      this.vectorBase = v & 0xf8;
      this.initStep = 3;
    } else if (this.initStep === 3) {
      this.initStep = this.expectIcw4 ? 4 : 0;
    } else if (this.initStep === 4) {
      this.initStep = 0;
    } else this.imr = v & 0xff;
  }

  readCommand(): number {
    return this.readIsr ? this.isr : this.irr;
  }

  nonSpecificEoi(): void {
    for (let l = 0; l < 8; l++)
      if (this.isr & (1 << l)) {
        this.isr &= ~(1 << l);
        return;
      }
  }
}

export class I8259Pair {
  readonly master = new Chip();
  readonly slave = new Chip();

  /** An edge on guest line 0..15 (i8259_gen_irq). */
  raise(line: number): void {
    if (!Number.isInteger(line) || line < 0 || line > 15) throw new RangeError(`PIC line ${line} is outside 0..15`);
    if (line < 8) this.master.irr |= 1 << line;
    else this.slave.irr |= 1 << (line - 8);
  }

  private slaveOutput(): number {
    return this.slave.highest() >= 0 ? 1 << CASCADE_LINE : 0;
  }

  /** True when an INTA cycle would deliver a line now. */
  hasPending(): boolean {
    return this.master.highest(this.slaveOutput()) >= 0;
  }

  /** INTA: the line delivered (now in service), or null when nothing is pending. */
  acknowledge(): number | null {
    const m = this.master.highest(this.slaveOutput());
    if (m < 0) return null;
    this.master.isr |= 1 << m;
    if (m === CASCADE_LINE) {
      const s = this.slave.highest();
      if (s >= 0) {
        this.slave.isr |= 1 << s;
        this.slave.irr &= ~(1 << s);
        return 8 + s;
      }
    }
    this.master.irr &= ~(1 << m);
    return m;
  }

  /** Specific EOI for `line`, and for the cascade line when it is a slave line (what Linux writes). */
  endOfInterrupt(line: number): void {
    if (line >= 8) {
      this.slave.isr &= ~(1 << (line - 8));
      this.master.isr &= ~(1 << CASCADE_LINE);
    } else this.master.isr &= ~(1 << line);
  }

  handles(port: number): boolean {
    return port === PIC_MASTER_CMD || port === PIC_MASTER_DATA || port === PIC_SLAVE_CMD || port === PIC_SLAVE_DATA;
  }

  ioIn(port: number): number {
    const c = port & 0x80 ? this.slave : this.master;
    return port & 1 ? c.imr : c.readCommand();
  }

  ioOut(port: number, value: number): void {
    const c = port & 0x80 ? this.slave : this.master;
    if (port & 1) c.data(value & 0xff);
    else c.command(value & 0xff);
  }
}
