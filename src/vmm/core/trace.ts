import type { Trace } from '../../sel4';

/**
 * The VMM's trace vocabulary (layer 'vmm'). Ops use upstream words where upstream has them
 * (vmcall, VM exit reasons as libsel4vmm names them, i8259 injection), so a sequence diagram
 * reads like the VMM's source.
 */
export const VMM_OP = {
  /** A VM exit reached the VMM; object = exit reason (`VMCALL`, `IO`, `EPT_VIOLATION`, `HLT`). */
  vmexit: 'vmexit',
  /** A vmcall dispatched to a handler; value = token, result = handler return. */
  vmcall: 'vmcall',
  /** A vmcall token without a handler (skipped). */
  vmcallUnknown: 'vmcall_unhandled',
  /** reg_new_handler; value = token, result = 0 or -1. */
  regHandler: 'reg_new_handler',
  /** Guest RAM backed on first touch: a frame retyped and mapped in the EPT / stage-2. */
  ramBacked: 'guest_ram_backed',
  mmioRead: 'mmio_read',
  mmioWrite: 'mmio_write',
  ioIn: 'io_in',
  ioOut: 'io_out',
  /** A virtual interrupt line raised in the guest's interrupt controller. */
  injectIrq: 'inject_irq',
  /** The guest acknowledged (INTA / IAR) a line. */
  ackIrq: 'ack_irq',
  eoi: 'eoi',
  /** A badge taken from the VMM's bound notification (handle_async_event). */
  asyncEvent: 'async_event',
  /** The guest halted until an interrupt or its next timer. */
  hlt: 'hlt',
  /** VM_FATAL_ERROR: the vCPU went offline; value = the reason. */
  fatal: 'vm_fatal_error',
  /** Bytes the guest wrote to its console device. */
  consoleOut: 'console_out',
  /** Bytes typed at the serial console, queued in the guest's console receive FIFO. */
  consoleIn: 'console_in',
  /** VSpace manipulation the VMM performs for the guest (dataport share, context page map). */
  share: 'share',
} as const;

export type VmmOp = (typeof VMM_OP)[keyof typeof VMM_OP];

/** Records VMM events as one actor (`vm0:vmm`). */
export class VmmTracer {
  private readonly layerId: number;
  private readonly actorId: number;
  constructor(
    private readonly trace: Trace,
    readonly actor: string,
  ) {
    this.layerId = trace.intern('vmm');
    this.actorId = trace.intern(actor);
  }

  /** A lasting trace id for a constant op or object name (see `Trace.intern`), for `eventIds`. */
  intern(s: string): number {
    return this.trace.intern(s);
  }

  /** `event` with op and object (and a result given as a number) as ids from `intern` (the per-round-trip exits and injections). */
  eventIds(op: number, object: number, value?: number | string, result?: number | string): void {
    this.trace.addIds(this.layerId, this.actorId, op, object, value, result);
  }

  event(op: VmmOp, object: string, value?: number | string, result?: string, peer?: string): void {
    this.trace.add('vmm', this.actor, op, object, value, result, peer);
  }
}
