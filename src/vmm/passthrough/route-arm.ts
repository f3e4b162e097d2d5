/**
 * Wiring a realised Arm passthrough plan into a running VM_Arm VMM, as camkes-vm's VM_Arm does
 * with the caps CAmkES gives it: device untypeds become frames mapped 1:1 (guest-physical =
 * physical) in the guest's stage-2 VSpace, and each IRQ handler's notification belongs to an
 * IRQ-server node whose thread turns a signal into a badge-0 IRQ message to the VMM endpoint;
 * the VMM injects the INTID into the vGIC, and the virq's ack (at the guest's EOI maintenance
 * fault) is `seL4_IRQHandler_Ack`, so a level line still asserted fires again.
 *
 * The root-task half (`routeArm`) runs before the VMM starts; the VMM-thread half is the returned
 * DEFINE_MODULE-style `module`, given to `new ArmVmm({ modules })`.
 */
import { AllRights, CanRead, InitCaps, ReadWrite, msg, type CNode, type CPtr, type Frame, type Kernel, type ObjectAllocator } from '../../sel4';
import type { Platform } from '../../platform';
import type { ArmVmm } from '../arm';
import { realise, type Realisation } from './realise';
import type { ArmPassthroughPlan, PassthroughRegion } from './types';
import { hex } from './types';

/**
 * IRQs served by one IRQ-server node: one badge bit each on its notification. UNCONFIRMED:
 * libsel4vmmplatsupport's irq_server sizes nodes by the badge width; 28 bits is what a 32-bit
 * seL4 badge holds, used for every architecture so node layout does not depend on the word size.
 */
export const IRQS_PER_NODE = 28;

/**
 * Free slots of the VMM's CNode. `bottom-up` is for the root task's copies before the VMM exists
 * (createVmResources then starts after the last filled slot); `top-down` for what the VMM thread
 * creates later, away from its own allocator, which fills upwards.
 */
export function cnodeSlots(kernel: Kernel, cnode: CPtr, direction: 'bottom-up' | 'top-down'): () => CPtr {
  const cn = kernel.root.object<CNode>(cnode);
  if (!cn) throw new Error(`cap ${cnode} in the root CNode is not a CNode`);
  const up = direction === 'bottom-up';
  let next = up ? 1 : cn.size - 1;
  return () => {
    while (next > 0 && next < cn.size && cn.capAt(next)) next += up ? 1 : -1;
    if (next <= 0 || next >= cn.size) throw new Error(`CNode "${cn.name}" is full`);
    const s = next;
    next += up ? 1 : -1;
    return s;
  };
}

/** Copies a root-CNode cap into the VMM's CNode (the capDL loader's job); the slot there. */
export function giveToVmm(kernel: Kernel, cnode: CPtr, slot: () => CPtr, cap: CPtr, what: string): CPtr {
  const dest = slot();
  const r = kernel.root.cnodeCopy(cnode, dest, InitCaps.seL4_CapInitThreadCNode, cap, AllRights);
  if (r !== 'seL4_NoError') throw new Error(`giving ${what} to the VMM: seL4_CNode_Copy returned ${r}`);
  return dest;
}

export interface ArmRouteOptions {
  readonly kernel: Kernel;
  readonly platform: Platform;
  readonly plan: ArmPassthroughPlan;
  /** The VMM's CNode as a cap in the root CNode (what `ArmVmmOptions.cnode` gets). */
  readonly cnode: CPtr;
  /** The root task's allocator (realise's handler and notification slots). */
  readonly alloc: ObjectAllocator;
  /** Called in the VMM thread once a device region's frames exist and are mapped (attach device models here). */
  readonly onDeviceFrames?: (region: PassthroughRegion, frames: readonly Frame[]) => void;
  /** `mmios` frames shared between the VMs of a system (physical address → root-CNode cap), as realise's `frames`. */
  readonly frames?: Map<number, CPtr>;
}

/**
 * The frame size the VMM retypes a device untyped into: the largest the architecture maps that
 * the (aligned, power-of-two) untyped holds. UNCONFIRMED: the reference does not say which page
 * size VM_Arm uses for passthrough untypeds; with 4 KiB pages only, vm_multi's 256 MiB PCIe
 * window alone would take 65536 caps.
 */
export function devicePageBits(kernel: Kernel, sizeBits: number): number {
  return kernel.cfg.pageBits.filter((b) => b <= sizeBits).at(-1) ?? 12;
}

export interface ArmRoutedIrq {
  readonly irq: number;
  readonly trigger: 'edge' | 'level';
  /** The IRQHandler cap in the VMM's CNode (what the virq ack invokes). */
  readonly handler: CPtr;
  readonly node: number;
}

export interface ArmRouting {
  readonly realisation: Realisation;
  readonly irqs: readonly ArmRoutedIrq[];
  /** IRQs left to the VMM itself (the console UART's line, which VM_Arm routes on its own). */
  readonly skipped: readonly number[];
  /** The VMM-thread half: give it to `new ArmVmm({ modules: [routing.module] })`. */
  readonly module: (vmm: ArmVmm) => void;
}

