import type { GuestRegisters } from './vmcall';

/** VMX basic exit reasons as libsel4vmm numbers them. */
export const EXIT_REASON = { HLT: 12, VMCALL: 18, IO: 30, EPT_VIOLATION: 48 } as const;

/** The VMCS fields the context dump prints, for the exit being handled. */
export interface ExitInfo {
  readonly reason: number;
  readonly qualification: number;
  readonly instructionLength: number;
  readonly guestPhysical: number;
}

/**
 * CPU state the model does not compute, in one place. UNCONFIRMED: the values a real dump would
 * show depend on the guest kernel; these are a 32-bit Linux kernel's usual values (CR0 with
 * PG|WP|NE|ET|MP|PE, interrupts enabled in RFLAGS) and 0 for what has no modelled meaning
 * (EIP, CR3, CR4, entry controls, interruptibility).
 */
export const UNMODELLED_CPU_STATE = { eip: 0, rflags: 0x246, cr0: 0x80050033, cr3: 0, cr4: 0, interruptibility: 0, entryControls: 0 } as const;

const x = (n: number) => (n >>> 0).toString(16);
const x8 = (n: number) => x(n).padStart(8, ' ');

/**
 * `vmm_print_guest_context` (seL4_libs `libsel4vmm/src/vmm/debug.c`): nine DPRINTF(0, ...) lines,
 * each prefixed `vmm_print_guest_context:<line> | `, with the printf formats of the reference.
 */
export function guestContextLines(exit: ExitInfo, r: GuestRegisters): string[] {
  const c = UNMODELLED_CPU_STATE;
  const body: [number, string][] = [
    [27, '================== GUEST OS CONTEXT ================='],
    [29, `exit info : reason 0x${x(exit.reason)}    qualification 0x${x(exit.qualification)}   instruction len 0x${x(exit.instructionLength)} interrupt info 0x0 interrupt error 0x0`],
    [31, `            guest physical 0x${x(exit.guestPhysical)}     rflags 0x${x(c.rflags)} `],
    [33, `            guest interruptibility 0x${x(c.interruptibility)}   control entry 0x${x(c.entryControls)}`],
    [36, `eip 0x${x8(c.eip)}`],
    [38, `eax 0x${x8(r.eax)}         ebx 0x${x8(r.ebx)}      ecx 0x${x8(r.ecx)}`],
    [40, `edx 0x${x8(r.edx)}         esi 0x${x8(r.esi)}      edi 0x${x8(r.edi)}`],
    [42, `ebp 0x${x8(r.ebp)}`],
    [45, `cr0 0x${x(c.cr0)}      cr3 0x${x(c.cr3)}   cr4 0x${x(c.cr4)}`],
  ];
  return body.map(([n, s]) => `vmm_print_guest_context:${n} | ${s}`);
}

/** libsel4vmm vmm.c: printed when an exit handler returns an error, before the dump. */
export const VM_FATAL_ERROR_LINE = 'VM_FATAL_ERROR ::: vmexit handler return error';
