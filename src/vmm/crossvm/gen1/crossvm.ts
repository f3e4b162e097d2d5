import { done, ReadWrite, type Blocking, type CPtr, type Sys } from '../../../sel4';
import type { ComponentRuntime, ThreadContext } from '../../../camkes/runtime';
import { hex, PAGE_SIZE, VMM_OP } from '../../core';
import { VM_PIC_BADGE_IRQ_12 } from '../../x86/machine';
import type { GuestRegisters } from '../../x86/vmcall';
import type { X86Vmm } from '../../x86/vmm';
import { asInt, asSize, ZF } from './log';
import {
  DATAPORT_CMD_SHARE, DATAPORT_VMCALL_HANDLER_TOKEN, EVENT_CMD_ACK, EVENT_CMD_EMIT, EVENT_CMD_INIT, EVENT_CONTEXT_MAGIC,
  EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN, EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN,
} from './shared';
import type { Gen1Plan } from './plan';

/**
 * Where `vspace_share_mem` maps guest pages in the VMM's VSpace. UNCONFIRMED: upstream takes any
 * free range; the model uses a fixed one clear of the dataport mappings (from 0x1000_0000).
 */
export const VMM_SHARE_BASE = 0x7f00_0000;

/** The VMM's view of the guest's `event_context_t` page once INIT mapped it. */
export interface EventContext {
  /** Address of `{ id, magic }` in the VMM's VSpace. */
  readonly vaddr: number;
  readonly paddr: number;
}

/**
 * libcrossvm (camkes-vm `libs/libcrossvm` @d637030) on the x86 `Init` VMM: the three weak hooks'
 * `_common` functions, called in Init's order (reference 1.2) before the guest boots, and the
 * vmcall handlers they register. Kernel work (unmap/map, caps, signals, the CAmkES mutex) goes
 * through the VMM's and the interface thread's `Sys`.
 */
export class CrossVmGen1 {
  /** Null until the guest's consumes_event module sends INIT (events before that are dropped). */
  context: EventContext | null = null;
  private irqCap: CPtr | null = null;
  private shares = 0;

  constructor(
    readonly vmm: X86Vmm,
    readonly plan: Gen1Plan,
    readonly rt: ComponentRuntime,
    /** The `irq_badge` the consumes hook passes on (irq_badges[12] unless the glue passes a constant). */
    readonly irqBadge = VM_PIC_BADGE_IRQ_12,
  ) {
    vmm.addInit((sys) => this.init(sys));
  }

  private log(line: string): void {
    this.vmm.vm.printf(line + '\n');
  }

  private *init(sys: Sys): Blocking<void> {
    const vmm = this.vmm;
    // 1. The vchan handler (VMM_MANAGER_TOKEN) is not modelled: no app here uses vchan.
    // 2. ZF_LOGF_IF(error, "cross vm dataports init failed"): print, abort.
    if (this.plan.dataports && vmm.regNewHandler(DATAPORT_VMCALL_HANDLER_TOKEN, 'dataport_vmcall_handler', (r, s) => this.dataportHandler(r, s)) !== 0) {
      vmm.vm.die('abort: cross vm dataports init failed', ZF.dataportsInitFailed());
      return;
    }
    // 3. assert(!error).
    if (this.plan.emits && vmm.regNewHandler(EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN, 'event_vmcall_handler (emits)', (r, s) => this.emitsHandler(r, s)) !== 0) {
      vmm.vm.die('assert: cross vm emits events init failed', ['Assertion failed: !error (main.c: main_continued)']);
      return;
    }
    // 4. cross_vm_consumes_events_init(&vmm, &vspace, irq_badges[12]), then assert(!error).
    if (this.plan.consumes && (yield* this.consumesInit(sys)) !== 0) vmm.vm.die('assert: cross vm consumes events init failed', ['Assertion failed: !error (main.c: main_continued)']);
  }

  // --- Dataports (token 1) ----------------------------------------------------------------------

  private *dataportHandler(r: GuestRegisters, sys: Sys): Blocking<number> {
    const dp = this.plan.dataports!;
    const cmd = r.ebx;
    const id = asInt(r.ecx);
    // The id is checked before the command (dataport_vmcall_handler).
    if (id === 0) return this.fail(ZF.illegalDataportId());
    if (id < 0 || id >= dp.count) return this.fail(ZF.dataportNotFound(id));
    const entry = dp.entries[id] ?? null;
    if (!entry) {
      // No NULL check upstream: the VMM dereferences NULL and faults (no fault handler).
      yield* sys.load(0, 4);
      return -1;
    }
    if (cmd !== DATAPORT_CMD_SHARE) return this.fail(ZF.unknownDataportCommand(asInt(cmd)));
    const paddr = r.edx;
    const size = asSize(r.esi);
    const host = entry.handle.caps!.size;
    if (size !== host) {
      this.log(ZF.sizeMismatch(size, host));
      return this.fail(ZF.mapFailed());
    }
    // ZF_LOGI("Mapping %zu bytes to guest paddr %p") is compiled out at the default log level.
    const mem = this.vmm.vm.memory;
    mem.unmapPreserve(paddr, size);
    const acc = entry.handle.access;
    const rights = { read: acc.includes('R'), write: acc.includes('W'), grant: false, grantReply: false };
    const e = mem.mapFrames(paddr, entry.handle.caps!.frameCaps, rights);
    this.vmm.vm.tracer.event(VMM_OP.share, `dataport ${id} (${entry.iface})`, hex(paddr), e);
    if (e !== 'seL4_NoError') return this.fail(ZF.mapFailed());
    return 0;
  }

