import { fail, ok, type Result, type SeL4ErrorName } from '../api/errors';
import { AllRights, type CapRights, type CPtr, type Message, type Received } from '../api/types';
import type { Cap, CNode } from '../model/cspace';
import type { KObjectType } from '../model/objects';
import { cnodeCopy, cnodeDelete, cnodeMint, cnodeMove, cnodeRevoke, type SlotArg } from '../object/cnode';
import { receiveIPC, sendIPC, type Endpoint } from '../object/endpoint';
import type { Frame } from '../object/frame';
import { ioPortAllowed, ioPortIssue, type IOPortControl, type IOPortRange } from '../object/ioport';
import { irqAck, irqControlGet, irqSetNotification, type IRQLine, type IRQTable, type Trigger } from '../object/irq';
import { receiveSignal, sendSignal, type Notification } from '../object/notification';
import type { SchedContext } from '../object/schedcontext';
import type { TCB } from '../object/tcb';
import { retype, type RetypeArgs } from '../object/untyped';
import { vcpuInjectIRQ, type VCPU } from '../object/vcpu';
import { DEFAULT_VM_ATTRIBUTES, type VMAttributes, type VSpace } from '../object/vspace';
import type { Machine } from '../machine/machine';
import { NUM_PRIORITIES } from './scheduler';
import { RESTART, type KernelCore } from './core';

export interface InvokerEnv {
  readonly k: KernelCore;
  readonly irqs: IRQTable;
  readonly machine: Machine;
}

/** Retype arguments with the destination CNode given as a capability address. */
export type RetypeRequest = Omit<RetypeArgs, 'dest'> & { readonly dest?: CPtr };

/**
 * The non-blocking invocations, addressed by capability in the invoker's CSpace: what the root
 * task (`kernel.root`) and every thread (`sys`) can call. Each returns seL4's error as a value
 * and records one trace event. A slot operand of a CNode operation is (CNode cap, index).
 *
 * Modelling choice: invoking an empty slot returns seL4_InvalidCapability instead of raising a
 * cap fault, so that setup code outside any thread sees the problem; the blocking IPC calls on
 * `Sys` do raise cap faults.
 */
export class Invoker {
  constructor(
    protected readonly env: InvokerEnv,
    /** The thread the calls are made as (the root task has one too, never scheduled). */
    readonly self: TCB,
  ) {}

  protected get k(): KernelCore {
    return this.env.k;
  }

  get cspace(): CNode {
    return this.self.cspace;
  }

  get name(): string {
    return this.self.name;
  }

  /** Virtual time now, in nanoseconds. */
  get now(): number {
    return this.env.k.time;
  }

  /** Entry to the kernel: charges the livelock guard and names the actor. */
  protected enter(): boolean {
    this.env.k.tick();
    this.env.k.actAs(this.self);
    return true;
  }

  /** The capability at `cptr`, or null when the slot is empty or out of range. */
  cap(cptr: CPtr): Cap | null {
    return this.k.lookup(this.cspace, cptr);
  }

  /** The object named by the capability at `cptr` (for handing objects to kernel.spawn etc.). */
  object<T = unknown>(cptr: CPtr): T | null {
    return (this.cap(cptr)?.object ?? null) as T | null;
  }

  private typed(cptr: CPtr, type: KObjectType): Cap | SeL4ErrorName {
    const c = this.cap(cptr);
    if (!c) return 'seL4_InvalidCapability';
    return c.object.type === type ? c : 'seL4_IllegalOperation';
  }

  private arg(cptr: CPtr, type: KObjectType): Cap | null {
    const c = this.cap(cptr);
    return c && c.object.type === type ? c : null;
  }

  private slotArg(root: CPtr, index: number): SlotArg | null {
    const c = this.arg(root, 'CNode');
    return c ? { cnode: c.object as CNode, index } : null;
  }

  private refuse(op: string, cptr: CPtr, r: SeL4ErrorName): SeL4ErrorName {
    this.k.record(op, `${this.cspace.name}[${cptr}]`, undefined, r);
    return r;
  }

  // --- Untyped and CNode -------------------------------------------------------------------

