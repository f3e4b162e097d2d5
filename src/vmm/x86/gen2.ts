import { errorAt, type SourcePos } from '../../diagnostics';
import type { ComponentRuntime, ThreadContext } from '../../camkes/runtime';
import type { Blocking, CPtr, Sys } from '../../sel4';
import { CrossVmConnections, X86_CROSS_VM_EVENT_IRQ, gen2Bindings, gen2SpecsFromGlue, type Gen2Glue } from '../crossvm/gen2';
import type { VmmGlue } from '../glue';
import type { PciBus } from '../pci';
import { VM_PIC_BADGE_IRQ_12 } from './machine';
import type { X86Vmm } from './vmm';

/** One consumed event of the glue: `{.id, .reg_callback = <iface>_reg_callback}`. */
interface ConsumedEvent {
  readonly id: number;
  readonly iface: string;
}

/**
 * Generation-2 cross-VM on the x86 `Init` VMM (camkes-vm `components/Init/src/crossvm.c`, app glue
 * `cross_vm_connections.c`; reference 2.6, 4.6 "x86 flow"): one vPCI device per connection behind
 * 0xcf8/0xcfc, BARs laid out from the glue's base address (0xa0000000), the event BAR frame
 * mapped read-only so guest writes fault into the VMM. A consumed event arrives in the CAmkES
 * interface thread through `reg_callback`; the callback bumps the connection's register without
 * injecting, signals the VMM's notification with the IRQ-12 PIC badge (the VMM thread raises PIC
 * line 12) and re-registers itself.
 */
export class X86Gen2 {
  /** Null before the VMM thread initialised them, or after cross_vm_connections_init failed. */
  connections: CrossVmConnections | null = null;
  private irqCap: CPtr | null = null;
  private vmmSys: Sys | null = null;
  readonly glue: Gen2Glue;
  private readonly consumed: readonly ConsumedEvent[];

  constructor(
    readonly vmm: X86Vmm,
    readonly bus: PciBus,
    glue: VmmGlue,
    readonly rt: ComponentRuntime,
    pos: SourcePos,
  ) {
    this.glue = gen2SpecsFromGlue(glue, gen2Bindings(rt, () => this.sys), pos);
    this.consumed = this.glue.regCallbacks.map((r) => {
      const h = rt.interfaces.get(r.symbol.interface);
      if (!h || h.kind !== 'consumes') throw errorAt(r.symbol.pos, `undefined reference to '${r.symbol.symbol}': ${rt.name}.${r.symbol.interface} is not a consumed seL4Notification interface`);
      return { id: r.id, iface: r.symbol.interface };
    });
    vmm.addInit((sys) => this.init(sys));
  }

  private get sys(): Sys {
    if (!this.vmmSys) throw new Error(`${this.vmm.name}: cross-VM connection used before the VMM thread started`);
    return this.vmmSys;
  }

  private *init(sys: Sys): Blocking<void> {
    this.vmmSys = sys;
    const vm = this.vmm.vm;
    this.connections = CrossVmConnections.init(
      {
        memory: vm.memory,
        pci: this.bus,
        tracer: vm.tracer,
        irq: X86_CROSS_VM_EVENT_IRQ,
        // The PIC lines are fixed: nothing to register with the interrupt controller.
        registerIrq: () => 0,
        // Only the Arm path injects from consume_connection_event; x86 signals the PIC badge instead.
        injectIrq: () => -1,
        printErr: (t) => vm.printf(t),
      },
      this.glue.baseAddress,
      this.glue.specs,
    );
    if (!this.consumed.length) return;
    this.irqCap = this.vmm.createAsyncEventNotificationCap(sys, VM_PIC_BADGE_IRQ_12);
    const ctx = this.rt.context(sys);
    // The glue ignores reg_callback's return value.
    for (const ev of this.consumed) yield* ctx.regCallback(ev.iface, this.callback, ev);
  }

  private readonly callback = (ctx: ThreadContext, arg: unknown): Generator<unknown, void, unknown> => this.eventCallback(ctx, arg as ConsumedEvent);

  /** event_camkes_callback, run by the interface thread `<iface>__run` (one-shot, so it re-registers). */
  private *eventCallback(ctx: ThreadContext, ev: ConsumedEvent): Generator<unknown, void, unknown> {
    this.connections?.consume(ev.id, false);
    if (this.irqCap !== null) ctx.sys.signal(this.irqCap);
    const r = yield* ctx.regCallback(ev.iface, this.callback, ev);
    if (r !== 0) throw new Error(`${ctx.sys.name}: reg_callback(${ev.iface}) returned ${r} in the cross-VM event callback`);
  }
}
