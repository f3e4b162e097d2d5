import type { ComponentRuntime } from '../../../camkes/runtime';
import type { Sys } from '../../../sel4';
import type { Gen2GlueBindings } from './from-glue';

/**
 * The CAmkES symbols a generation-2 glue names, bound to the VM instance the way the linker binds
 * the generated ones: `<iface>_handle` = the seL4SharedDataWithCaps frame caps in the instance's
 * CNode (which the VMM's CSpace is), `<iface>_emit` = the instance's emit run by the thread that
 * calls it (`sys()`: the VMM thread handling the guest's event-BAR write), and
 * `<iface>_notification_badge()` = the seL4GlobalAsynch badge instantiation gave the interface.
 */
export function gen2Bindings(rt: ComponentRuntime, sys: () => Sys): Gen2GlueBindings {
  return {
    dataport(iface) {
      const h = rt.interfaces.get(iface);
      if (!h || h.kind !== 'dataport' || !h.caps) return undefined;
      return { frames: h.caps.frameCaps, size: h.caps.size };
    },
    emit(iface) {
      const h = rt.interfaces.get(iface);
      if (!h || h.kind !== 'emits') return undefined;
      return () => rt.context(sys()).emit(iface);
    },
    notificationBadge(iface) {
      const h = rt.interfaces.get(iface);
      return h && h.kind === 'consumes-global' ? h.badge : undefined;
    },
  };
}
