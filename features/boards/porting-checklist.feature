@arm
Feature: Porting checklist for an Arm board
  platforms.md §4 (the camkes-vm-examples FAQ "How do I update camkes-vm-apps to support platform
  'X'") lists what a board needs before the CAmkES VMM runs on it. Each item is computed from the
  board's description and device tree (src/platform/new-board.ts). On a board the VMM is not
  documented to support, an item that does not hold says why: NOT-SUPPORTED with the reason.
  Every Arm board file, including one made by `vmconf new-board`, runs these scenarios.

  @REQ-BOARD-001 @source:platforms.md#4
  Scenario: the CPU has Arm virtualisation and seL4 runs with KernelArmHypervisorSupport
    Then the porting checklist item "hypervisor-cpu" holds for this board

  @REQ-BOARD-002 @source:platforms.md#4
  Scenario: the interrupt controller is a GICv2 with GICH and GICV frames, the only one the VMM's vGIC emulates
    Then the porting checklist item "gicv2" holds for this board

  @REQ-BOARD-003 @source:platforms.md#4
  Scenario: the VMs' device passthrough (dtb, untyped_mmios) is consistent with the board's device tree
    Then the porting checklist item "devices-match-dts" holds for this board

  @REQ-BOARD-004 @source:platforms.md#4
  Scenario: guest images and their addresses are declared
    Then the porting checklist item "guest-images" holds for this board
