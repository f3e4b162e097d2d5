/* (ours) A probe written like the tutorial's print_client (a user program linking camkeslinux):
 * calls the library's non-blocking consumes_event_poll once, which no upstream program exposes
 * (consumes_event_wait only blocks), and prints what it returned: 1 event (or POLLERR),
 * 0 nothing pending, -1 error (cross-vm-connectors.md 4.3). */
#include <stdio.h>
#include <string.h>
#include <errno.h>

#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "consumes_event.h"

int main(int argc, char *argv[]) {

    if (argc != 2) {
        printf("Usage: %s eventfile\n", argv[0]);
        return 1;
    }

    int fd = open(argv[1], O_RDWR);

    int result = consumes_event_poll(fd);
    if (result < 0) {
        printf("Error: %s\n", strerror(errno));
        return -1;
    }
    printf("consumes_event_poll returned %d\n", result);

    close(fd);

    return 0;
}
