import type { SeL4ErrorName } from '../api/errors';
import type { KernelCore } from '../kernel/core';
import { KObject } from '../model/objects';
import type { TCB } from './tcb';

export type LRState = 'invalid' | 'pending' | 'active';

export interface ListRegister {
  state: LRState;
  virq: number;
  priority: number;
  group: number;
}

/** GICv2's spurious interrupt id, what the guest reads from GICC_IAR with nothing pending. */
export const SPURIOUS_IRQ = 1023;

/**
 * ARM VCPU: the guest's virtual CPU interface, reduced to what the VMM drives: the vGIC list
 * registers (a fixed number per architecture, ArchConfig.listRegisters). The VMM injects with
 * seL4_ARM_VCPU_InjectIRQ naming a list register; when none is free the VMM keeps its own
 * overflow queue. When the guest EOIs an injected interrupt the kernel frees the register and
 * sends the VCPU thread's fault handler a VGICMaintenance fault naming it.
 */
export class VCPU extends KObject {
  readonly type = 'VCPU';
  readonly lrs: ListRegister[];
  tcb: TCB | null = null;

  constructor(
    id: number,
    name: string,
    k: KernelCore,
  ) {
    super(id, name);
    this.lrs = [];
    for (let i = 0; i < k.cfg.listRegisters; i++) this.lrs.push({ state: 'invalid', virq: 0, priority: 0, group: 0 });
  }

  /** The lowest-numbered free list register, or -1 when all are in use ("list registers full"). */
  freeListRegister(): number {
    return this.lrs.findIndex((l) => l.state === 'invalid');
  }

  hasPending(): boolean {
    return this.lrs.some((l) => l.state === 'pending');
  }

  override finalise(): void {
    if (this.tcb) this.tcb.vcpu = null;
    this.tcb = null;
  }
}

/**
 * seL4_ARM_VCPU_InjectIRQ(vcpu, virq, priority, group, index). seL4 refuses an index beyond the
 * list registers (RangeError), and a register that still holds an active interrupt (DeleteFirst);
 * a pending one is overwritten, as the kernel writes the register unconditionally otherwise.
 */
export function vcpuInjectIRQ(k: KernelCore, v: VCPU, virq: number, priority: number, group: number, index: number): SeL4ErrorName {
  let r: SeL4ErrorName = 'seL4_NoError';
  if (!Number.isInteger(index) || index < 0 || index >= v.lrs.length) r = 'seL4_RangeError';
  else if (virq < 0 || virq > 1019 || priority < 0 || priority > 31 || group < 0 || group > 1) r = 'seL4_RangeError';
  else if (v.lrs[index].state === 'active') r = 'seL4_DeleteFirst';
  if (r === 'seL4_NoError') {
    v.lrs[index] = { state: 'pending', virq, priority, group };
    const t = v.tcb;
    if (t && t.state === 'WaitingForInterrupt') k.wake(t, undefined);
  }
  k.record('seL4_ARM_VCPU_InjectIRQ', v.name, virq, r === 'seL4_NoError' ? `lr ${index}` : r);
  return r;
}

/** Guest reads GICC_IAR: the highest-priority pending interrupt becomes active (lower value wins). */
export function vcpuAcknowledge(k: KernelCore, v: VCPU): number {
  let best = -1;
  for (let i = 0; i < v.lrs.length; i++) {
    const l = v.lrs[i];
    if (l.state === 'pending' && (best < 0 || l.priority < v.lrs[best].priority)) best = i;
  }
  if (best < 0) return SPURIOUS_IRQ;
  v.lrs[best].state = 'active';
  k.record('GICC_IAR', v.name, v.lrs[best].virq, `lr ${best}`);
  return v.lrs[best].virq;
}

/** Guest writes GICC_EOIR: frees the register; returns its index for the maintenance fault, or -1. */
export function vcpuEOI(k: KernelCore, v: VCPU, virq: number): number {
  const i = v.lrs.findIndex((l) => l.state === 'active' && l.virq === virq);
  k.record('GICC_EOIR', v.name, virq, i < 0 ? 'no active list register' : `lr ${i}`);
  if (i < 0) return -1;
  v.lrs[i] = { state: 'invalid', virq: 0, priority: 0, group: 0 };
  return i;
}
