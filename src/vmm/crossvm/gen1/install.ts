import type { ComponentRuntime } from '../../../camkes/runtime';
import type { VmmGlue } from '../../glue';
import { VM_PIC_BADGE_IRQ_12 } from '../../x86/machine';
import type { X86Vmm } from '../../x86/vmm';
import { CrossVmGen1 } from './crossvm';
import { planGen1 } from './plan';

/**
 * Binds an app's generation-1 glue to the VM instance `rt` and installs libcrossvm on `vmm`
 * (positioned errors for glue that would not link). The consumes hook passes its `irq_badge`
 * parameter on as the VMM gave it (irq_badges[12]); a constant written there is used as written.
 */
export function installGen1(vmm: X86Vmm, glue: VmmGlue, rt: ComponentRuntime): CrossVmGen1 {
  const plan = planGen1(glue, rt);
  const arg = glue.initFunctions.consumes?.irqBadgeArg;
  const badge = arg && arg.kind === 'int' ? Number(arg.value) : VM_PIC_BADGE_IRQ_12;
  return new CrossVmGen1(vmm, plan, rt, badge);
}