  untypedRetype(ut: CPtr, req: RetypeRequest): SeL4ErrorName {
    this.enter();
    const op = 'seL4_Untyped_Retype';
    const c = this.typed(ut, 'Untyped');
    if (typeof c === 'string') return this.refuse(op, ut, c);
    const dest = req.dest === undefined ? this.cspace : (this.arg(req.dest, 'CNode')?.object as CNode | undefined);
    if (!dest) return this.refuse(op, ut, 'seL4_FailedLookup');
    const r = retype(this.k, this.cspace.slot(ut)!, { ...req, dest });
    this.k.record(op, c.object.name, req.type, r, `${dest.name}[${req.offset}]`);
    return r;
  }

  cnodeCopy(destRoot: CPtr, destIndex: number, srcRoot: CPtr, srcIndex: number, rights: CapRights = AllRights): SeL4ErrorName {
    this.enter();
    const d = this.slotArg(destRoot, destIndex);
    const s = this.slotArg(srcRoot, srcIndex);
    return d && s ? cnodeCopy(this.k, d, s, rights) : this.refuse('seL4_CNode_Copy', destRoot, 'seL4_FailedLookup');
  }

  cnodeMint(destRoot: CPtr, destIndex: number, srcRoot: CPtr, srcIndex: number, rights: CapRights, badge: number): SeL4ErrorName {
    this.enter();
    const d = this.slotArg(destRoot, destIndex);
    const s = this.slotArg(srcRoot, srcIndex);
    return d && s ? cnodeMint(this.k, d, s, rights, badge) : this.refuse('seL4_CNode_Mint', destRoot, 'seL4_FailedLookup');
  }

  cnodeMove(destRoot: CPtr, destIndex: number, srcRoot: CPtr, srcIndex: number): SeL4ErrorName {
    this.enter();
    const d = this.slotArg(destRoot, destIndex);
    const s = this.slotArg(srcRoot, srcIndex);
    return d && s ? cnodeMove(this.k, d, s) : this.refuse('seL4_CNode_Move', destRoot, 'seL4_FailedLookup');
  }

  cnodeDelete(root: CPtr, index: number): SeL4ErrorName {
    this.enter();
    const s = this.slotArg(root, index);
    return s ? cnodeDelete(this.k, s) : this.refuse('seL4_CNode_Delete', root, 'seL4_FailedLookup');
  }

  cnodeRevoke(root: CPtr, index: number): SeL4ErrorName {
    this.enter();
    const s = this.slotArg(root, index);
    return s ? cnodeRevoke(this.k, s) : this.refuse('seL4_CNode_Revoke', root, 'seL4_FailedLookup');
  }

  // --- Frames and VSpaces --------------------------------------------------------------------

  /** seL4_ARM_Page_Map / seL4_X86_Page_Map; mapping an already-mapped cap at the same address remaps. */
  pageMap(frame: CPtr, vspace: CPtr, vaddr: number, rights: CapRights, attrs: VMAttributes = DEFAULT_VM_ATTRIBUTES): SeL4ErrorName {
    this.enter();
    const f = this.typed(frame, 'Frame');
    if (typeof f === 'string') return this.refuse('seL4_Page_Map', frame, f);
    const v = this.arg(vspace, 'VSpace');
    const r = v ? (v.object as VSpace).map(f, vaddr, rights, attrs) : 'seL4_InvalidCapability';
    this.k.record('seL4_Page_Map', f.object.name, vaddr, r, v?.object.name);
    return r;
  }

  pageUnmap(frame: CPtr): SeL4ErrorName {
    this.enter();
    const f = this.typed(frame, 'Frame');
    if (typeof f === 'string') return this.refuse('seL4_Page_Unmap', frame, f);
    const m = f.mapping;
    if (m) m.vspace.unmapCap(f);
    this.k.record('seL4_Page_Unmap', f.object.name, m?.vaddr, 'seL4_NoError', m?.vspace.name);
    return 'seL4_NoError';
  }

  /** seL4_Page_GetAddress: the frame's physical address. */
  pageGetAddress(frame: CPtr): Result<number> {
    this.enter();
    const f = this.typed(frame, 'Frame');
    return typeof f === 'string' ? fail(f === 'seL4_NoError' ? 'seL4_InvalidCapability' : f) : ok((f.object as Frame).paddr);
  }

  // --- TCBs ----------------------------------------------------------------------------------

  private tcbOp(op: string, cptr: CPtr, fn: (t: TCB) => SeL4ErrorName, value?: number | string): SeL4ErrorName {
    this.enter();
    const c = this.typed(cptr, 'TCB');
    if (typeof c === 'string') return this.refuse(op, cptr, c);
    const r = fn(c.object as TCB);
    this.k.record(op, c.object.name, value, r);
    return r;
  }

