import type { Blocking, Sys } from '../../sel4';

/** The guest's general registers at the vmcall (KVM hypercall ABI: EAX token, EBX, ECX, EDX, ESI). */
export interface GuestRegisters {
  readonly eax: number;
  readonly ebx: number;
  readonly ecx: number;
  readonly edx: number;
  readonly esi: number;
  readonly edi: number;
  readonly ebp: number;
}

/** A vmcall handler: runs in the VMM thread; 0 resumes the guest, anything else kills the VM. */
export type VmcallHandler = (regs: GuestRegisters, sys: Sys) => Blocking<number>;

export interface VmcallEntry {
  readonly name: string;
  readonly fn: VmcallHandler;
  /** The name's lasting trace id (`VmmTracer.intern`), taken on the first call; -1 until then. */
  traceId: number;
}

/**
 * libsel4vmm's vmcall handler table (seL4_libs `libsel4vmm/src/vmm/vmcall.c`, the `vmm_t` era
 * the tutorial uses): handlers are matched on EAX; registering a token twice returns -1 and keeps
 * the first handler.
 */
export class VmcallRegistry {
  private readonly handlers = new Map<number, VmcallEntry>();

  /** reg_new_handler: 0, or -1 when the token already has a handler (not replaced). */
  register(token: number, name: string, fn: VmcallHandler): 0 | -1 {
    if (this.handlers.has(token)) return -1;
    this.handlers.set(token, { name, fn, traceId: -1 });
    return 0;
  }

  get(token: number): VmcallEntry | undefined {
    return this.handlers.get(token);
  }

  /** Registered tokens, ascending. */
  tokens(): number[] {
    return [...this.handlers.keys()].sort((a, b) => a - b);
  }
}

/** libsel4vmm `vmm_vmcall_handler`'s message for a token nobody registered (DPRINTF(2, ...)). */
export function unknownTokenMessage(token: number): string {
  return `vmm_vmcall_handler:55 | Failed to find handler for token:${(token >>> 0).toString(16)}`;
}
