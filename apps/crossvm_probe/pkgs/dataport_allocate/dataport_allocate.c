/* (ours) A probe written like the tutorial's print_client (a user program linking camkeslinux):
 * issues the DATAPORT_ALLOCATE ioctl on any node, which no upstream program does on a node it
 * did not create itself (dataport_init only allocates the minors 1..n it makes). With a
 * hand-made node of minor 0 it reaches the VMM's "Illegal dataport id 0" check
 * (cross-vm-connectors.md 5.1). */
#include <stdio.h>
#include <stdlib.h>
#include <assert.h>

#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "dataport.h"

int main(int argc, char *argv[]) {

    if (argc != 3) {
        printf("Usage: %s file size\n", argv[0]);
        return 1;
    }

    int fd = open(argv[1], O_RDWR);
    assert(fd >= 0);

    int error = dataport_allocate(fd, strtoul(argv[2], NULL, 0));
    printf("dataport_allocate returned %d\n", error);

    close(fd);

    return error == 0 ? 0 : 1;
}