  private fail(line: string): number {
    this.log(line);
    return -1;
  }

  // --- Emitted events (token 3) -----------------------------------------------------------------

  /** Never blocks: returns a finished `Blocking` (no generator per EMIT). */
  private emitsHandler(r: GuestRegisters, sys: Sys): Blocking<number> {
    return done(this.emit(r, sys));
  }

  private emit(r: GuestRegisters, sys: Sys): number {
    const em = this.plan.emits!;
    if (r.ebx !== EVENT_CMD_EMIT) return this.fail(ZF.unknownEmitCommand(asInt(r.ebx)));
    const id = asInt(r.ecx);
    if (id === 0) return this.fail(ZF.invalidEventId0());
    if (id < 0 || id >= em.count) return this.fail(ZF.invalidEventId(id, em.count - 1));
    const iface = em.entries[id] ?? null;
    if (!iface) return this.fail(ZF.noEmitFunction(id));
    // <event>_emit(): one seL4_Signal per to-end; never blocks.
    this.rt.context(sys).emit(iface);
    return 0;
  }

  // --- Consumed events (token 2) ----------------------------------------------------------------

  private *consumesInit(sys: Sys): Blocking<number> {
    const c = this.plan.consumes!;
    const cap = this.vmm.createAsyncEventNotificationCap(sys, this.irqBadge);
    if (cap === null) {
      this.log(ZF.asyncCapFailed());
      return -1;
    }
    this.irqCap = cap;
    const ctx = this.rt.context(sys);
    let first = 0;
    for (let i = 0; i < Math.min(c.count, c.events.length); i++) {
      const ev = c.events[i];
      const r = yield* ctx.regCallback(ev.iface, this.callback, ev);
      if (r !== 0 && first === 0) first = r;
    }
    if (first !== 0) return first;
    return this.vmm.regNewHandler(EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN, 'event_vmcall_handler (consumes)', (r, s) => this.consumesHandler(r, s));
  }

  /** INIT may block (it stores through the VMM's mapping); ACK never does and gets no generator. */
  private consumesHandler(r: GuestRegisters, sys: Sys): Blocking<number> {
    if (r.ebx === EVENT_CMD_INIT) return this.eventShmemInit(sys, r.ecx);
    if (r.ebx === EVENT_CMD_ACK) {
      // camkes_mutex_unlock: a binary semaphore without owner, so the VMM thread may unlock
      // what the interface thread locked.
      this.rt.context(sys).unlock(this.plan.consumes!.mutex);
      return done(0);
    }
    return done(this.fail(ZF.unknownConsumeCommand(asInt(r.ebx))));
  }

  /** event_shmem_init: map the guest's context page into the VMM (vspace_share_mem), write the magic. */
  private *eventShmemInit(sys: Sys, paddr: number): Blocking<number> {
    const vmm = this.vmm;
    const frame = vmm.vm.memory.ramFrame(paddr);
    if (frame === null) return this.fail(ZF.shareContextFailed());
    const copy = vmm.allocator.slot();
    const vaddr = VMM_SHARE_BASE + this.shares++ * PAGE_SIZE;
    const res = vmm.resources;
    if (sys.cnodeCopy(res.self, copy, res.self, frame) !== 'seL4_NoError' || sys.pageMap(copy, res.vspace, vaddr, ReadWrite) !== 'seL4_NoError') return this.fail(ZF.shareContextFailed());
    const ctx = { vaddr: vaddr + (paddr % PAGE_SIZE), paddr };
    vmm.vm.tracer.event(VMM_OP.share, 'event context', hex(paddr), hex(ctx.vaddr));
    yield* sys.store(ctx.vaddr + 4, 4, EVENT_CONTEXT_MAGIC);
    this.context = ctx;
    return 0;
  }

  /** event_camkes_callback, run by the CAmkES interface thread `<iface>__run` (one-shot, re-registers). */
  private readonly callback = (ctx: ThreadContext, arg: unknown): Generator<unknown, void, unknown> => this.eventCallback(ctx, arg as { id: number; iface: string });

  private *eventCallback(ctx: ThreadContext, ev: { id: number; iface: string }): Generator<unknown, void, unknown> {
    const context = this.context;
    if (!context) {
      ctx.rt.kernel.trace.add('vmm', ctx.sys.name, 'event_camkes_callback', ev.iface, ev.id, 'dropped: no event context');
    } else {
      // Blocks until the guest ACKed the previous event.
      yield* ctx.lock(this.plan.consumes!.mutex);
      yield* ctx.sys.store(context.vaddr, 4, ev.id);
      ctx.sys.signal(this.irqCap!);
    }
    const r = yield* ctx.regCallback(ev.iface, this.callback, ev);
    if (r !== 0) throw new Error(`${ctx.sys.name}: reg_callback(${ev.iface}) returned ${r} in event_camkes_callback`);
  }
}
