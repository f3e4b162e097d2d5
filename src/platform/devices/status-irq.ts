/**
 * The interrupt side of the Arm boards' passed-through devices that have no model of their own:
 * one cause bit in a write-one-to-clear status register, gated by an enable bit, asserting the
 * device's level-triggered SPI while both are set. That is how each of these blocks reports the
 * event the scenarios use (an RTC tick, a completed MMC/SD command, a memory controller decode
 * error, a timer expiry). Register offsets and bits: the vendors' Linux drivers, recalled
 * (UNCONFIRMED; the reference gives only the nodes, addresses and INTIDs), kept in
 * `BOARD_DEVICE_LAYOUTS` only. Both the device model and the guest driver read the layout, as
 * Linux's driver and the silicon agree on a datasheet.
 */
import type { InterruptOutput, MmioDevice } from './wires';
import { readSub } from './wires';

/** What a driver needs to take a device's interrupt: where the cause is, how to enable and clear it. */
export interface DriverLayout {
  /** Status register offset and the cause bit. */
  readonly status: number;
  readonly cause: number;
  /** Register and bit that let the cause reach the interrupt output. */
  readonly enable: number;
  readonly enableBit: number;
  /** Register the handler writes the cause to, to clear it (default: `status`, write one to clear). */
  readonly clear?: number;
  /** Register writes the driver's probe makes before enabling the interrupt, in order. */
  readonly setup?: readonly (readonly [offset: number, value: number])[];
}

export interface StatusLayout extends DriverLayout {
  /** Linux `compatible` the layout is for. */
  readonly compatible: string;
  /** The event, in the datasheet's words. */
  readonly event: string;
  /** Bytes the register window decodes. */
  readonly window: number;
}

export const BOARD_DEVICE_LAYOUTS: readonly StatusLayout[] = [
  // s3c-rtc: INTP (0x30) bit 0 TIC, RTCCON (0x40) bit 8 TICEN; the node's second interrupt is the tick.
  { compatible: 'samsung,s3c6410-rtc', event: 'tick', status: 0x30, cause: 1 << 0, enable: 0x40, enableBit: 1 << 8, window: 0x100 },
  // dw_mmc: RINTSTS (0x44) bit 2 CMD_DONE, INTMASK (0x24) bit 2.
  { compatible: 'samsung,exynos5420-dw-mshc-smu', event: 'command done', status: 0x44, cause: 1 << 2, enable: 0x24, enableBit: 1 << 2, window: 0x1000 },
  // SDHCI: NORMAL_INT_STATUS (0x30) bit 0 CMD_COMPLETE, INT_SIGNAL_ENABLE (0x38) bit 0.
  { compatible: 'nvidia,tegra124-sdhci', event: 'command complete', status: 0x30, cause: 1 << 0, enable: 0x38, enableBit: 1 << 0, window: 0x200 },
  // tegra MC: MC_INTSTATUS (0x000) bit 6 DECERR_EMEM, MC_INTMASK (0x004) bit 6.
  { compatible: 'nvidia,tegra210-mc', event: 'decode error', status: 0x000, cause: 1 << 6, enable: 0x004, enableBit: 1 << 6, window: 0x1000 },
  // tegra186 TMR: TMRSR (0x4) bit 30 INTR_CLR, TMRCR (0x0) bit 31 EN.
  { compatible: 'nvidia,tegra186-timer', event: 'expiry', status: 0x004, cause: 1 << 30, enable: 0x000, enableBit: 1 << 31, window: 0x10000 },
];

export function layoutFor(compatible: readonly string[]): StatusLayout | undefined {
  return BOARD_DEVICE_LAYOUTS.find((l) => compatible.includes(l.compatible));
}

/** A device whose event sets `cause` in a W1C status register; the output follows status & enable. */
export class StatusIrqDevice implements MmioDevice {
  readonly windowSize: number;
  private status = 0;
  private enabled = 0;
  /** Events so far. */
  events = 0;

  constructor(
    readonly name: string,
    readonly layout: StatusLayout,
    private readonly irq: InterruptOutput,
  ) {
    this.windowSize = layout.window;
  }

  /** The hardware event (tick, command done...). */
  raise(): void {
    this.events++;
    this.status = (this.status | this.layout.cause) >>> 0;
    this.update();
  }

  mmioRead(offset: number, size: 1 | 2 | 4): number {
    const reg = offset & ~3;
    const v = reg === this.layout.status ? this.status : reg === this.layout.enable ? this.enabled : 0;
    return readSub(v, offset, size);
  }

  mmioWrite(offset: number, size: 1 | 2 | 4, value: number): void {
    const reg = offset & ~3;
    const v = size === 4 ? value >>> 0 : (value << ((offset & 3) * 8)) >>> 0;
    if (reg === this.layout.status) this.status = (this.status & ~v) >>> 0;
    else if (reg === this.layout.enable) this.enabled = v;
    this.update();
  }

  private update(): void {
    this.irq.set((this.status & this.layout.cause) !== 0 && (this.enabled & this.layout.enableBit) !== 0);
  }
}
