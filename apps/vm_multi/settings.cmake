# (derived) Platforms this app supports (reference platforms.md 1.9, verified list).
# Any other PLATFORM fails at configure time with
# "PLATFORM: <plat> not supported.\n         Supported: exynos5422;qemu-arm-virt".
set(supported "exynos5422;qemu-arm-virt")
if(NOT "${PLATFORM}" IN_LIST supported)
    message(FATAL_ERROR "PLATFORM: ${PLATFORM} not supported.
         Supported: ${supported}")
endif()
