@arm
Feature: vm_multi end to end: three guests, one serial output, input switched at the serial server
  vm_multi runs three guests, one VMM component each; every guest's console is hvc0, a virtio
  console whose output the SerialServer puts on the board's one serial output and whose input is
  what is typed there (platforms.md 2.1 vm_multi rows: "hvc0 consoles"). The operator logs in to
  each guest at that console as a person would: a prompt counts once its text is on the serial
  output, and input is switched between guests with the SerialServer's escape `@N`.
  The escape rules are stated for the x86 VM's multiplexed COM1 (platforms.md 3.3, camkes-vm's
  README); the reference says nothing of them for Arm. The Arm apps use the same global-components
  SerialServer, so these scenarios test what that component does with Arm clients (numbered by
  connection order: VM_VIRTUAL_SERIAL_CONFIGURATION_DEF sets no serial_getchar_attributes, A.15.2).
  On qemu-arm-virt the serial server waits for a TimeServer that has no timer driver there (the
  matrix note, CONFLICT with vm_multi's supported list, platforms.md 1.8), so no console reaches
  the serial output; boards without a vm_multi configuration are not supported.

  @REQ-MULTIVM-028 @source:platforms.md#2.1 @source:platforms.md#3.3 @source:platforms.md#1.9
  Scenario: three guests boot, their hvc0 consoles share the serial output, and each answers a command typed after @N
    Given the multi-VM app for this board
    When the multi-VM system is built with its VMMs and booted
    And the operator runs "uname -a" on vm0 at the multiplexed console
    And the operator runs "echo $((6 * 7))" on vm1 at the multiplexed console
    And the operator runs "cat /proc/cmdline" on vm2 at the multiplexed console
    Then the consoles of "vm0, vm1, vm2" reach the one serial output through the serial server serial
    And the multiplexed console shows the line "Switching input to 1" from serial
    And the multiplexed console shows the line "Switching input to 2" from serial
    And vm0 answered "uname -a" with exit status 0
    And vm1 answered "echo $((6 * 7))" with exit status 0
    And vm2 answered "cat /proc/cmdline" with exit status 0
    And the console of vm1 shows "42"
    And the console of vm0 does not show "42"
    And the console of vm2 does not show "42"
    And the console of vm2 shows "console=hvc0"
    And the console of vm0 does not show "# echo $((6 * 7))"

  # With the VMMs attached the analysis (src/camkes/isolation) finds guest RAM structurally; device
  # pages such as the chip ID page every VM's `mmios` maps (platforms.md 2.1) are device pages, allowed
  # only where each holder declares them, and the seL4VirtQueues frames vm0 shares with vm1 and vm2
  # are credited to their connections. Nothing else may be shared.
  @REQ-MULTIVM-029 @source:platforms.md#2.1 @source:platforms.md#1.8
  Scenario: with the VMMs attached and the guests logged in, no VMM can reach another guest's RAM
    Given the multi-VM app for this board
    When the multi-VM system is built with its VMMs and booted
    And the operator logs in to vm0 at the multiplexed console
    And the operator logs in to vm2 at the multiplexed console
    And the isolation analysis runs
    Then no VMM can reach another guest's RAM
    And every device page two guests share is one both declare in their mmios
    And guest vm0 has its memory from vmm
    And guest vm1 has its memory from vmm
    And guest vm2 has its memory from vmm
    And every frame two components share comes from a declared connection joining them, or is a device page each declares in mmios