/**
 * Realises `plan`'s device regions and IRQs and prepares their caps in the VMM's CNode. Guest RAM
 * and the GICV page are the VMM's own business (its RAM pool, its VCPU object) and are not routed.
 */
export function routeArm(o: ArmRouteOptions): ArmRouting {
  const { kernel, plan } = o;
  const consoleIrq = o.platform.console.irq;
  const skipped = plan.irqs.filter((i) => i.irq === consoleIrq).map((i) => i.irq);
  const devicePlan: ArmPassthroughPlan = {
    ...plan,
    regions: plan.regions.filter((r) => r.role === 'device'),
    irqs: plan.irqs.filter((i) => i.irq !== consoleIrq),
  };
  const root = kernel.root;
  const rootCNode = InitCaps.seL4_CapInitThreadCNode;
  const nodes: CPtr[] = [];
  const bitOf = new Map<number, { node: number; bit: number }>();
  devicePlan.irqs.forEach((spec, i) => bitOf.set(spec.irq, { node: Math.floor(i / IRQS_PER_NODE), bit: i % IRQS_PER_NODE }));
  const notificationFor = (line: number): CPtr => {
    const at = bitOf.get(line)!;
    while (nodes.length <= at.node) nodes.push(o.alloc.must('Notification', `${plan.vm}:irq server node ${nodes.length} ntfn`));
    const badged = o.alloc.slot();
    const r = root.cnodeMint(rootCNode, badged, rootCNode, nodes[at.node], AllRights, 1 << at.bit);
    if (r !== 'seL4_NoError') throw new Error(`minting the IRQ ${line} badge: ${r}`);
    return badged;
  };
  const realisation = realise(devicePlan, { kernel, alloc: o.alloc, notificationFor, frames: o.frames });
  const slot = cnodeSlots(kernel, o.cnode, 'bottom-up');
  const nodeCaps = nodes.map((n, i) => giveToVmm(kernel, o.cnode, slot, n, `IRQ server node ${i}`));
  const irqs: ArmRoutedIrq[] = realisation.irqs.map((r) => ({
    irq: r.line,
    trigger: r.trigger,
    handler: giveToVmm(kernel, o.cnode, slot, r.handler, `the IRQHandler of IRQ ${r.line}`),
    node: bitOf.get(r.line)!.node,
  }));
  const regions = realisation.regions.map((r) => ({
    region: r.region,
    untyped: r.untyped === undefined ? undefined : giveToVmm(kernel, o.cnode, slot, r.untyped, `the untyped at ${hex(r.region.paddr)}`),
    frames: r.frames.map((f) => giveToVmm(kernel, o.cnode, slot, f, `the frame at ${hex(r.region.paddr)}`)),
  }));

  const module = (vmm: ArmVmm): void => {
    const sys = vmm.sys;
    const vmmSlot = cnodeSlots(kernel, o.cnode, 'top-down');
    for (const r of regions) {
      let frames = r.frames;
      if (r.untyped !== undefined) {
        // The VMM carves the untyped into device frames and maps them where the device is.
        const bits = devicePageBits(kernel, Math.log2(r.region.size));
        const pages = r.region.size / 2 ** bits;
        const caps: CPtr[] = [];
        for (let i = 0; i < pages; i++) {
          const s = vmmSlot();
          const e = sys.untypedRetype(r.untyped, { type: 'Frame', sizeBits: bits, offset: s, name: `frame ${plan.vm} device ${hex(r.region.paddr + i * 2 ** bits)}` });
          if (e !== 'seL4_NoError') throw new Error(`${plan.vm}: retyping the device untyped at ${hex(r.region.paddr)}: ${e}`);
          caps.push(s);
        }
        frames = caps;
      }
      const e = vmm.vm.memory.mapFrames(r.region.paddr, frames, r.region.role === 'device' ? ReadWrite : CanRead);
      if (e !== 'seL4_NoError') throw new Error(`${plan.vm}: mapping the device at ${hex(r.region.paddr)} 1:1: ${e}`);
      o.onDeviceFrames?.(r.region, frames.map((f) => sys.object<Frame>(f)!));
    }
    for (const i of irqs) vmm.vgic.registerIrq(0, i.irq, () => void sys.irqHandlerAck(i.handler));
    const ep = vmm.endpoint;
    nodeCaps.forEach((ntfn, n) => {
      const lines = irqs.filter((i) => i.node === n).map((i) => i.irq);
      const bits = lines.map((irq) => bitOf.get(irq)!.bit);
      kernel.spawn({ name: `${plan.vm}:irq server ${n}`, priority: (vmm.o.priority ?? 100) + 1, cspace: vmm.res.cnode }, function* (s) {
        for (;;) {
          const badge = yield* s.wait(ntfn);
          // irq_server_handle_irq_ipc: one message per line whose bit the badge carries.
          for (let k = 0; k < lines.length; k++) if (badge & (1 << bits[k])) yield* s.send(ep, msg(0, lines[k]));
        }
      });
    });
  };
  return { realisation, irqs, skipped, module };
}
