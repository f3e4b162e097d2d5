/**
 * libcrossvm's messages as a Debug build prints them (ZF_LOGE: `<function>@<file>:<line> <msg>`,
 * reference "How ZF_LOG lines look"), with the functions and lines of camkes-vm @d637030.
 */
export const ZF = {
  illegalDataportId: (): string => 'dataport_vmcall_handler@cross_vm_dataport.c:58 Illegal dataport id 0',
  dataportNotFound: (id: number): string => `dataport_vmcall_handler@cross_vm_dataport.c:63 Dataport ${id} not found`,
  sizeMismatch: (guest: number, host: number): string => `dataport_map_guest@cross_vm_dataport.c:25 Dataport guest size and host size are different (${guest} and ${host})`,
  mapFailed: (): string => 'dataport_vmcall_handler@cross_vm_dataport.c:75 Failed to map dataport into guest',
  unknownDataportCommand: (cmd: number): string => `dataport_vmcall_handler@cross_vm_dataport.c:81 Unknown command: ${cmd}`,
  unknownEmitCommand: (cmd: number): string => `event_vmcall_handler@cross_vm_emits_event.c:54 Unknown command: ${cmd}`,
  unknownConsumeCommand: (cmd: number): string => `event_vmcall_handler@cross_vm_consumes_event.c:107 Unknown command: ${cmd}`,
  invalidEventId0: (): string => 'emit_event@cross_vm_emits_event.c:23 Invalid event id 0',
  invalidEventId: (id: number, max: number): string => `emit_event@cross_vm_emits_event.c:28 Invalid event id ${id}. Id must be in range 1..${max}`,
  noEmitFunction: (id: number): string => `emit_event@cross_vm_emits_event.c:35 No emit function found for id ${id}`,
  shareContextFailed: (): string => 'event_shmem_init@cross_vm_consumes_event.c:79 Failed to share event context with guest',
  asyncCapFailed: (): string => 'cross_vm_consumes_events_init_common@cross_vm_consumes_event.c:123 Failed to create async event notification cap',
  /** ZF_LOGF_IF(error, "cross vm dataports init failed") in Init's main_continued: two lines, then abort(). */
  dataportsInitFailed: (): string[] => ['main_continued@main.c:758 [Cond failed: error]', '\tcross vm dataports init failed'],
};

/** The guest's registers are 32-bit: `%d` of ECX is the signed value, `%zu` of ESI the unsigned one. */
export const asInt = (v: number): number => v | 0;
export const asSize = (v: number): number => v >>> 0;
