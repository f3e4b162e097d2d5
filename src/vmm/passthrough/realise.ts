/**
 * Turning a plan into kernel objects, as the CAmkES-generated capDL does for the VMM: device
 * untypeds become frames (or are handed over whole), IRQControl gives an IRQHandler per line with
 * a notification to signal, and on x86 IOPortControl issues the port ranges. Every call goes
 * through the root task's invocations, so the trace shows it. The VMM then maps the frames into
 * the guest and routes each IRQ's notification to its vGIC / PIC line.
 */
import { errorAt } from '../../diagnostics';
import { InitCaps, type CPtr, type Kernel, type ObjectAllocator, type UntypedSpec } from '../../sel4';
import type { ArmPassthroughPlan, Origin, PassthroughIrqSpec, PassthroughPlan, PassthroughRegion, X86IoPortRange, X86IrqRoute } from './types';
import { hex } from './types';

/** seL4 x86: IOAPIC handler vectors 0..107 are offset by 16 inside the kernel (user IRQs 16-123, platforms.md §3.2). */
export const X86_USER_IRQ_BASE = 16;

/** The kernel IRQ line a passthrough route arrives on: the `dest` vector plus the user-IRQ base. */
export function x86HostLine(route: X86IrqRoute): number {
  return route.dest + X86_USER_IRQ_BASE;
}

export interface RealiseOptions {
  readonly kernel: Kernel;
  /** Allocates slots and notifications in the root CNode. */
  readonly alloc: ObjectAllocator;
  /** Notification for an IRQ; default: a fresh one per IRQ named `ntfn <vm> irq <n>`. */
  readonly notificationFor?: (line: number, name: string) => CPtr;
  /** Frames already made for a physical page, shared between the VMs of one system (vm_multi's GICV page). */
  readonly frames?: Map<number, CPtr>;
}

export interface RealisedRegion {
  readonly region: PassthroughRegion;
  /** `frames` regions: one frame cap per page, in address order. */
  readonly frames: readonly CPtr[];
  /** `untyped` regions: the boot untyped handed over. */
  readonly untyped?: CPtr;
}

export interface RealisedIrq {
  /** Kernel IRQ line (Arm: the INTID; x86: `dest` + 16). */
  readonly line: number;
  readonly trigger: 'edge' | 'level';
  readonly handler: CPtr;
  readonly notification: CPtr;
  readonly spec: PassthroughIrqSpec | X86IrqRoute;
}

export interface Realisation {
  readonly vm: string;
  readonly regions: readonly RealisedRegion[];
  readonly irqs: readonly RealisedIrq[];
  /** x86: one IOPort cap per range. */
  readonly ioports: readonly { readonly range: X86IoPortRange; readonly cap: CPtr }[];
}

/**
 * Device untypeds the kernel must boot with for these plans: one per page of each frames region
 * and one per non-RAM untyped region (the GICV page), each address once. Untypeds backing guest
 * RAM (`role: 'ram'`) are ordinary memory the system builder provides.
 */
export function deviceUntypeds(plans: readonly PassthroughPlan[]): UntypedSpec[] {
  const pages = new Map<number, number>();
  for (const p of plans) {
    const regions: readonly PassthroughRegion[] = p.family === 'arm' ? p.regions : p.pciDevices.flatMap((d) => d.memory.map((m) => ({ ...m, kind: 'frames' as const, role: 'device' as const })));
    for (const r of regions) {
      if (r.kind === 'untyped') {
        if (r.role !== 'ram' && !pages.has(r.paddr)) pages.set(r.paddr, r.sizeBits ?? 12);
        continue;
      }
      for (let a = r.paddr; a < r.paddr + r.size; a += 2 ** r.pageBits) if (!pages.has(a)) pages.set(a, r.pageBits);
    }
  }
  return [...pages].sort((a, b) => a[0] - b[0]).map(([paddr, sizeBits]) => ({ paddr, sizeBits, count: 1, device: true }));
}

function fail(origin: Origin, text: string): never {
  throw errorAt(origin.pos, `${origin.what}: ${text}`);
}

