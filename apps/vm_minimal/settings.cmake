# (derived) Platforms this app supports (reference platforms.md 1.9, verified list).
# Any other PLATFORM fails at configure time with
# "PLATFORM: <plat> not supported.\n         Supported: tk1;tx1;tx2;exynos5422;qemu-arm-virt;odroidc2;zcu102".
set(supported "tk1;tx1;tx2;exynos5422;qemu-arm-virt;odroidc2;zcu102")
if(NOT "${PLATFORM}" IN_LIST supported)
    message(FATAL_ERROR "PLATFORM: ${PLATFORM} not supported.
         Supported: ${supported}")
endif()

# Ours (not upstream's file): upstream takes NUM_NODES from the command line
# (-DNUM_NODES=4 in CI's vm_minimal_smp job) and camkes-vm-examples:settings.cmake turns it
# into KernelMaxNumNodes (platforms.md 1.1). This app's default is 2 so that a plain
# `vmconf run apps/vm_minimal --platform qemu-arm-virt` boots qemu's two vCPUs; on
# exynos5422 and tk1 it makes the configure step fail with "<plat> does not support SMP
# VMs", as upstream does with NUM_NODES=2 (a build there passes numNodes "1").
set(NUM_NODES "2" CACHE STRING "Number of seL4 nodes (KernelMaxNumNodes when a plain number)")
