/*
 * (derived) The native CrossvmInit component of vm_cross_connector, written from
 * reference cross-vm-connectors.md 8.3 ("Native component crossvm_init.c"): zero
 * `dest` (4096 bytes) and write the test string into it, then answer every `ready`
 * with "Got an event" and `done`. done_emit_underlying() signals the seL4GlobalAsynch
 * notification directly.
 */
#include <camkes.h>
#include <stdio.h>
#include <string.h>

int run(void)
{
    memset(dest, '\0', 4096);
    strcpy(dest, "This is a crossvm dataport test string\n");

    while (1) {
        ready_wait();
        printf("Got an event\n");
        done_emit_underlying();
    }

    return 0;
}
