/*
 * (derived) camkes-vm-examples apps/Arm/vm_cross_connector/src/cross_vm_connections.c.
 * From reference cross-vm-connectors.md 8.3 and 4.6: the connections[] array (its
 * order is the PCI device order, so /dev/uio0 and /dev/uio1 in the guest), the
 * base address (0xDF000000 on qemu-arm-virt, 0x3F000000 otherwise: the board's vPCI
 * memory window), and the consume path: connection 0's consume badge is the
 * seL4GlobalAsynch badge of `done`, registered as an async event handler whose
 * callback raises the connection's event and injects the cross-VM IRQ.
 * UNCONFIRMED: the include list, the handler and init function names, and the
 * module registration macro.
 */
#include <autoconf.h>
#include <camkes.h>
#include <vmlinux.h>
#include <sel4vm/guest_vm.h>
#include <sel4vmmplatsupport/drivers/cross_vm_connection.h>
#include <sel4vmmplatsupport/drivers/pci_helper.h>
#include <pci/helper.h>

#ifdef CONFIG_PLAT_QEMU_ARM_VIRT
#define CONNECTION_BASE_ADDRESS 0xDF000000
#else
#define CONNECTION_BASE_ADDRESS 0x3F000000
#endif

// these are defined in the dataport's glue code
extern dataport_caps_handle_t crossvm_dp_0_handle;
extern dataport_caps_handle_t crossvm_dp_1_handle;

static struct camkes_crossvm_connection connections[] = {
    {&crossvm_dp_0_handle, ready_emit, -1, "conn_0"},
    {&crossvm_dp_1_handle, NULL, -1, "conn_1"}
};

static int consume_callback(vm_t *vm, void *cookie)
{
    consume_connection_event(vm, (seL4_Word) cookie, true);
    return 0;
}

void init_cross_vm_connections(vm_t *vm, void *cookie)
{
    connections[0].consume_badge = done_notification_badge();
    int err = register_async_event_handler(connections[0].consume_badge, consume_callback,
                                           (void *)connections[0].consume_badge);
    ZF_LOGF_IF(err, "Failed to register_async_event_handler for init_cross_vm_connections.");

    cross_vm_connections_init(vm, CONNECTION_BASE_ADDRESS, connections, ARRAY_SIZE(connections));
}

DEFINE_MODULE(cross_vm_connections, NULL, init_cross_vm_connections)
