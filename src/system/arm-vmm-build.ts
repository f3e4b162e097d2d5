// The Arm VMM constructed for a board on its own, as VM_Arm's build and start-up would: what the
// board scenarios ask of "the VMM built for this board" (where its vGIC is, or why it does not build).
import type { Platform } from '../platform';
import { DiagnosticError } from '../diagnostics';
import { Kernel } from '../sel4';
import { PassthroughGuest } from '../guest/drivers/passthrough-guest';
import { ArmVmm } from '../vmm/arm';

/** The outcome of constructing the VMM: the running VMM, or the build's refusal (gicv2.h's #error). */
export type ArmVmmBuild =
  | { readonly ok: true; readonly vmm: ArmVmm; readonly kernel: Kernel }
  | { readonly ok: false; readonly error: DiagnosticError; readonly kernel: Kernel };

/** Guest RAM of the probe VM: enough for a guest with no drivers to reach its probe. */
const RAM = { base: 0x40000000, size: 0x100000 } as const;

/**
 * Constructs and starts the Arm VMM for `p` with a guest that has no drivers, and runs until the
 * guest has probed (so the vGIC and its MMIO regions are in place). A board whose KernelPlatform
 * gicv2.h does not know is refused with the VMM's DiagnosticError; any other error is a defect
 * and propagates.
 */
export function constructArmVmm(p: Platform, seed = 1): ArmVmmBuild {
  const kernel = new Kernel({ arch: p.arch === 'aarch32' ? 'aarch32' : 'aarch64', seed, untyped: [{ sizeBits: 30, count: 1, paddr: 0x1_0000_0000 }] });
  const cnode = kernel.allocator().must('CNode', 'vm0 cnode', 12);
  const guest = new PassthroughGuest({ drivers: [], gicDistributor: p.gic?.distributor });
  try {
    const vmm = new ArmVmm({ kernel, platform: p, name: 'vm0', cnode, ram: RAM, cmdline: '', serial: { write: () => undefined }, guest });
    vmm.start();
    kernel.run({ until: () => guest.probed !== null, maxSteps: 1_000_000 });
    return { ok: true, vmm, kernel };
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return { ok: false, error: e, kernel };
  }
}
