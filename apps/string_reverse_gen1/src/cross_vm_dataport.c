/*
 * (derived) Generation-1 dataport glue of the old optiplex9020 app
 * (camkes-vm-examples e12c971 optiplex9020/src/cross_vm_dataport.c). The reference
 * (cross-vm-connectors.md 8.2) gives the array, `{NULL, &dp1_handle, &dp2_handle}`;
 * the surrounding code follows the tutorial's src/cross_vm.c (seed 001).
 */
#include <sel4/sel4.h>
#include <camkes.h>
#include <dataport_caps.h>
#include <cross_vm_dataport.h>
#include <vmm/vmm.h>

// these are defined in the dataports' glue code
extern dataport_caps_handle_t dp1_handle;
extern dataport_caps_handle_t dp2_handle;

// Array of dataport handles at positions corresponding to handle ids from spec
static dataport_caps_handle_t *dataports[] = {
    NULL, // entry 0 is NULL so ids correspond with indices
    &dp1_handle,
    &dp2_handle,
};

int cross_vm_dataports_init(vmm_t *vmm) {
    return cross_vm_dataports_init_common(vmm, dataports, sizeof(dataports)/sizeof(dataports[0]));
}
