/**
 * A PCI IDE controller in native mode (the cma34cr SATA controller with the BIOS set to legacy
 * IDE, PCI 00:1f.2, IOAPIC pin 19, level, active low; platforms.md §3.7), one channel, on I/O
 * ports. ATA semantics: writing the Command register starts a command, which completes at once
 * (Status DRDY, plus DRQ for IDENTIFY DEVICE) and raises INTRQ unless Device Control nIEN is set;
 * reading Status clears INTRQ, reading Alternate Status does not. The bus-master status register
 * mirrors INTRQ in bit 2, which the driver clears by writing 1.
 *
 * UNCONFIRMED: which of the seed's six I/O ranges is which BAR. Chosen: the 8-port range
 * 0x40b0 is the command block, the 4-port range 0x40c8 the control block (Alternate Status and
 * Device Control at +2), the 16-port range 0x4080 the bus-master block.
 */
import type { IOPortDevice } from '../../sel4';
import type { InterruptOutput } from './wires';

export const ATA = {
  DATA: 0,
  SECTOR_COUNT: 2,
  COMMAND: 7,
  STATUS: 7,
  ALT_STATUS: 2,
  DEVICE_CONTROL: 2,
  BM_STATUS: 2,
  ST_ERR: 0x01,
  ST_DRQ: 0x08,
  ST_DRDY: 0x40,
  CTL_NIEN: 0x02,
  BM_INTERRUPT: 0x04,
  IDENTIFY_DEVICE: 0xec,
} as const;

export interface IdePorts {
  readonly command: number;
  readonly control: number;
  readonly busMaster: number;
}

export const CMA34CR_IDE_PORTS: IdePorts = { command: 0x40b0, control: 0x40c8, busMaster: 0x4080 };

export class IdeController {
  private status: number = ATA.ST_DRDY;
  private nIEN = false;
  private intrq = false;
  private bmStatus = 0;
  private regs = new Uint8Array(8);
  /** Commands completed so far. */
  completed = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
    readonly ports: IdePorts = CMA34CR_IDE_PORTS,
  ) {}

  /** The three register blocks as I/O-port devices, with their first port and span. */
  blocks(): { first: number; span: number; device: IOPortDevice }[] {
    return [
      { first: this.ports.command, span: 8, device: { in: (p) => this.commandIn(p - this.ports.command), out: (p, _s, v) => this.commandOut(p - this.ports.command, v) } },
      { first: this.ports.control, span: 4, device: { in: (p) => this.controlIn(p - this.ports.control), out: (p, _s, v) => this.controlOut(p - this.ports.control, v) } },
      { first: this.ports.busMaster, span: 16, device: { in: (p) => (p - this.ports.busMaster === ATA.BM_STATUS ? this.bmStatus : 0), out: (p, _s, v) => this.busMasterOut(p - this.ports.busMaster, v) } },
    ];
  }

  private commandIn(off: number): number {
    if (off !== ATA.STATUS) return this.regs[off];
    // Reading Status acknowledges the interrupt (ATA: "the device shall clear INTRQ").
    this.intrq = false;
    this.update();
    return this.status;
  }

  private commandOut(off: number, v: number): void {
    if (off !== ATA.COMMAND) {
      this.regs[off] = v & 0xff;
      return;
    }
    this.completed++;
    this.status = ATA.ST_DRDY | ((v & 0xff) === ATA.IDENTIFY_DEVICE ? ATA.ST_DRQ : 0);
    this.intrq = true;
    this.bmStatus |= ATA.BM_INTERRUPT;
    this.update();
  }

  private controlIn(off: number): number {
    return off === ATA.ALT_STATUS ? this.status : 0xff;
  }

  private controlOut(off: number, v: number): void {
    if (off !== ATA.DEVICE_CONTROL) return;
    this.nIEN = (v & ATA.CTL_NIEN) !== 0;
    this.update();
  }

  private busMasterOut(off: number, v: number): void {
    if (off === ATA.BM_STATUS) this.bmStatus &= ~(v & ATA.BM_INTERRUPT); // RW1C
  }

  private update(): void {
    this.irq.set(this.intrq && !this.nIEN);
  }
}
