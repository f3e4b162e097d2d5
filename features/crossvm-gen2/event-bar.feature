@REQ-CROSSVM-GEN2-000
Feature: Generation-2 cross-VM connections at the VMM: PCI devices, event BAR and consume IRQ (Arm)
  Each connection of the VM's glue is one virtual PCI device (vendor 0x1af4, device 0xa111) whose
  BAR0 is the event BAR, one read-only 4 KiB frame: guest writes fault into the VMM, which emits
  the CAmkES event on offset 0 and stores offset 4. A consumed event increments offset 4 and
  injects the board's shared cross-VM interrupt through the vGIC. These scenarios drive the guest
  at register level (as connection.ko would) on vm_cross_connector's two connections.

  Background:
    Given an Arm VM with the vm_cross_connector connections conn_0 and conn_1

  @REQ-CROSSVM-GEN2-001 @source:cross-vm-connectors.md#2.6
  Scenario Outline: each connection is a PCI device with the connection's identity and the board's cross-VM line
    Then PCI device <dev> reads vendor 0x1af4, device 0xa111, revision 1 and class 0x0500
    And PCI device <dev> has interrupt pin 1 and interrupt line <line>
    And PCI device <dev> has BAR0 at <bar0> and BAR1 at <bar1>, both 4096 bytes

    @qemu-arm-virt
    Examples: qemu-arm-virt (free_plat_interrupts[0] = 82, base 0xDF000000)
      | dev | line | bar0       | bar1       |
      | 1   | 82   | 0xDF000000 | 0xDF001000 |
      | 2   | 82   | 0xDF002000 | 0xDF003000 |

    @exynos5422
    Examples: exynos5422 (free_plat_interrupts[0] = 124, base 0x3F000000)
      | dev | line | bar0       | bar1       |
      | 1   | 124  | 0x3F000000 | 0x3F001000 |
      | 2   | 124  | 0x3F002000 | 0x3F003000 |

  @REQ-CROSSVM-GEN2-002 @source:cross-vm-connectors.md#4.6 @qemu-arm-virt @exynos5422
  Scenario: the event BAR carries the connection name at offset 8
    Then the name register of connection 0 reads "conn_0"
    And the name register of connection 1 reads "conn_1"
    And the consume register of connection 0 reads 0

  @REQ-CROSSVM-GEN2-003 @source:cross-vm-connectors.md#3.2 @qemu-arm-virt @exynos5422
  Scenario: a guest write at offset 0 of the event BAR emits the CAmkES event
    When the guest writes 1 at offset 0x0 of connection 0's event BAR
    Then the native component prints "Got an event" 1 time

  @REQ-CROSSVM-GEN2-004 @source:cross-vm-connectors.md#3.2 @qemu-arm-virt @exynos5422
  Scenario: the register decode masks the offset with 0xff, so offset 0x100 emits too
    When the guest writes 5 at offset 0x100 of connection 0's event BAR
    Then the native component prints "Got an event" 1 time

  @REQ-CROSSVM-GEN2-005 @source:cross-vm-connectors.md#Gen-2-VMM:-VMM-serial-output @qemu-arm-virt @exynos5422
  Scenario: emitting on a connection with no emit function only logs
    When the guest writes 1 at offset 0x0 of connection 1's event BAR
    Then the native component prints "Got an event" 0 times
    And the VMM prints "handle_event_bar_fault@cross_vm_connection.c:109 Connection is not configured with an emit function" followed by an empty line

  @REQ-CROSSVM-GEN2-006 @source:cross-vm-connectors.md#3.2 @qemu-arm-virt @exynos5422
  Scenario: a write to an unsupported event BAR register is skipped with a message
    When the guest writes 1 at offset 0x10 of connection 0's event BAR
    Then the VMM prints "handle_event_bar_fault@cross_vm_connection.c:119 Event Bar register unsupported"

  @REQ-CROSSVM-GEN2-007 @source:cross-vm-connectors.md#4.6
  Scenario Outline: a consumed event increments the register and raises the board's cross-VM interrupt
    Given the guest has enabled connection 0's interrupt
    When the native component emits done 1 time
    Then the guest takes interrupt <irq>
    And the consume register of connection 0 reads 1

    @qemu-arm-virt
    Examples: qemu-arm-virt
      | irq |
      | 82  |

    @exynos5422
    Examples: exynos5422
      | irq |
      | 124 |

  @REQ-CROSSVM-GEN2-008 @source:cross-vm-connectors.md#4.6 @qemu-arm-virt @exynos5422
  Scenario: consume events that land before the guest handles the interrupt coalesce; the register counts them
    Given the guest has enabled connection 0's interrupt
    When the native component emits done 3 times, 1 ms apart
    Then the guest takes the cross-VM interrupt once
    And the consume register of connection 0 reads 3

  @REQ-CROSSVM-GEN2-009 @source:cross-vm-connectors.md#4.6
  Scenario: boards without a free interrupt line have no consume interrupt
    Given the guest has enabled connection 0's interrupt
    When the native component emits done 1 time
    Then the guest takes the cross-VM interrupt once

    @tk1 @tx1 @zcu102 @ultra96v2
    Examples: boards whose free_plat_interrupts is {-1}
      | board |
      | any   |
