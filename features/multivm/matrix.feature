Feature: Multiple VMs on each board (feature matrix column "Multiple VM")
  A VMM component creates and manages a single VM; several guests need several VMM
  components, each with its own guest (seed 004, "Can a single VMM component support running
  multiple VM's?"). The observed outcome per board comes from loading the board's multi-VM app
  (vm_multi on Arm, multi_vm_x86 on x86), instantiating it and running it: a board without the
  app's configuration is not supported, and on QEMU the TimeServer the serial server waits for
  has no timer driver ("Multi-VM support depends on porting the TimeServer to QEMU").

  @arm @matrix:multi-vm @REQ-MULTIVM-001 @source:platforms.md#1.8 @source:platforms.md#1.9 @source:004#Platform-Configuration-Notes
  Scenario: vm_multi builds, gives each guest its own VMM and serves every guest's console
    Given the multi-VM app for this board
    When the multi-VM system is built and run
    Then each guest has its own VMM component
    And the serial server serves its clients

  @x86 @matrix:multi-vm @REQ-MULTIVM-002 @source:platforms.md#3.6 @source:camkes-and-microkit-languages.md#A.15.1
  Scenario: an x86 app with two guests boots both, one Init VMM each
    Given the multi-VM app for this board
    When the multi-VM system is built and run
    Then each guest has its own VMM component
    And the serial server serves its clients
    And the console of vm0 shows "Welcome to Buildroot"
    And the console of vm1 shows "Welcome to Buildroot"
