import { loadPlatform } from '../../../src/platform';
import type { Blocking } from '../../../src/sel4';
import { armTestbed, type ArmTestbedOptions } from '../../../src/vmm/arm';
import type { GuestMachine } from '../../../src/vmm/guest-machine';

export const TWO_CONNECTIONS = [
  { name: 'conn_0', size: 4096, emit: true, consume: true },
  { name: 'conn_1', size: 4096, emit: false, consume: false },
] as const;

/** Runs a scripted guest on an Arm board's VMM until the script ends (or `until` ns of virtual time). */
export function runArm(board: string, script: (m: GuestMachine, log: unknown[]) => Blocking<void>, opts: Partial<ArmTestbedOptions> = {}, until = 5e9) {
  const platform = loadPlatform(board);
  const log: unknown[] = [];
  let finished = false;
  const tb = armTestbed({
    platform,
    ...opts,
    guest: function* (m) {
      yield* script(m, log);
      finished = true;
    },
  });
  const result = tb.kernel.run({ until: () => finished || tb.kernel.now > until });
  return { tb, log, finished, result, platform };
}

/** Guest-side GIC setup: distributor on, `irq` enabled. */
export function* enableIrq(m: GuestMachine, gicd: number, irq: number): Blocking<void> {
  yield* m.write32(gicd, 1);
  yield* m.write32(gicd + 0x100 + 4 * Math.floor(irq / 32), 1 << irq % 32);
}
