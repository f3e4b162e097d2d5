/*
 * (derived) The StringReverse component's run loop, written from reference
 * cross-vm-connectors.md 8.2: wait for `ready`, reverse the NUL-terminated string in
 * src_dp (length strnlen(src, 8191)) into dest_dp, NUL-terminate it, emit `done`.
 * Upstream's source lives with the component (camkes-vm / global-components), not in
 * the app; it is copied here so the app directory is self-contained.
 */
#include <camkes.h>
#include <string.h>

#define STRING_REVERSE_BUFSIZE 8192

int run(void) {
    const char *src = (const char *)src_dp;
    char *dest = (char *)dest_dp;

    while (1) {
        ready_wait();

        size_t len = strnlen(src, STRING_REVERSE_BUFSIZE - 1);
        for (size_t i = 0; i < len; i++) {
            dest[i] = src[len - i - 1];
        }
        dest[len] = '\0';

        done_emit();
    }

    return 0;
}