  tcbSetPriority(tcb: CPtr, priority: number): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_SetPriority', tcb, (t) => {
      // seL4 checks against the caller's maximum controlled priority; the model's MCP is 255.
      if (!Number.isInteger(priority) || priority < 0 || priority >= NUM_PRIORITIES) return 'seL4_RangeError';
      const queued = t.state === 'Running' && t.queue !== null;
      if (queued) this.k.cores[t.core].remove(t);
      t.priority = priority;
      if (queued) this.k.cores[t.core].enqueue(t, false);
      return 'seL4_NoError';
    }, priority);
  }

  tcbSuspend(tcb: CPtr): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_Suspend', tcb, (t) => (this.k.suspend(t), 'seL4_NoError'));
  }

  /** seL4_TCB_Resume: an Inactive thread restarts the call it was suspended in (or its faulting access). */
  tcbResume(tcb: CPtr): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_Resume', tcb, (t) => {
      if (t.state === 'Inactive' && t.gen) {
        t.fault = null;
        this.k.wake(t, RESTART);
      }
      return 'seL4_NoError';
    });
  }

  tcbSetAffinity(tcb: CPtr, core: number): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_SetAffinity', tcb, (t) => {
      if (!Number.isInteger(core) || core < 0 || core >= this.k.cores.length) return 'seL4_InvalidArgument';
      const queued = t.state === 'Running' && t.queue !== null;
      if (queued) this.k.cores[t.core].remove(t);
      t.core = core;
      if (queued) this.k.cores[t.core].enqueue(t, false);
      return 'seL4_NoError';
    }, core);
  }

  /** seL4_TCB_SetSpace: fault handler (a CPtr in the thread's CSpace, looked up at fault time), CSpace and VSpace. */
  tcbSetSpace(tcb: CPtr, faultEP: CPtr | null, cspace: CPtr, vspace: CPtr | null): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_SetSpace', tcb, (t) => {
      const cs = this.arg(cspace, 'CNode');
      const vs = vspace === null ? null : this.arg(vspace, 'VSpace');
      if (!cs || (vspace !== null && !vs)) return 'seL4_IllegalOperation';
      t.faultHandler = faultEP;
      t.cspace = cs.object as CNode;
      t.vspace = vs ? (vs.object as VSpace) : null;
      return 'seL4_NoError';
    });
  }

  tcbBindNotification(tcb: CPtr, ntfn: CPtr): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_BindNotification', tcb, (t) => {
      const c = this.arg(ntfn, 'Notification');
      if (!c || !c.rights.read) return 'seL4_InvalidCapability';
      const n = c.object as Notification;
      if (t.boundNotification || n.boundTCB || n.waiters.length) return 'seL4_IllegalOperation';
      t.boundNotification = n;
      n.boundTCB = t;
      return 'seL4_NoError';
    });
  }

  tcbUnbindNotification(tcb: CPtr): SeL4ErrorName {
    return this.tcbOp('seL4_TCB_UnbindNotification', tcb, (t) => {
      if (!t.boundNotification) return 'seL4_IllegalOperation';
      t.boundNotification.boundTCB = null;
      t.boundNotification = null;
      return 'seL4_NoError';
    });
  }

  /** seL4_ARM_VCPU_SetTCB: the thread runs the guest on this VCPU. */
  vcpuSetTCB(vcpu: CPtr, tcb: CPtr): SeL4ErrorName {
    this.enter();
    const v = this.typed(vcpu, 'VCPU');
    if (typeof v === 'string') return this.refuse('seL4_ARM_VCPU_SetTCB', vcpu, v);
    const t = this.arg(tcb, 'TCB');
    if (!t) return this.refuse('seL4_ARM_VCPU_SetTCB', vcpu, 'seL4_InvalidCapability');
    const vc = v.object as VCPU;
    const th = t.object as TCB;
    if (vc.tcb) vc.tcb.vcpu = null;
    if (th.vcpu) th.vcpu.tcb = null;
    vc.tcb = th;
    th.vcpu = vc;
    this.k.record('seL4_ARM_VCPU_SetTCB', vc.name, undefined, 'seL4_NoError', th.name);
    return 'seL4_NoError';
  }

  /**
   * seL4_SchedControl_Configure and seL4_SchedContext_Bind in one: gives the thread `budget` ns
   * every `period` ns. (The model has no SchedControl cap; any SchedContext cap configures.)
   */
  schedContextConfigure(sc: CPtr, tcb: CPtr, budget: number, period: number): SeL4ErrorName {
    this.enter();
    const s = this.typed(sc, 'SchedContext');
    if (typeof s === 'string') return this.refuse('seL4_SchedControl_Configure', sc, s);
    const t = this.arg(tcb, 'TCB');
    if (!t) return this.refuse('seL4_SchedControl_Configure', sc, 'seL4_InvalidCapability');
    const r: SeL4ErrorName = budget > 0 && period >= budget ? 'seL4_NoError' : 'seL4_RangeError';
    if (r === 'seL4_NoError') configureSchedContext(this.k, s.object as SchedContext, t.object as TCB, budget, period);
    this.k.record('seL4_SchedControl_Configure', s.object.name, `${budget}/${period}`, r, t.object.name);
    return r;
  }

  // --- Notifications and endpoints (non-blocking) ---------------------------------------------

  /** seL4_Signal. Without Write on the cap seL4 returns InvalidCapability (a sender never sees it). */
  signal(ntfn: CPtr): SeL4ErrorName {
    if (!this.enter()) return 'seL4_IllegalOperation';
    const c = this.k.lookup(this.self.cspace, ntfn);
    if (!c || c.object.type !== 'Notification' || !c.rights.write) return this.refuse('seL4_Signal', ntfn, 'seL4_InvalidCapability');
    sendSignal(this.k, c.object as Notification, c.badge);
    return 'seL4_NoError';
  }

  /** seL4_Poll: the pending word (0 when idle) without blocking. */
  poll(ntfn: CPtr): number {
    if (!this.enter()) return 0;
    const c = this.k.lookup(this.self.cspace, ntfn);
    if (!c || c.object.type !== 'Notification' || !c.rights.read) {
      this.refuse('seL4_Poll', ntfn, 'seL4_InvalidCapability');
      return 0;
    }
    return receiveSignal(this.k, this.self, c.object as Notification, false) as number;
  }

  /** seL4_NBSend: delivered only if a receiver is waiting, otherwise dropped. */
  nbSend(ep: CPtr, m: Message): SeL4ErrorName {
    if (!this.enter()) return 'seL4_IllegalOperation';
    const c = this.k.lookup(this.self.cspace, ep);
    if (!c || c.object.type !== 'Endpoint' || !c.rights.write) return this.refuse('seL4_NBSend', ep, 'seL4_InvalidCapability');
    sendIPC(this.k, this.self, c.object as Endpoint, { badge: c.badge, msg: m, isCall: false, canGrant: c.rights.grant, canGrantReply: c.rights.grantReply }, false, 'seL4_NBSend');
    return 'seL4_NoError';
  }

  /** seL4_NBRecv: a waiting sender's message, or badge 0 and an empty message. */
  nbRecv(ep: CPtr): Received {
    const none: Received = { badge: 0, label: 0, mrs: [], extraCaps: 0 };
    if (!this.enter()) return none;
    const c = this.k.lookup(this.self.cspace, ep);
    if (!c || c.object.type !== 'Endpoint' || !c.rights.read) {
      this.refuse('seL4_NBRecv', ep, 'seL4_InvalidCapability');
      return none;
    }
    return receiveIPC(this.k, this.self, c.object as Endpoint, false, 'seL4_NBRecv') as Received;
  }

  // --- IRQs, VCPUs, IO ports -------------------------------------------------------------------

  /** seL4_IRQControl_Get (ARM: GetTrigger with the trigger given). */
  irqControlGet(irqControl: CPtr, line: number, destRoot: CPtr, destIndex: number, trigger: Trigger = 'level'): SeL4ErrorName {
    this.enter();
    const c = this.typed(irqControl, 'IRQControl');
    if (typeof c === 'string') return this.refuse('seL4_IRQControl_Get', irqControl, c);
    const d = this.slotArg(destRoot, destIndex);
    const slot = d?.cnode.slot(d.index);
    if (!slot) return this.refuse('seL4_IRQControl_Get', destRoot, 'seL4_FailedLookup');
    return irqControlGet(this.k, this.env.irqs, line, slot, trigger);
  }

  irqHandlerSetNotification(handler: CPtr, ntfn: CPtr): SeL4ErrorName {
    this.enter();
    const h = this.typed(handler, 'IRQHandler');
    if (typeof h === 'string') return this.refuse('seL4_IRQHandler_SetNotification', handler, h);
    const n = this.cap(ntfn);
    return n ? irqSetNotification(this.k, h.object as IRQLine, n) : this.refuse('seL4_IRQHandler_SetNotification', ntfn, 'seL4_InvalidCapability');
  }

  irqHandlerClear(handler: CPtr): SeL4ErrorName {
    this.enter();
    const h = this.typed(handler, 'IRQHandler');
    return typeof h === 'string' ? this.refuse('seL4_IRQHandler_Clear', handler, h) : irqSetNotification(this.k, h.object as IRQLine, null);
  }

  irqHandlerAck(handler: CPtr): SeL4ErrorName {
    this.enter();
    const h = this.typed(handler, 'IRQHandler');
    return typeof h === 'string' ? this.refuse('seL4_IRQHandler_Ack', handler, h) : irqAck(this.k, h.object as IRQLine);
  }

  vcpuInjectIRQ(vcpu: CPtr, virq: number, priority: number, group: number, index: number): SeL4ErrorName {
    this.enter();
    const v = this.typed(vcpu, 'VCPU');
    return typeof v === 'string' ? this.refuse('seL4_ARM_VCPU_InjectIRQ', vcpu, v) : vcpuInjectIRQ(this.k, v.object as VCPU, virq, priority, group, index);
  }

  /** The lowest free list register of the VCPU, or -1 when all are in use (the VMM then queues). */
  vcpuFreeListRegister(vcpu: CPtr): number {
    const v = this.arg(vcpu, 'VCPU');
    return v ? (v.object as VCPU).freeListRegister() : -1;
  }

  ioPortControlIssue(ioPortControl: CPtr, first: number, last: number, destRoot: CPtr, destIndex: number): SeL4ErrorName {
    this.enter();
    const c = this.typed(ioPortControl, 'IOPortControl');
    if (typeof c === 'string') return this.refuse('seL4_X86_IOPortControl_Issue', ioPortControl, c);
    const d = this.slotArg(destRoot, destIndex);
    const slot = d?.cnode.slot(d.index);
    if (!slot) return this.refuse('seL4_X86_IOPortControl_Issue', destRoot, 'seL4_FailedLookup');
    return ioPortIssue(this.k, c.object as IOPortControl, first, last, slot);
  }

  /** seL4_X86_IOPort_In8/16/32: IllegalOperation when the port is outside the cap's range. */
  ioPortIn(ioPort: CPtr, port: number, size: 1 | 2 | 4): Result<number> {
    this.enter();
    const op = `seL4_X86_IOPort_In${size * 8}`;
    const c = this.typed(ioPort, 'IOPort');
    if (typeof c === 'string') return fail(this.refuse(op, ioPort, c) as Exclude<SeL4ErrorName, 'seL4_NoError'>);
    if (!ioPortAllowed(c.object as IOPortRange, port, size)) {
      this.k.record(op, c.object.name, port, 'seL4_IllegalOperation');
      return fail('seL4_IllegalOperation');
    }
    const v = this.env.machine.ioIn(port, size);
    this.k.record(op, c.object.name, port, `0x${v.toString(16)}`);
    return ok(v);
  }

  ioPortOut(ioPort: CPtr, port: number, size: 1 | 2 | 4, value: number): SeL4ErrorName {
    this.enter();
    const op = `seL4_X86_IOPort_Out${size * 8}`;
    const c = this.typed(ioPort, 'IOPort');
    if (typeof c === 'string') return this.refuse(op, ioPort, c);
    if (!ioPortAllowed(c.object as IOPortRange, port, size)) {
      this.k.record(op, c.object.name, port, 'seL4_IllegalOperation');
      return 'seL4_IllegalOperation';
    }
    this.env.machine.ioOut(port, size, value);
    this.k.record(op, c.object.name, port, 'seL4_NoError');
    return 'seL4_NoError';
  }
}

export function configureSchedContext(k: KernelCore, sc: SchedContext, t: TCB, budget: number, period: number): void {
  sc.budget = budget;
  sc.period = period;
  sc.remaining = budget;
  sc.configuredAt = k.time;
  if (sc.tcb && sc.tcb !== t) sc.tcb.sc = null;
  sc.tcb = t;
  t.sc = sc;
}
