@arm
Feature: The Arm VMM is built only for platforms libsel4vm's vGIC knows
  libsel4vm implements only a virtual GICv2, and its gicv2.h has GIC base addresses only for
  exynos5, tk1, tx1, tx2, qemu-arm-virt, odroidc2 and zynqmp; for any other platform VM_Arm does
  not compile (platforms.md §1.1, §1.3). The simulated VMM applies the same rule when it is
  constructed for a board, and emulates the distributor where gicv2.h puts it.

  @REQ-BOARD-005 @source:platforms.md#1.3
  Scenario: the Arm VMM emulates the GIC distributor at gicv2.h's address, and gicv2.h's frames are the board's
    When the Arm VMM is constructed for this board
    Then its vGIC distributor is emulated at gicv2.h's distributor address for the board's platform
    And gicv2.h's GIC frames for the board's platform are the board file's gic frames

  @REQ-BOARD-006 @source:platforms.md#1.1 @source:platforms.md#2.10 @source:platforms.md#2.11
  Scenario Outline: constructing the Arm VMM for <board> fails as VM_Arm's compile does, positioned at the board file's seL4 platform
    When the Arm VMM is constructed for this board
    Then it is refused with gicv2.h's compile error for KernelPlatform "<platform>", at the board file's sel4 section

    @imx8mq-evk
    Examples: i.MX8MQ EVK: GICv3 (platforms.md §2.10)
      | board      | platform   |
      | imx8mq-evk | imx8mq-evk |

    @rpi4
    Examples: Raspberry Pi 4: GICv2, but not in gicv2.h (platforms.md §2.11)
      | board | platform |
      | rpi4  | bcm2711  |
