#include <camkes.h>
#include <stdio.h>

int run(void) {

    while (1) {
        // wait for the next event
        do_print_wait();

        printf("%s\n", (char*)data);

        // signal that we are done printing
        done_printing_emit();
    }

    return 0;
}
