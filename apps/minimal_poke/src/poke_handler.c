/* (derived) seed 002 step 8 adds poke_handler at the top of the Init component's main.c and
 * `reg_new_handler(&vmm, poke_handler, 4);` to main_continued, just before vmm_run. This model
 * takes an app's VMM C from its glue files (src/*.c, as the cross-VM tutorial's cross_vm.c),
 * so both live here; the function holding the registration is ours. The seed's `"POKE!!!n"`
 * lost the backslash of `\n` (its transcript prints POKE!!! on a line of its own). */
#include <stdio.h>
#include <vmm/vmm.h>

static int poke_handler(vmm_vcpu_t *vmm_vcpu) {
    printf("POKE!!!\n");
    return 0;
}

void poke_main_continued(vmm_t *vmm) {
    reg_new_handler(vmm, poke_handler, 4); // <--- added
}
