# (derived) Platforms this app supports (reference platforms.md 1.9, verified list).
# Any other PLATFORM fails at configure time with
# "PLATFORM: <plat> not supported.\n         Supported: exynos5422".
set(supported "exynos5422")
if(NOT "${PLATFORM}" IN_LIST supported)
    message(FATAL_ERROR "PLATFORM: ${PLATFORM} not supported.
         Supported: ${supported}")
endif()
# The guest console is a virtio console (platforms.md 2.1: console=hvc0). VM_Arm gates both
# options by platform (platforms.md 1.6, src/vmm/virtio-config.ts).
set(VmPCISupport ON CACHE BOOL "" FORCE)
set(VmVirtioConsole ON CACHE BOOL "" FORCE)
