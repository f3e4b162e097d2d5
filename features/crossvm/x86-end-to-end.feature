@x86
Feature: The CAmkES cross-VM tutorial end to end on the x86 VMM
  The tutorial's system (seed 001): a buildroot guest whose print_client sends each argument
  through a 4 KiB dataport and the do_print event to the native PrintServer, which prints it on
  the serial console and emits done_printing back; and the string_reverse demo (reference 8.2).

  @REQ-CROSSVM-X86-001 @source:001#Update-the-build-system @source:000#Create-a-process
  Scenario: print_client hello world shows the tutorial's console lines in order
    Given the print server app
    When I run "print_client hello world" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      Creating dataport node /dev/camkes_data
      Allocating 4096 bytes for /dev/camkes_data
      Creating consuming event node /dev/camkes_done_printing
      Creating emitting event node /dev/camkes_do_print
      Welcome to Buildroot
      buildroot login: root
      # print_client hello world
      dataport received mmap for minor 1
      hello
      world
      """
    And the trace shows "seL4_Page_Map" by "vm0:vmm"
    And the trace shows "done_printing_emit" by "print_server:control"

  @REQ-CROSSVM-X86-002 @source:cross-vm-connectors.md#8.2
  Scenario: string_reverse turns hello into olleh
    Given the string reverse app
    When I run "echo hello | string_reverse" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      # echo hello | string_reverse
      olleh
      """
