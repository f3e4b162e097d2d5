/**
 * What the glue's headers would tell a compiler, kept in one place because the reader does not
 * read headers: the member order of the structs the glue initialises positionally, the element
 * types of the arrays, and the constants the headers define.
 */

/** camkes-vm libcrossvm `camkes_consumes_event_t`: `{ unsigned int id; reg_callback }`. */
export const CONSUMES_EVENT_FIELDS = ['id', 'reg_callback'] as const;

/** CAmkES `camkes_mutex_t` (camkes-tool `camkes_mutex.h`). */
export const MUTEX_FIELDS = ['lock', 'unlock'] as const;

/**
 * ARM `struct camkes_crossvm_connection` (camkes-vm `components/VM_Arm`): the reference shows
 * `{&crossvm_dp_0_handle, ready_emit, -1, "conn_0"}` and names `consume_badge` and
 * `connection_name`. The first two member names are UNCONFIRMED (chosen: `handle`, `emit_fn`);
 * they matter only to designated initialisers.
 */
export const ARM_CONNECTION_FIELDS = ['handle', 'emit_fn', 'consume_badge', 'connection_name'] as const;

/**
 * x86 `struct camkes_crossvm_connection` (camkes-vm `components/Init/src/crossvm.c`): the reference
 * shows `{dataport handle, emit_fn, {.id, .reg_callback}}`. Member names are UNCONFIRMED
 * (chosen: `handle`, `emit_fn`, `consume_id`). The reader tells the two layouts apart by the
 * third member: a brace list is the x86 `{.id, .reg_callback}`, a scalar the ARM badge.
 */
export const X86_CONNECTION_FIELDS = ['handle', 'emit_fn', 'consume_id'] as const;

/** Element types (base name, pointer depth) of the generation-1 arrays. */
export const GEN1_ARRAY_TYPES = {
  dataports: { base: 'dataport_caps_handle_t', pointers: 1 },
  emits: { base: 'camkes_emit_fn', pointers: 0 },
  consumes: { base: 'camkes_consumes_event_t', pointers: 0 },
} as const;

export const CONNECTION_STRUCT = 'struct camkes_crossvm_connection';

/** The three weak hooks of the x86 Init component and the libcrossvm function each must call. */
export const GEN1_HOOKS = {
  dataports: { hook: 'cross_vm_dataports_init', common: 'cross_vm_dataports_init_common' },
  emits: { hook: 'cross_vm_emits_events_init', common: 'cross_vm_emits_events_init_common' },
  consumes: { hook: 'cross_vm_consumes_events_init', common: 'cross_vm_consumes_events_init_common' },
} as const;

export const GEN2_INIT = 'cross_vm_connections_init';

/**
 * Integer constants from headers the glue may use without defining them. `CROSS_VM_BASE_ADDRESS`
 * is defined in camkes-vm `components/Init/src/main.c` (x86); whether app glue can see it is
 * UNCONFIRMED, so it is offered here and an app's own `#define` takes precedence.
 */
export const HEADER_CONSTANTS: Readonly<Record<string, bigint>> = {
  CROSS_VM_BASE_ADDRESS: 0xa0000000n,
};

/** CAmkES-generated symbol suffixes: `<iface>_handle`, `<iface>_emit`, `<iface>_reg_callback`... */
export const SUFFIX = {
  handle: '_handle',
  emit: '_emit',
  regCallback: '_reg_callback',
  notificationBadge: '_notification_badge',
  mutexLock: '_lock',
  mutexUnlock: '_unlock',
} as const;
