Feature: Generation-2 cross-VM end to end: vm_cross_connector on Arm, string_reverse on x86
  The shipped apps built by the system builder and booted like `vmconf run`: vm_cross_connector's
  guest loads connection.ko, and its S91crossvm_test script reads and writes /dev/uio0's dataport,
  emits through the event BAR to the native CrossvmInit, which answers with the seL4GlobalAsynch
  `done` the VMM turns into the board's cross-VM interrupt (reference 8.3, 4.6). On x86 the
  string_reverse demo uses the same PCI/UIO devices, with the consumed event delivered through
  the CAmkES reg_callback and PIC line 12 (reference 8.2, 4.6 "x86 flow").

  @REQ-CROSSVM-GEN2-010 @source:cross-vm-connectors.md#8.3 @source:cross-vm-connectors.md#2.6
  Scenario Outline: the vm_cross_connector test script runs to "Finished crossvm test script"
    Given the generation-2 app vm_cross_connector
    When the guest boots and its init scripts run
    Then the guest reaches its login prompt
    And the serial console shows, in order:
      """
      Event Bar (dev-0) initialized
      1 Dataports (dev-0) initialized
      Event Bar (dev-1) initialized
      1 Dataports (dev-1) initialized
      This is a crossvm dataport test string
      This is a test user string
      Got an event
      Back from waiting with val: 1
      Finished crossvm test script
      """
    And the guest's connection 0 has interrupt line <irq> and its event BAR at <base>
    And the guest kernel handled interrupt <irq> 1 time
    When I type "cat /sys/class/uio/uio0/name /sys/class/uio/uio1/name" at the guest's shell
    Then the serial console shows, in order:
      """
      conn_0
      conn_1
      """

    @qemu-arm-virt
    Examples: qemu-arm-virt (free_plat_interrupts[0] = 82, base 0xDF000000)
      | irq | base       |
      | 82  | 0xDF000000 |

    @exynos5422
    Examples: exynos5422 (free_plat_interrupts[0] = 124, base 0x3F000000)
      | irq | base       |
      | 124 | 0x3F000000 |

  @REQ-CROSSVM-GEN2-011 @source:cross-vm-connectors.md#4.6 @qemu-arm-virt @exynos5422
  Scenario Outline: events before open are invisible to a UIO reader; read returns the cumulative count
    Given the generation-2 app vm_cross_connector
    When the guest boots and its init scripts run
    And I type "emits_event_emit /dev/uio0" at the guest's shell <before> times
    And I type "consumes_event_wait /dev/uio0 & sleep 1; emits_event_emit /dev/uio0; wait" at the guest's shell
    Then the serial console shows the line "Got an event" <events> times
    And the serial console shows the line "Back from waiting with val: <val>" 1 time

    Examples: the script's event, <before> more before the reader opens, one after
      | before | events | val |
      | 0      | 2      | 2   |
      | 2      | 4      | 4   |

  @REQ-CROSSVM-GEN2-012 @source:cross-vm-connectors.md#8.2 @source:cross-vm-connectors.md#4.6 @pc99
  Scenario: string_reverse over /dev/uio0 and /dev/uio1 turns hello into olleh
    Given the generation-2 app string_reverse_gen2
    When I type "echo hello | string_reverse" at the guest's shell
    Then the last command succeeds
    And the serial console shows, in order:
      """
      Event Bar (dev-0) initialized
      Event Bar (dev-1) initialized
      # echo hello | string_reverse
      olleh
      """
    And the guest's connection 1 has interrupt line 12 and its event BAR at 0xa0004000
    And the guest kernel handled interrupt 12 1 time
    When I type "cat /sys/class/uio/uio0/name /sys/class/uio/uio1/name" at the guest's shell
    Then the serial console shows the line "connector" 2 times

  @REQ-CROSSVM-GEN2-013 @source:cross-vm-connectors.md#8.3 @source:cross-vm-connectors.md#8.4 @matrix:cross-vm @arm @x86
  Scenario: the board's cross-VM connector app delivers an event in each direction
    Given the board's generation-2 cross-VM app
    When its cross-VM round trip runs
    Then the round trip completed, the console showing the lines for the board's family:
      | family | line                          |
      | arm    | Got an event                  |
      | arm    | Back from waiting with val: 1 |
      | arm    | Finished crossvm test script  |
      | x86    | olleh                         |
