# (derived) Platforms this app supports (reference platforms.md 1.9, verified list).
# Any other PLATFORM fails at configure time with
# "PLATFORM: <plat> not supported.\n         Supported: exynos5422;qemu-arm-virt".
set(supported "exynos5422;qemu-arm-virt")
if(NOT "${PLATFORM}" IN_LIST supported)
    message(FATAL_ERROR "PLATFORM: ${PLATFORM} not supported.
         Supported: ${supported}")
endif()
# Every guest's console is hvc0, a virtio console carried to the SerialServer (platforms.md 2.1 /
# 2.6 vm_multi rows: "hvc0 consoles"), so the VMM needs the virtual PCI bus and the virtio
# console device (VM_Arm's options, gated by platform: platforms.md 1.6, src/vmm/virtio-config.ts).
# UNCONFIRMED: upstream's vm_multi settings.cmake is not quoted in the reference; these are the
# options its hvc0 consoles cannot work without.
set(VmPCISupport ON CACHE BOOL "" FORCE)
set(VmVirtioConsole ON CACHE BOOL "" FORCE)
# vm0 bridges vm1 and vm2 over virtqueue virtio-net (platforms.md 2.1 / 2.6 vm_multi rows): vm0's
# VMM switches frames between its two links by destination MAC (vswitch_layout).
# UNCONFIRMED: that upstream enables the virtqueue virtio-net module with this option here.
set(VmVirtioNetVirtqueue ON CACHE BOOL "" FORCE)
