/**
 * An AHCI SATA host bus adapter (the cma34cr's Intel PCH SATA controller, PCI 00:1f.2, in AHCI
 * mode: ABAR 0xc0713000 size 0x800, IOAPIC pin 19, level, active low; platforms.md §3.7) with one
 * port. Registers per AHCI 1.3: the generic host control block and port 0 at 0x100. A command
 * issued through PxCI completes at once with a D2H Register FIS: PxCI clears, PxIS.DHRS sets and,
 * when enabled, IS bit 0; INTx# is asserted while GHC.IE is set and IS is non-zero. The driver
 * clears PxIS and then IS by writing ones, which deasserts the line.
 */
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

export const AHCI = {
  CAP: 0x00,
  GHC: 0x04,
  IS: 0x08,
  PI: 0x0c,
  VS: 0x10,
  P0IS: 0x110,
  P0IE: 0x114,
  P0CMD: 0x118,
  P0CI: 0x138,
  GHC_IE: 1 << 1,
  GHC_AE: 1 << 31,
  /** PxIS.DHRS: a D2H Register FIS arrived (the command completed). */
  PxIS_DHRS: 1 << 0,
  /** AHCI 1.3. */
  VERSION: 0x00010300,
} as const;

export class AhciController implements MmioDevice {
  readonly windowSize = 0x800;
  private ghc: number = AHCI.GHC_AE;
  private is = 0;
  private pxis = 0;
  private pxie = 0;
  private pxcmd = 0;
  /** Commands completed so far. */
  completed = 0;

  constructor(
    readonly name: string,
    private readonly irq: InterruptOutput,
  ) {}

  private reg(offset: number): number {
    switch (offset & ~3) {
      case AHCI.CAP:
        return 0; // NP = 0 and NCS = 0: one port, one command slot
      case AHCI.GHC:
        return this.ghc;
      case AHCI.IS:
        return this.is;
      case AHCI.PI:
        return 1;
      case AHCI.VS:
        return AHCI.VERSION;
      case AHCI.P0IS:
        return this.pxis;
      case AHCI.P0IE:
        return this.pxie;
      case AHCI.P0CMD:
        return this.pxcmd;
      default:
        return 0; // P0CI reads 0: every issued command has already completed
    }
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    return readSub(this.reg(offset), offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    switch (offset & ~3) {
      case AHCI.GHC:
        this.ghc = (v & AHCI.GHC_IE) | AHCI.GHC_AE;
        break;
      case AHCI.IS:
        this.is &= ~v; // RW1C
        break;
      case AHCI.P0IS:
        this.pxis &= ~v; // RW1C
        break;
      case AHCI.P0IE:
        this.pxie = v;
        break;
      case AHCI.P0CMD:
        this.pxcmd = v;
        break;
      case AHCI.P0CI:
        if (v) this.complete();
        break;
    }
    this.update();
  }

  private complete(): void {
    this.completed++;
    this.pxis |= AHCI.PxIS_DHRS;
  }

  private update(): void {
    if (this.pxis & this.pxie) this.is |= 1;
    this.irq.set((this.ghc & AHCI.GHC_IE) !== 0 && this.is !== 0);
  }
}
