@arm
Feature: Porting checklist for an Arm board
  platforms.md §4 (the camkes-vm-examples FAQ "How do I update camkes-vm-apps to support platform
  'X'") lists what a board needs before the CAmkES VMM runs on it. Each item is decided by the
  step of a simulated build of the board's VM apps that would fail upstream
  (src/guest/drivers/porting-build.ts): the kernel configure step refusing
  KernelArmHypervisorSupport on the board's CPU, VM_Arm not compiling against libsel4vm's
  gicv2.h (the Arm VMM is constructed for the board), the VMs' passthrough devices being planned
  against the device tree and routed into running VMMs, the VMM loading the guest images at the
  VM's addresses. A step runs only if the earlier ones passed. On a board the VMM is not
  documented to support, an item that does not hold says why: NOT-SUPPORTED with the reason the
  simulated build hit. Every Arm board file, including one made by `vmconf new-board`, runs these.

  @REQ-BOARD-001 @source:platforms.md#4 @source:platforms.md#1.1
  Scenario: the CPU has Arm virtualisation and seL4 configures with KernelArmHypervisorSupport
    Then the simulated build of this board passes its step for the porting checklist item "hypervisor-cpu"

  @REQ-BOARD-002 @source:platforms.md#4 @source:platforms.md#1.1 @source:platforms.md#1.3
  Scenario: VM_Arm compiles for the board: libsel4vm's gicv2.h has its GICv2 base address
    Then the simulated build of this board passes its step for the porting checklist item "gicv2"

  @REQ-BOARD-003 @source:platforms.md#4 @source:platforms.md#1.2
  Scenario: the VMs' device passthrough (dtb, untyped_mmios) is consistent with the board's device tree and routes into running VMMs
    Then the simulated build of this board passes its step for the porting checklist item "devices-match-dts"

  @REQ-BOARD-004 @source:platforms.md#4
  Scenario: the VMM loads the guest images at addresses inside each VM's RAM
    Then the simulated build of this board passes its step for the porting checklist item "guest-images"
