# (derived) Platforms this app supports (reference platforms.md 1.9, verified list; zcu102
# requires Petalinux 2022_1). Any other PLATFORM fails at configure time with
# "PLATFORM: <plat> not supported.\n         Supported: exynos5422;tx2;zcu102".
set(supported "exynos5422;tx2;zcu102")
if(NOT "${PLATFORM}" IN_LIST supported)
    message(FATAL_ERROR "PLATFORM: ${PLATFORM} not supported.
         Supported: ${supported}")
endif()
# The ping build (-DVIRTIO_NET_PING=1, platforms.md 2.1): virtio-net over virtqueues.
# VM_Arm gates both options by platform (platforms.md 1.6, src/vmm/virtio-config.ts).
set(VmPCISupport ON CACHE BOOL "" FORCE)
set(VmVirtioNetVirtqueue ON CACHE BOOL "" FORCE)
if("${PLATFORM}" STREQUAL "zcu102")
    set(VmZynqmpPetalinuxVersion 2022_1 CACHE STRING "" FORCE)
endif()
