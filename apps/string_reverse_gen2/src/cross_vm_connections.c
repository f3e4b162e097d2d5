/*
 * (derived) Generation-2 cross-VM glue of the optiplex9020 app
 * (camkes-vm-examples dd7da62 apps/x86/optiplex9020/src/cross_vm_connections.c).
 * From reference cross-vm-connectors.md 4.6 and 8.2: one struct per connection,
 * `{dataport handle, emit_fn, {.id, .reg_callback}}`; index 0 = dp1 with emit
 * ready_emit and no consume event (id -1), index 1 = dp2 consuming event id 1 through
 * done_reg_callback. The array order is the PCI device order, hence /dev/uio0 and
 * /dev/uio1 in the guest.
 *
 * UNCONFIRMED: the include list and how x86 Init reaches this array. Here Init is
 * assumed to call init_cross_vm_connections() with its CROSS_VM_BASE_ADDRESS
 * (0xa0000000, Init/src/main.c) during start-up, before the guest runs.
 */
#include <camkes.h>
#include <utils/util.h>
#include <sel4vm/guest_vm.h>
#include <sel4vmmplatsupport/drivers/cross_vm_connection.h>
#include <crossvm.h>

// these are defined in the dataports' glue code
extern dataport_caps_handle_t dp1_handle;
extern dataport_caps_handle_t dp2_handle;

static struct camkes_crossvm_connection connections[] = {
    {&dp1_handle, ready_emit, {.id = -1, .reg_callback = NULL}},
    {&dp2_handle, NULL, {.id = 1, .reg_callback = done_reg_callback}},
};

int init_cross_vm_connections(vm_t *vm, uintptr_t connection_base_addr)
{
    return cross_vm_connections_init(vm, connection_base_addr, connections, ARRAY_SIZE(connections));
}
