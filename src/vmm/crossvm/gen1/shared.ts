/**
 * libcrossvm's `shared_include/cross_vm_shared/*.h`: the hypercall tokens, commands, event
 * context magic and IRQ line that the VMM library and the guest's kernel modules both include.
 * One definition here serves both sides, as the one header does upstream.
 */
export const DATAPORT_VMCALL_HANDLER_TOKEN = 1;
export const DATAPORT_CMD_SHARE = 1;
export const EVENT_VMCALL_VMM_TO_GUEST_HANDLER_TOKEN = 2;
export const EVENT_CMD_INIT = 1;
export const EVENT_CMD_ACK = 2;
export const EVENT_VMCALL_GUEST_TO_VMM_HANDLER_TOKEN = 3;
export const EVENT_CMD_EMIT = 1;
export const EVENT_CONTEXT_MAGIC = 42;
/** `cross_vm_consumes_event_irq_num()`: EVENT_IRQ_NUM. */
export const EVENT_IRQ_NUM = 12;