function frameAt(o: RealiseOptions, paddr: number, pageBits: number, origin: Origin, vm: string): CPtr {
  const cache = o.frames;
  const hit = cache?.get(paddr);
  if (hit !== undefined) return hit;
  const ut = o.kernel.untyped.find((u) => u.paddr === paddr && u.sizeBits === pageBits && u.device);
  if (!ut) fail(origin, `the kernel has no device untyped of 2^${pageBits} bytes at ${hex(paddr)} (boot it with deviceUntypeds(plans))`);
  const slot = o.alloc.slot();
  const r = o.kernel.root.untypedRetype(ut.cptr, { type: 'Frame', sizeBits: pageBits, offset: slot, name: `frame ${vm} device ${hex(paddr)}` });
  if (r !== 'seL4_NoError') fail(origin, `seL4_Untyped_Retype of the device untyped at ${hex(paddr)} returned ${r}`);
  cache?.set(paddr, slot);
  return slot;
}

function regionCaps(o: RealiseOptions, r: PassthroughRegion, vm: string, local: Map<number, CPtr>): RealisedRegion {
  if (r.kind === 'untyped') {
    const ut = o.kernel.untyped.find((u) => u.paddr === r.paddr && u.sizeBits === r.sizeBits);
    if (!ut) fail(r.origin, `the kernel has no untyped of 2^${r.sizeBits} bytes at ${hex(r.paddr)}`);
    return { region: r, frames: [], untyped: ut.cptr };
  }
  const frames: CPtr[] = [];
  for (let a = r.paddr; a < r.paddr + r.size; a += 2 ** r.pageBits) {
    let f = local.get(a);
    if (f === undefined) local.set(a, (f = frameAt(o, a, r.pageBits, r.origin, vm)));
    frames.push(f);
  }
  return { region: r, frames };
}

function irqCap(o: RealiseOptions, vm: string, line: number, trigger: 'edge' | 'level', origin: Origin): { handler: CPtr; notification: CPtr } {
  const root = o.kernel.root;
  const handler = o.alloc.slot();
  const r = root.irqControlGet(InitCaps.seL4_CapIRQControl, line, InitCaps.seL4_CapInitThreadCNode, handler, trigger);
  if (r !== 'seL4_NoError') fail(origin, `seL4_IRQControl_Get for IRQ ${line} returned ${r}`);
  const notification = o.notificationFor?.(line, vm) ?? o.alloc.must('Notification', `ntfn ${vm} irq ${line}`);
  const s = root.irqHandlerSetNotification(handler, notification);
  if (s !== 'seL4_NoError') fail(origin, `seL4_IRQHandler_SetNotification for IRQ ${line} returned ${s}`);
  return { handler, notification };
}

/** Creates the caps of an Arm plan in the root CNode. A kernel refusal is an error at the entry that asked. */
export function realiseArm(plan: ArmPassthroughPlan, o: RealiseOptions): Realisation {
  const local = new Map<number, CPtr>();
  const regions = plan.regions.map((r) => regionCaps(o, r, plan.vm, local));
  const irqs = plan.irqs.map((spec): RealisedIrq => ({ line: spec.irq, trigger: spec.trigger, spec, ...irqCap(o, plan.vm, spec.irq, spec.trigger, spec.origin) }));
  return { vm: plan.vm, regions, irqs, ioports: [] };
}

export function realise(plan: PassthroughPlan, o: RealiseOptions): Realisation {
  if (plan.family === 'arm') return realiseArm(plan, o);
  const local = new Map<number, CPtr>();
  const ioports = plan.ioports.map((range) => {
    const cap = o.alloc.slot();
    const r = o.kernel.root.ioPortControlIssue(InitCaps.seL4_CapIOPortControl, range.first, range.last, InitCaps.seL4_CapInitThreadCNode, cap);
    if (r !== 'seL4_NoError') fail(range.origin, `seL4_X86_IOPortControl_Issue(${hex(range.first)}, ${hex(range.last)}) returned ${r}`);
    return { range, cap };
  });
  const regions = plan.pciDevices.flatMap((d) => d.memory.map((m) => regionCaps(o, { kind: 'frames', paddr: m.paddr, size: m.size, pageBits: m.pageBits, role: 'device', origin: m.origin }, plan.vm, local)));
  const irqs = plan.irqs.map((spec): RealisedIrq => ({ line: x86HostLine(spec), trigger: spec.trigger, spec, ...irqCap(o, plan.vm, x86HostLine(spec), spec.trigger, spec.origin) }));
  return { vm: plan.vm, regions, irqs, ioports };
}
