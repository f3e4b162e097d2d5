import type { LogSite } from './zf-log';

const FILE = 'cross_vm_connection.c';
const site = (func: string, line: number): LogSite => ({ func, file: FILE, line });

/**
 * Every ZF_LOGE of seL4_projects_libs @0e06beb libsel4vmmplatsupport/src/drivers/cross_vm_connection.c
 * (reference cross-vm-connectors.md "Gen 2 VMM: VMM serial output"), with its source position.
 */
export const GEN2_LOG = {
  misconfigured: { at: site('handle_event_bar_fault', 105), text: 'Error: Event Bar Memory is misconfigured' },
  /** The format ends in `\n`, so zf_log prints an empty line after it. */
  noEmit: { at: site('handle_event_bar_fault', 109), text: 'Connection is not configured with an emit function\n' },
  unsupportedRegister: { at: site('handle_event_bar_fault', 119), text: 'Event Bar register unsupported' },
  cannotReserve: { at: site('reserve_dataport_memory', 157), text: (size: number, addr: number) => `Cannot reserve ${size} bytes at 0x${addr.toString(16)}` },
  mapFailed: { at: site('reserve_dataport_memory', 166), text: 'Failed to map dataport memory' },
  injectFailed: { at: site('consume_connection_event', 199), text: 'Failed to inject connection irq' },
  registerIrqFailed: { at: site('register_consume_event', 211), text: 'Failed to register IRQ for event consume' },
  eventBarFailed: { at: site('initialise_connections', 231), text: (id: number) => `Failed to create event bar (id:${id})` },
  dataportBarFailed: { at: site('initialise_connections', 237), text: (id: number) => `Failed to create dataport bar (id ${id})` },
  consumeFailed: { at: site('initialise_connections', 244), text: 'Failed to register connections consume event' },
  tooMany: { at: site('cross_vm_connections_init_common', 267), text: (max: number) => `Unable to register more than ${max} dataports` },
  reserveFailed: { at: site('cross_vm_connections_init_common', 273), text: 'Failed to reserve memory for dataports' },
  pciFailed: { at: site('cross_vm_connections_init_common', 278), text: 'Failed to construct pci device for dataports' },
} as const;

/** MAX_NUM_CONNECTIONS. */
export const MAX_NUM_CONNECTIONS = 32;
/** The connection device's PCI identity (reference §2.6). */
export const CONNECTION_VENDOR_ID = 0x1af4;
export const CONNECTION_DEVICE_ID = 0xa111;
export const CONNECTION_REVISION = 1;
/** Event BAR layout: emit register, consume counter (event_registers[1]), NUL-padded name. */
export const EVENT_BAR = { EMIT: 0x0, CONSUME: 0x4, NAME: 0x8, NAME_MAX: 48, FRAME_SIZE: 0x1000 } as const;
/** The name the guest driver shows when the VMM writes none (x86 glue has no name field). */
export const DEFAULT_CONNECTION_NAME = 'connector';
/** x86 Init: CROSS_VM_BASE_ADDRESS and CROSS_VM_EVENT_IRQ_NUM. */
export const X86_CROSS_VM_BASE_ADDRESS = 0xa0000000;
export const X86_CROSS_VM_EVENT_IRQ = 12;
