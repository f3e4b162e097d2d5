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
# options its hvc0 consoles cannot work without. The vm0 <-> vm1 / vm2 virtio-net switch
# (VmVirtioNetVirtqueue) is not enabled here: see apps/README.md (vm_multi).
set(VmPCISupport ON CACHE BOOL "" FORCE)
set(VmVirtioConsole ON CACHE BOOL "" FORCE)
