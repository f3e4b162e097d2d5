import type { Blocking } from '../../sel4';
import type { GuestMachine } from '../../vmm/guest-machine';

/** The guest's interrupt-controller driver, as far as request_irq needs it (irq_startup). */
export interface Irqchip {
  /** Unmasks `line` at the controller (Linux: irq_startup → the chip's irq_unmask). */
  unmask(line: number): Blocking<void>;
}

const GICD_CTLR = 0x000;
const GICD_ISENABLER = 0x100;

/**
 * Linux's GICv2 driver on the distributor the guest's device tree names: gic_dist_init leaves
 * the distributor enabled; request_irq's irq_startup writes the line's GICD_ISENABLER bit
 * (gic_unmask_irq). Both are MMIO writes the VMM's vGIC emulates.
 */
export function gicIrqchip(m: GuestMachine, distributor: number): Irqchip {
  let distEnabled = false;
  return {
    *unmask(line) {
      if (!distEnabled) {
        yield* m.write32(distributor + GICD_CTLR, 1);
        distEnabled = true;
      }
      yield* m.write32(distributor + GICD_ISENABLER + 4 * (line >>> 5), (1 << (line & 31)) >>> 0);
    },
  };
}
